/**
 * Benchmark: `alerts(first: 50)` with every relation selected, as a partner analyst and as the
 * originator, on the demo set (6 field-fact alerts + 2,000 generated); SQL statements per
 * request; the access layer's share of the page statement; and `seizureStatistics` over the
 * demo operations. `npm run bench`. Figures are written down in bench/RESULTS.md by hand.
 */
import { grantedClassesSql, visibleAlertSql } from '../src/access/alert-access';
import { startBenchHub, timeIt } from './support';

const QUERY = `query ($first: Int, $after: String) { alerts(first: $first, after: $after) { totalCount edges { cursor node {
  id reference status title summary riskLevel channel direction originAgency { code name jurisdiction }
  goods { category description hsCode quantity unit } infringements modusOperandi
  rightsHolders { id name recordations { type recordationNumber mark validUntil } }
  portOfLoading portOfDischarge originCountry destinationCountry expectedArrival
  distribution { scope agencies { code name } }
  containerNumbers billOfLading conveyanceReference consignor { name country } consignee { name country }
  source { kind reliability credibility } operationalNotes withheld version createdAt updatedAt publishedAt
} } pageInfo { hasNextPage endCursor } } }`;

const STATISTICS = `{ seizureStatistics { totalPieces totalCases rightsHoldersProtected
  byAgency { agency { code } pieces cases } byCategory { category pieces cases } byChannel { channel pieces cases } } }`;

async function run(): Promise<void> {
  const b = await startBenchHub();
  try {
    for (const agency of ['HK', 'GD']) {
      const timing = await timeIt(() => b.call(agency, QUERY, { first: 50 }));
      b.statements.length = 0;
      const page = (await b.call(agency, QUERY, { first: 50 })).alerts;
      console.log(`bench: alerts(first: 50), all relations, as ${agency} (${page.totalCount} visible): ${timing}, ${b.statements.length} SQL statements per request`);
    }

    // The access layer's share: the page statement with and without the visibility predicate
    // and the granted-classes expression.
    const conn = b.hub.orm.em.getConnection();
    const vis = visibleAlertSql('a', 'HK', { operationWindowDays: b.config.operationWindowDays });
    const granted = grantedClassesSql('a', 'HK', { operationWindowDays: b.config.operationWindowDays });
    const order = "coalesce(a.published_at, '-infinity'::timestamptz)";
    const without = `select a.id, (${order})::text as k from alert a order by ${order} desc, a.id desc limit 51`;
    const withAccess = `select a.id, (${order})::text as k, ${granted.sql} as granted from alert a where ${vis.sql} order by ${order} desc, a.id desc limit 51`;
    console.log(`bench: page statement without access (HK): ${await timeIt(() => conn.execute(without), 2)}`);
    console.log(`bench: page statement with access (HK): ${await timeIt(() => conn.execute(withAccess, [...granted.params, ...vis.params]), 2)}`);

    for (const agency of ['HK', 'GD']) {
      b.statements.length = 0;
      const stats = (await b.call(agency, STATISTICS)).seizureStatistics;
      const perRequest = b.statements.length;
      console.log(`bench: seizureStatistics as ${agency} (${stats.totalPieces} pieces): ${await timeIt(() => b.call(agency, STATISTICS))}, ${perRequest} SQL statements per request`);
    }
  } finally {
    await b.stop();
  }
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
