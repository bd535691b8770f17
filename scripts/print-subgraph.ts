// Writes subgraph.graphql, the gateway's Apollo Federation subgraph SDL (npm run subgraph:print).
// Unlike schema.graphql it is formatted with Prettier, so that `prettier --check .` passes.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
// The schema module first: the order it imports the types in is the order they are printed in.
import { getSubgraphSchema } from '../src/graphql/schema.js';
import { printSubgraph } from '../src/graphql/federation.js';

const target = fileURLToPath(new URL('../subgraph.graphql', import.meta.url));
const options = { ...(await resolveConfig(target)), filepath: target };
writeFileSync(target, await format(printSubgraph(getSubgraphSchema()), options));
process.stdout.write('subgraph.graphql written\n');
