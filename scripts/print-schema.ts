// Writes schema.graphql from the Pothos schema (npm run schema:print).
import { writeFileSync } from 'node:fs';
import { printClientSchema } from '../src/graphql/print.js';

const target = new URL('../schema.graphql', import.meta.url);
writeFileSync(target, printClientSchema());
process.stdout.write('schema.graphql written\n');
