import { DirectiveLocation, GraphQLDirective } from 'graphql';

/** `@dryRun` on a mutation operation. */
export const dryRunDirective = new GraphQLDirective({
  name: 'dryRun',
  description:
    'Makes this mutation a dry run: scopes, the cost limit and the input are checked and predictable userErrors answered, but no request is sent to the Admin API. Each payload’s result is null; `extensions.dryRun` lists the REST calls the mutation would make (bodies with secrets redacted) and the budget. The header `x-dry-run: 1` does the same.',
  locations: [DirectiveLocation.MUTATION],
});
