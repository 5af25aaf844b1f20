// Small shared pieces of config reading: a raw top-level entry, and plain words for a value's kind.

/** One top-level `name: settings` pair, in file order (duplicates kept). */
export interface RawEntry {
  name: string;
  value: unknown;
  /** Line of the key at `keys` inside this entry, or of the name for []; undefined when unknown. */
  lineOf?: (keys: readonly string[]) => number | undefined;
}

/** Plain words for what a value is, for "must be ... (got ...)" messages. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  if (typeof value === 'boolean') return 'true/false';
  if (value instanceof Date) return 'a date';
  return 'a mapping';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
