import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BreakingChangeType, buildSchema, findBreakingChanges, getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { FieldClass } from '../../src/common/enums';
import { buildHubSchema, printHubSchema } from '../../src/schema';

const ROOT = join(__dirname, '..', '..');

describe('the schema', () => {
  test('schema/schema.graphql is what the code builds (run `npm run schema` after a change)', async () => {
    const committed = readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await printHubSchema());
  });

  test('nothing in the schema contradicts the partner contract; what is missing is only not built yet', async () => {
    const contract = buildSchema(readFileSync(join(ROOT, '..', 'shared', 'contract', 'hub.graphql'), 'utf8'));
    const hub = await buildHubSchema();
    const contradictions = findBreakingChanges(contract, hub).filter(
      (c) => c.type !== BreakingChangeType.TYPE_REMOVED && c.type !== BreakingChangeType.FIELD_REMOVED,
    );
    expect(contradictions).toEqual([]);
  });

  test('every field of Alert declares a field class', async () => {
    const alert = (await buildHubSchema()).getType('Alert') as GraphQLObjectType;
    const classes = Object.values(FieldClass) as string[];
    for (const field of Object.values(alert.getFields())) {
      expect([field.name, classes.includes(field.extensions.fieldClass as string)]).toEqual([field.name, true]);
    }
  });

  test('every type reachable from Alert is reached only through fields with a class', async () => {
    // Nested types (Party, GoodsLine…) take the class of the Alert field that holds them:
    // so they must not be reachable from Alert any other way than through a classified field.
    const schema = await buildHubSchema();
    const alert = schema.getType('Alert') as GraphQLObjectType;
    const unclassified: string[] = [];
    for (const field of Object.values(alert.getFields())) {
      const named = getNamedType(field.type);
      if (isObjectType(named) && !field.extensions.fieldClass) unclassified.push(`${field.name}: ${named.name}`);
    }
    expect(unclassified).toEqual([]);
  });
});
