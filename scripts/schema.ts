/** Writes schema/schema.graphql from the code (`npm run schema`). */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { printHubSchema } from '../src/schema';

printHubSchema().then((sdl) => {
  const path = resolve('schema/schema.graphql');
  writeFileSync(path, sdl);
  console.log(`schema: wrote ${path}`);
});
