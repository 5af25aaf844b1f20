// What the sync record remembers about a file, and the changes a run makes to it (declared with the shared domain types).

export type { RecordEntry, RecordEntries, RecordChanges } from '../types.js';
