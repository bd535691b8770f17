/** The largest page the Admin API serves (CONTRACT.md §1.9); walks read pages of this size. */
export const MAX_PAGE_SIZE = 1000;

/** Page size when the caller gives neither `first` nor `last` (the Admin API's default). */
export const DEFAULT_PAGE_SIZE = 20;
