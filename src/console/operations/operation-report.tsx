import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@apollo/client/react';
import { Alert, Button, Descriptions, Flex, Result, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PageLink } from '../alerts/alert-tags';
import { graphql } from '../gql';
import { formatDate, formatDateTime } from '../i18n/datetime';
import { NumbersTable, SeizureCharts, useCount } from '../statistics/seizure-charts';
import { countedResults } from './operation-model';
import { OperationStatusTag } from './operation-tags';
import './operation-report.css';

const OperationReportDocument = graphql(`
  query OperationReport($id: ID!) {
    viewer {
      agency {
        code
        name
      }
    }
    jointOperation(id: $id) {
      ...OperationCore
      tasks {
        id
        status
        assignedAgency {
          code
        }
      }
      results {
        ...OperationResultFields
      }
      statistics {
        ...SeizureStatisticsFields
      }
    }
  }
`);

interface Moment {
  at: string;
  text: string;
}

/**
 * A printable summary of one operation at /operations/:id/report: objective, participants,
 * targets, a timeline, the results that count, and the charts with their numbers, in the
 * viewer's language. Laid out as narrow as an A4 page on screen too, so the charts are drawn
 * for paper; the print stylesheet (operation-report.css) leaves out the console around it, and
 * the browser's "Save as PDF" (Chromium's print to PDF) gives a clean document.
 */
export function OperationReport() {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const count = useCount();
  const { id = '' } = useParams();
  const [printedAt] = useState(() => new Date().toISOString());
  const { data, loading, error } = useQuery(OperationReportDocument, { variables: { id }, fetchPolicy: 'network-only' });

  if (!data) {
    if (loading) return <Spin />;
    return <Alert type="error" showIcon title={t('errors.generic', { message: error?.message ?? '' })} />;
  }
  const op = data.jointOperation;
  if (!op) {
    return (
      <>
        <Typography.Title level={1}>{t('pages.operations.report.title')}</Typography.Title>
        <Result status="404" title={t('pages.operations.notFound.title')} subTitle={t('pages.operations.notFound.detail')} extra={<PageLink to="/operations">{t('pages.operations.back')}</PageLink>} />
      </>
    );
  }
  const none = t('pages.operations.plan.none');
  const counted = countedResults(op.results);
  const corrections = op.results.filter((r) => r.correctsResultId).length;
  const pieces = (r: (typeof op.results)[number]) => r.seizures.reduce((n, s) => n + s.pieces, 0);
  const stats = op.statistics;

  const timeline: Moment[] = [
    { at: op.createdAt, text: t('pages.operations.report.planned', { agency: op.leadAgency.code }) },
    { at: op.startsOn, text: t('pages.operations.report.starts') },
    ...op.results.map((r) => ({
      at: r.reportedAt,
      text: t(r.correctsResultId ? 'pages.operations.report.correctedResult' : 'pages.operations.report.reportedResult', {
        agency: r.reportingAgency.code,
        cases: count(r.casesOpened),
        pieces: count(pieces(r)),
      }),
    })),
    ...(op.endsOn ? [{ at: op.endsOn, text: t('pages.operations.report.ends') }] : []),
    ...(op.closedAt ? [{ at: op.closedAt, text: t('pages.operations.report.closed', { status: t(`pages.compose.enums.operationStatus.${op.status}`) }) }] : []),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  const tasksBy = (status: string) => op.tasks.filter((task) => task.status === status).length;

  return (
    <div className="hub-report-page">
      <Flex className="hub-no-print" gap={12} align="center" style={{ marginBottom: 16 }}>
        <PageLink to={`/operations/${op.id}`}>{t('pages.operations.report.back')}</PageLink>
        <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
          {t('pages.operations.report.print')}
        </Button>
        <Typography.Text type="secondary">{t('pages.operations.report.printHint')}</Typography.Text>
      </Flex>
      <article className="hub-report" aria-labelledby="report-title">
        <header>
          <p className="hub-report-kicker">{t('pages.operations.report.title')}</p>
          <h1 id="report-title">
            {op.codeName} <OperationStatusTag status={op.status} />
          </h1>
          <p className="hub-report-meta">
            {t('pages.operations.report.preparedFor', { agency: `${data.viewer.agency.code} — ${data.viewer.agency.name}`, time: formatDateTime(printedAt, language) })}
          </p>
        </header>

        <section aria-labelledby="report-summary">
          <h2 id="report-summary">{t('pages.operations.report.summary')}</h2>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'objective', label: t('pages.operations.fields.objective'), children: op.objective },
              { key: 'lead', label: t('pages.operations.fields.lead'), children: `${op.leadAgency.code} — ${op.leadAgency.name}` },
              { key: 'participants', label: t('pages.operations.fields.participants'), children: op.participants.map((p) => `${p.code} — ${p.name}`).join('; ') },
              {
                key: 'period',
                label: t('pages.operations.fields.period'),
                children: `${formatDate(op.startsOn, language)} – ${op.endsOn ? formatDate(op.endsOn, language) : t('pages.operations.fields.openEnded')}`,
              },
              { key: 'channels', label: t('pages.operations.fields.channels'), children: op.targetChannels.map((c) => t(`pages.compose.enums.channel.${c}`)).join(', ') || none },
              { key: 'categories', label: t('pages.operations.fields.categories'), children: op.targetCategories.map((c) => t(`pages.compose.enums.category.${c}`)).join(', ') || none },
              { key: 'ports', label: t('pages.operations.fields.ports'), children: op.targetPorts.join(', ') || none },
              {
                key: 'tasks',
                label: t('pages.operations.report.tasks'),
                children: t('pages.operations.report.tasksSummary', { total: op.tasks.length, done: tasksBy('DONE'), inProgress: tasksBy('IN_PROGRESS'), open: tasksBy('OPEN') }),
              },
            ]}
          />
        </section>

        <section aria-labelledby="report-totals">
          <h2 id="report-totals">{t('pages.operations.report.totals')}</h2>
          <p className="hub-report-totals">
            {t('pages.operations.report.totalsText', { pieces: count(stats.totalPieces), cases: count(stats.totalCases), holders: count(stats.rightsHoldersProtected), results: counted.length })}
          </p>
          {corrections > 0 && <p>{t('pages.operations.report.correctionsNote', { count: corrections })}</p>}
        </section>

        <section aria-labelledby="report-timeline">
          <h2 id="report-timeline">{t('pages.operations.report.timeline')}</h2>
          <ol className="hub-timeline">
            {timeline.map((m, i) => (
              <li key={i}>
                <time dateTime={m.at}>{formatDateTime(m.at, language)}</time>
                <span>{m.text}</span>
              </li>
            ))}
          </ol>
        </section>

        <section aria-labelledby="report-results">
          <h2 id="report-results">{t('pages.operations.report.results')}</h2>
          <NumbersTable
            caption={t('pages.operations.report.resultsByAgency')}
            head={t('pages.statistics.agency')}
            rows={stats.byAgency.map((a) => ({ key: a.agency.code, label: `${a.agency.code} — ${a.agency.name}`, pieces: a.pieces, cases: a.cases }))}
            total
          />
          <ul className="hub-report-lines">
            {counted.map((r) => (
              <li key={r.id}>
                <strong>
                  {r.reportingAgency.code}, {formatDateTime(r.reportedAt, language)}:
                </strong>{' '}
                {r.seizures
                  .map((s) =>
                    t('pages.operations.results.lineText', {
                      pieces: count(s.pieces),
                      category: t(`pages.compose.enums.category.${s.category}`),
                      infringement: t(`pages.compose.enums.infringement.${s.infringement}`),
                      channel: t(`pages.compose.enums.channel.${s.channel}`),
                      place: s.place ?? '—',
                    }),
                  )
                  .join('; ')}
                {r.notes ? ` (${r.notes})` : ''}
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="report-charts" className="hub-report-charts">
          <h2 id="report-charts">{t('pages.operations.report.charts')}</h2>
          <SeizureCharts stats={stats} headingLevel={3} period="month" stacked />
        </section>
      </article>
    </div>
  );
}
