// Breaking changes against the last release's schema (releases/schema-0.1.0.graphql) that are made
// on purpose. test/compat/schema-compat.test.ts fails on any other breaking change, and on an entry
// here that no longer matches one (so the list cannot go stale). Each entry names the change as
// @graphql-inspector/core reports it (its `type` and `path`) and says why clients must take it.
// Prefer adding the new and deprecating the old: a removal belongs here only after the deprecated
// field has been released and its users have moved.

export interface IntendedBreakingChange {
  /** The change type, e.g. `FIELD_REMOVED`, `FIELD_TYPE_CHANGED`, `ENUM_VALUE_REMOVED`. */
  type: string;
  /** The schema coordinate, e.g. `Workspace.displayColor`. */
  path: string;
  /** Why the break is worth it and what clients do instead. */
  reason: string;
}

export const INTENDED_BREAKING_CHANGES: readonly IntendedBreakingChange[] = [];
