import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships index.js and index.mjs without an exports map; without this alias vitest can
// load both copies and fail with "Cannot use GraphQLObjectType from another module or realm".
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ['test/**/*.test.ts'],
    // Test files share one module graph per worker: the schema is built once per worker instead
    // of once per file, which was half of the suite's time. Tests therefore build their own
    // gateways and state (as they do through test/support/harness.ts) and restore globals they
    // change (fake timers, the tracer provider).
    isolate: false,
    setupFiles: ['test/support/schema-first.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
