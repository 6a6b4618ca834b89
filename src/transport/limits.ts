import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import { HubError } from '../common/errors';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';

/**
 * Limits every operation meets before it runs, over HTTP and WebSocket alike. They are set
 * above the deepest and widest legitimate operation of the README and the tests: an alert's
 * deepest field (operation → alerts → edges → node → rightsHolders → recordations) is at
 * depth 8 from a subscription root.
 */
export const LIMITS = {
  /** Lexical tokens in one document. */
  tokens: 5000,
  depth: 12,
  aliases: 30,
  directives: 20,
  /** graphql-armor's static cost (objects 2, scalars 1, times 1.5 per level of depth): the widest legitimate query of the tests, aliases and fragments included, costs about 11,000. */
  cost: 30_000,
};

/**
 * The rules added to GraphQL's own, over HTTP and the socket alike; both add
 * `introspectionRules` too.
 */
export function limitRules(): ValidationRule[] {
  // Reported as validation errors (graphql-armor's default throws out of validate instead).
  const report = {
    propagateOnRejection: false,
    onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(new GraphQLError(err.message.replace(/^Syntax Error: /, '')))],
  };
  return [
    maxDepthRule({ n: LIMITS.depth, flattenFragments: true, ...report }),
    // graphql-armor lets `__typename` aliases through by default: 1,000 of them are still 1,000 fields to answer.
    maxAliasesRule({ n: LIMITS.aliases, allowList: [], ...report }),
    maxDirectivesRule({ n: LIMITS.directives, ...report }),
    costLimitRule({ maxCost: LIMITS.cost, ...report }),
  ];
}

/**
 * graphql-armor's static cost of a document (its costliest operation), as the cost limit counts
 * it: for checks that know more than validation does, such as how many entity references the
 * variables carry.
 */
export function staticCost(schema: GraphQLSchema, document: DocumentNode): number {
  let cost = 0;
  const measure = costLimitRule({
    maxCost: Number.MAX_SAFE_INTEGER,
    propagateOnRejection: false,
    onAccept: [(_ctx, { n }) => void (cost = Math.max(cost, n))],
  });
  validate(schema, document, [measure]);
  return cost;
}


/** What a client asking for `__schema` or `__type` reads where introspection is off. */
export const INTROSPECTION_OFF =
  'introspection is off on this hub (HUB_INTROSPECTION, off by default in production): the schema is published with the hub as schema/schema.graphql';

/**
 * No `__schema` or `__type` unless introspection is allowed, over HTTP and the socket alike.
 * GraphQL's own rule (and Apollo Server's, which tells the client to "pass introspection: true
 * to ApolloServer") would send an operator to the wrong switch.
 */
export function introspectionRules(introspection: boolean): ValidationRule[] {
  if (introspection) return [];
  // One error per `__schema` or `__type` field: what lies under it is not looked at again.
  const rule: ValidationRule = (context) => ({
    Field(node) {
      if (node.name.value !== '__schema' && node.name.value !== '__type') return undefined;
      context.reportError(new GraphQLError(INTROSPECTION_OFF, { nodes: node }));
      return false;
    },
  });
  return [rule];
}

export const PARSE_OPTIONS = { maxTokens: LIMITS.tokens };

/**
 * Parses and validates a document as the HTTP route does, for transports that do it
 * themselves (graphql-ws).
 * @returns the document, or the errors with the same codes Apollo Server gives them.
 */
export function parseAndValidate(schema: GraphQLSchema, query: string, rules: readonly ValidationRule[]): DocumentNode | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parse(query, PARSE_OPTIONS);
  } catch (e) {
    const err = e as GraphQLError;
    return [new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
  }
  let errors: readonly GraphQLError[];
  try {
    errors = validate(schema, document, [...specifiedRules, ...rules]);
  } catch (e) {
    errors = [e instanceof GraphQLError ? e : new GraphQLError('the document could not be validated')];
  }
  if (errors.length) {
    // An input scalar's own check (a date out of range) is BAD_USER_INPUT naming its field, as over HTTP.
    return errors.map((err) => err instanceof HubError ? err : new GraphQLError(err.message, { nodes: err.nodes, source: err.source, positions: err.positions, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
  }
  return document;
}

/**
 * Parsed and validated documents by query text, the least recently used dropped past `max`.
 * Documents are never mutated by execution, so subscribers with the same text share one.
 */
export class DocumentCache {
  private readonly entries = new Map<string, DocumentNode | GraphQLError[]>();

  constructor(
    private readonly build: (query: string) => DocumentNode | GraphQLError[],
    private readonly max = 500,
    /** Longer texts are built each time rather than kept. */
    private readonly maxLength = 20_000,
  ) {}

  get(query: string): DocumentNode | GraphQLError[] {
    const hit = this.entries.get(query);
    if (hit) {
      this.entries.delete(query);
      this.entries.set(query, hit);
      return hit;
    }
    const built = this.build(query);
    if (query.length <= this.maxLength) {
      this.entries.set(query, built);
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    return built;
  }
}
