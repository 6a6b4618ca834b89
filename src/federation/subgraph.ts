import { parse, type GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { createResolversMap } from 'type-graphql';
import type { HubContext } from '../context';
import { toAgencyType } from '../agencies/agency.type';
import { toRightsHolderType } from '../rights-holders/rights-holder.type';

/** The Federation 2 version the subgraph links; @apollo/subgraph and @apollo/composition know it. */
export const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

/**
 * How a router's entity references become objects: each through the same service (and access
 * rules) as the hub's own queries, batched per request. A reference the caller may not see is
 * null, exactly like an unknown one. The caller is the token the router forwards.
 */
const REFERENCE_RESOLVERS: Record<string, Record<string, unknown>> = {
  Alert: {
    __resolveReference: (ref: { id: string }, ctx: HubContext) => ctx.entities.alerts.load(String(ref.id)),
  },
  JointOperation: {
    __resolveReference: (ref: { id: string }, ctx: HubContext) => ctx.operations.get(String(ref.id)),
  },
  Agency: {
    __resolveReference: async (ref: { code: string }, ctx: HubContext) => {
      ctx.operations.checkReader();
      const agency = await ctx.entities.agencies.load(String(ref.code));
      return agency ? toAgencyType(agency) : null;
    },
  },
  RightsHolder: {
    __resolveReference: async (ref: { id: string }, ctx: HubContext) => {
      const holder = await ctx.entities.rightsHolders.load(String(ref.id));
      return holder ? toRightsHolderType(holder) : null;
    },
  },
};

/**
 * The hub's schema as an Apollo Federation 2 subgraph: the type-graphql schema printed with
 * its directives (the `@key`s on Alert, JointOperation, Agency and RightsHolder), linked to
 * Federation 2, rebuilt by @apollo/subgraph (which adds `_service` and `_entities`) with
 * type-graphql's resolvers (middlewares included) and the reference resolvers above. The
 * field extensions (each field's class) are carried over.
 */
export function buildSubgraph(base: GraphQLSchema): GraphQLSchema {
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(base)}`);
  const resolvers = createResolversMap(base) as Record<string, object>;
  for (const [type, refs] of Object.entries(REFERENCE_RESOLVERS)) resolvers[type] = { ...resolvers[type], ...refs };
  const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
  for (const [name, type] of Object.entries(base.getTypeMap())) {
    const target = schema.getType(name);
    if (!target || !('getFields' in type) || !('getFields' in target)) continue;
    const fields = target.getFields() as Record<string, { extensions: Record<string, unknown> }>;
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      if (fields[fieldName] && field.extensions) fields[fieldName].extensions = { ...field.extensions, ...fields[fieldName].extensions };
    }
  }
  return schema;
}
