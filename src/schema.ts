import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildSubgraph } from './federation/subgraph';
import { buildSchema, type PubSub } from 'type-graphql';
import { guardClassifiedFields } from './access/field-class';
import { AccessLogConnectionResolver, AccessLogEntryResolver, AccessResolver } from './access/access.resolver';
import { AgencyResolver } from './agencies/agency.resolver';
import { AlertConnectionResolver, AlertResolver } from './alerts/alert.resolver';
import { AlertEventResolver } from './events/alert-event.resolver';
import { OperationEventResolver } from './events/operation-event.resolver';
import { CorrelationConnectionResolver, CorrelationResolver } from './correlation/correlation.resolver';
import { RightsHolderResolver } from './rights-holders/rights-holder.resolver';
import { DistributionResolver, JointOperationConnectionResolver, JointOperationResolver } from './operations/operation.resolver';
import { IdentifierHitResolver, ProbeResolver } from './correlation/probe.resolver';
import { ShipmentClusterResolver } from './correlation/shipment-cluster.resolver';

let built: Promise<GraphQLSchema> | undefined;
let subgraph: Promise<GraphQLSchema> | undefined;

/**
 * type-graphql insists on a PubSub as soon as a schema has subscriptions, but each of ours
 * is served by the event fan-out (src/events/fanout.ts), so topic-based publishing is never
 * used. Reaching it is a programming error.
 */
const NO_TOPICS: PubSub = {
  publish() {
    throw new Error('topic-based subscriptions are not used: give the @Subscription a subscribe function');
  },
  subscribe() {
    throw new Error('topic-based subscriptions are not used: give the @Subscription a subscribe function');
  },
};

/** The schema type-graphql builds from the code, once per process (field extensions and all). */
export function buildCodeSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [AgencyResolver, AlertResolver, AlertConnectionResolver, AlertEventResolver, OperationEventResolver, RightsHolderResolver, AccessResolver, AccessLogConnectionResolver, AccessLogEntryResolver, JointOperationResolver, JointOperationConnectionResolver, DistributionResolver,
      ProbeResolver, IdentifierHitResolver, CorrelationResolver, CorrelationConnectionResolver, ShipmentClusterResolver],
    // Inputs are checked by the services, which name the field that is wrong.
    validate: false,
    pubSub: NO_TOPICS,
  }).then((schema) => {
    guardClassifiedFields(schema);
    return schema;
  });
  return built;
}

/**
 * The schema the hub serves: the code's schema as an Apollo Federation 2 subgraph (it adds
 * `_service` and `_entities`; see src/federation/subgraph.ts).
 */
export function buildHubSchema(): Promise<GraphQLSchema> {
  subgraph ??= buildCodeSchema().then(buildSubgraph);
  return subgraph;
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printHubSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildHubSchema())) + '\n';
}

/** The subgraph SDL a router composes (`_service { sdl }`), committed as schema/subgraph.graphql. */
export async function printHubSubgraph(): Promise<string> {
  return printSubgraphSchema(await buildHubSchema()) + '\n';
}
