import { Kind, getOperationAST, parse, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema, type SelectionSetNode } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { createResolversMap } from 'type-graphql';
import type { HubContext } from '../context';
import { toAgencyType } from '../agencies/agency.type';
import { toRightsHolderType } from '../rights-holders/rights-holder.type';
import { BadUserInputError, ForbiddenError } from '../common/errors';

/** Most entity references one request may resolve, all its `_entities` fields together: a page, as `first` allows. */
export const MAX_REPRESENTATIONS = 100;
/**
 * Representations per rate-limit token. Each is a lookup by key, as a separate `alert(id)` would
 * be, not one page of a list: 100 take 10 tokens, so enumerating by id is bounded by the rate.
 */
export const REPRESENTATIONS_PER_TOKEN = 10;

/**
 * The entity references an operation asks for: the lengths of the `representations` of every
 * `_entities` field it selects (aliases and fragments included), inline or from variables.
 */
export function countRepresentations(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const seen = new Set<string>();
  const count = (set: SelectionSetNode): number => {
    let n = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.INLINE_FRAGMENT) n += count(s.selectionSet);
      else if (s.kind === Kind.FRAGMENT_SPREAD) {
        if (seen.has(s.name.value)) continue;
        seen.add(s.name.value);
        const def = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
        if (def && def.kind === Kind.FRAGMENT_DEFINITION) n += count(def.selectionSet);
      } else if (s.name.value === '_entities') {
        const arg = s.arguments?.find((a) => a.name.value === 'representations')?.value;
        if (arg?.kind === Kind.LIST) n += arg.values.length;
        else if (arg?.kind === Kind.VARIABLE) {
          const v = variables?.[arg.name.value];
          // GraphQL coerces a single value into a list of one.
          n += Array.isArray(v) ? v.length : v == null ? 0 : 1;
        } else if (arg) n += 1;
      }
    }
    return n;
  };
  return count(operation.selectionSet);
}

/** @throws BadUserInputError when an operation asks for more than MAX_REPRESENTATIONS references. */
export function checkRepresentations(count: number): void {
  if (count > MAX_REPRESENTATIONS) {
    throw new BadUserInputError(`_entities takes at most ${MAX_REPRESENTATIONS} representations per request, ${count} were given: split them`, 'representations');
  }
}

/**
 * The static cost counts an `_entities` selection once, whatever the number of references, as
 * it would count a list once without `first`: the operation's cost times its references must
 * stay within the cost limit, as a list's cost times `first` does.
 * @throws BadUserInputError when it does not.
 */
export function checkRepresentationCost(cost: number, count: number, maxCost: number): void {
  if (count > 1 && cost * count > maxCost) {
    throw new BadUserInputError(
      `the operation costs ${Math.ceil(cost)} per representation, ${Math.ceil(cost * count)} for ${count}: above the cost limit of ${maxCost}; ask for fewer fields or fewer representations`,
      'representations',
    );
  }
}

/** Rate-limit tokens a request with `count` representations takes beyond its own one. */
export function extraRateTokens(count: number): number {
  return Math.max(0, Math.ceil(count / REPRESENTATIONS_PER_TOKEN) - 1);
}

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
  guardFederationFields(schema);
  return schema;
}

/**
 * `_entities` and `_service` as @apollo/subgraph resolves them, behind the hub's limits: the
 * references per call are capped (the transports also cap and rate them per request), and the
 * SDL, the whole schema, is read only as introspection is: by anyone when it is on, by a
 * router identity (trust file `routerSubjects`) when it is off.
 */
function guardFederationFields(schema: GraphQLSchema): void {
  const fields = schema.getQueryType()!.getFields();
  const entities = fields._entities;
  const resolveEntities = entities.resolve as GraphQLFieldResolver<unknown, HubContext>;
  entities.resolve = (root, args: { representations?: unknown }, ctx, info) => {
    checkRepresentations(Array.isArray(args.representations) ? args.representations.length : 1);
    return resolveEntities(root, args, ctx, info);
  };
  const service = fields._service;
  const resolveService = (service.resolve ?? ((root: unknown) => root)) as GraphQLFieldResolver<unknown, HubContext>;
  service.resolve = (root, args, ctx, info) => {
    if (!ctx.introspection && !ctx.viewer.router) {
      throw new ForbiddenError("the subgraph SDL (_service) is for a router identity while introspection is off: a token whose sub is one of its agency's routerSubjects in the trust file");
    }
    return resolveService(root, args, ctx, info);
  };
}
