/** Writes schema/schema.graphql and schema/subgraph.graphql from the code (`npm run schema`). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printHubSchema, printHubSubgraph } from '../src/schema';

async function main(): Promise<void> {
  for (const [file, print] of [
    ['schema/schema.graphql', printHubSchema],
    ['schema/subgraph.graphql', printHubSubgraph],
  ] as const) {
    const path = resolve(file);
    writeFileSync(path, await print());
    console.log(`schema: wrote ${path}`);
  }
}

void main();
