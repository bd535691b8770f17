// Loaded before every test file (vitest `setupFiles`). Test files share one module graph per
// worker (`isolate: false`), so the first file to import a node module would otherwise decide the
// order in which types and fields are registered, and with it the order of the printed subgraph
// SDL. Importing the schema first makes that order the schema module's own, as in production and
// in `npm run subgraph:print`.
import '../../src/graphql/schema.js';
