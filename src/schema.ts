import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AgencyResolver } from './agencies/agency.resolver';
import { AlertConnectionResolver, AlertResolver } from './alerts/alert.resolver';

let built: Promise<GraphQLSchema> | undefined;

/** The hub's GraphQL schema, built from the code once per process. */
export function buildHubSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [AgencyResolver, AlertResolver, AlertConnectionResolver],
    // Inputs are checked by the services, which name the field that is wrong.
    validate: false,
  });
  return built;
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printHubSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildHubSchema())) + '\n';
}
