import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BreakingChangeType, buildSchema, findBreakingChanges, getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { FieldClass } from '../../src/common/enums';
import { buildHubSchema, printHubSchema, printHubSubgraph } from '../../src/schema';

const ROOT = join(__dirname, '..', '..');
/** The project's copy of the partner contract, so that a clone of the project alone passes its tests. */
const CONTRACT_COPY = join(ROOT, 'schema', 'contract', 'hub.graphql');
/** The contract as the partners publish it, beside the project where the workspace has it. */
const SHARED_CONTRACT = join(ROOT, '..', 'shared', 'contract', 'hub.graphql');

describe('the schema', () => {
  test('schema/schema.graphql is what the code builds (run `npm run schema` after a change)', async () => {
    const committed = readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printHubSchema());
  });

  test('schema/subgraph.graphql is the subgraph SDL the code builds (run `npm run schema` after a change)', async () => {
    const committed = readFileSync(join(ROOT, 'schema', 'subgraph.graphql'), 'utf8');
    expect(committed).toBe(await printHubSubgraph());
  });

  test('nothing in the schema contradicts the partner contract; what is missing is only not built yet', async () => {
    const contract = buildSchema(readFileSync(CONTRACT_COPY, 'utf8'));
    const hub = await buildHubSchema();
    const contradictions = findBreakingChanges(contract, hub).filter(
      (c) => c.type !== BreakingChangeType.TYPE_REMOVED && c.type !== BreakingChangeType.FIELD_REMOVED,
    );
    expect(contradictions).toEqual([]);
  });

  test('the partner contract copied into the project is the published one (where ../shared exists)', () => {
    if (!existsSync(SHARED_CONTRACT)) {
      // Said, not skipped silently: a clone of the project alone checks against its copy only.
      process.stdout.write(`contract: ${SHARED_CONTRACT} is absent; the schema was checked against the project's copy only\n`);
      return;
    }
    expect(readFileSync(CONTRACT_COPY, 'utf8')).toBe(readFileSync(SHARED_CONTRACT, 'utf8'));
  });

  test('every field of Alert declares a field class', async () => {
    const alert = (await buildHubSchema()).getType('Alert') as GraphQLObjectType;
    const classes = Object.values(FieldClass) as string[];
    for (const field of Object.values(alert.getFields())) {
      expect([field.name, classes.includes(field.extensions.fieldClass as string)]).toEqual([field.name, true]);
    }
  });

  test('every field of every type reachable from Alert declares a class, the class of the field that holds it', async () => {
    // Nested types (Party, GoodsLine…) are only shown through the Alert field that holds them,
    // so each of their fields must carry that field's class: personal data cannot hide as CORE
    // under a PARTY_IDENTITY field. The walk stops at types with an access rule of their own:
    // a joint operation is shown to its participants only (operationVisibleSql), whatever the
    // alert that names it.
    const OWN_RULE = new Set(['JointOperation']);
    const schema = await buildHubSchema();
    const problems: string[] = [];
    const seen = new Set<string>();
    const walk = (type: GraphQLObjectType, holderClass: string | null, path: string) => {
      const key = `${type.name}:${holderClass}`;
      if (seen.has(key)) return;
      seen.add(key);
      for (const field of Object.values(type.getFields())) {
        const cls = field.extensions.fieldClass as string | undefined;
        const at = `${path}.${field.name}`;
        if (!cls) problems.push(`${at} has no field class`);
        else if (holderClass && cls !== holderClass) problems.push(`${at} is ${cls} under a ${holderClass} field`);
        const named = getNamedType(field.type);
        if (isObjectType(named) && !OWN_RULE.has(named.name)) walk(named, holderClass ?? cls ?? null, `${at}`);
      }
    };
    walk(schema.getType('Alert') as GraphQLObjectType, null, 'Alert');
    expect(problems).toEqual([]);
    // The walk did reach the nested types.
    expect([...seen].map((k) => k.split(':')[0])).toEqual(expect.arrayContaining(['Party', 'GoodsLine', 'IntelligenceSource', 'Distribution', 'Agency', 'RightsHolder', 'IprRecordation']));
  });
});
