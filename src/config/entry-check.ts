// Checks a printer entry (or `defaults`) against the JSON Schema generated from the zod schema in
// schema.ts (entry-schema.ts): the same issues zod reports, without loading zod on every run.

import { DEFAULTS_SCHEMA, PRINTER_ENTRY_SCHEMA } from './entry-schema.js';

/** One shape problem, in the terms validate.ts and defaults.ts turn into messages (zod's issue codes). */
export type ShapeIssue =
  | { code: 'unrecognized_keys'; path: []; keys: string[] }
  | { code: 'invalid_type' | 'too_small' | 'invalid_format'; path: Array<string | number> };

/** The part of JSON Schema the config schema uses; anything else (descriptions, oneOf) is not checked here. */
export interface Node {
  type?: 'object' | 'string' | 'array' | 'boolean';
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: boolean | Node;
  items?: Node;
  minLength?: number;
  pattern?: string;
}

export interface EntryChecker {
  /** Keys in the schema's order. */
  keys: readonly string[];
  check(value: Record<string, unknown>): ShapeIssue[];
}

let built: { printer: EntryChecker; defaults: EntryChecker } | undefined;

/** The checkers for a complete printer entry and for `defaults`. */
export function entryCheckers(): { printer: EntryChecker; defaults: EntryChecker } {
  built ??= { printer: checkerFor(PRINTER_ENTRY_SCHEMA as Node), defaults: checkerFor(DEFAULTS_SCHEMA as Node) };
  return built;
}

/** The keywords checkerFor reads, and nothing else: what entry-schema.ts holds. */
const CHECKED = ['type', 'properties', 'required', 'additionalProperties', 'items', 'minLength', 'pattern'];

/** A JSON Schema node cut down to the checked keywords (entry-schema.ts is this, written out). */
export function checkedPart(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CHECKED) {
    const value = schema[key];
    if (value === undefined) continue;
    if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, Record<string, unknown>>).map(([k, v]) => [k, checkedPart(v)]));
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object') {
      out[key] = checkedPart(value as Record<string, unknown>);
    } else out[key] = value;
  }
  return out;
}

export function checkerFor(schema: Node): EntryChecker {
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  const required = new Set(schema.required ?? []);
  const patterns = new Map<Node, RegExp>();
  const regexOf = (node: Node): RegExp => {
    const known = patterns.get(node);
    if (known) return known;
    const re = new RegExp(node.pattern ?? '');
    patterns.set(node, re);
    return re;
  };
  const checkValue = (node: Node, value: unknown, path: Array<string | number>, out: ShapeIssue[]): void => {
    if (node.type === 'string') {
      if (typeof value !== 'string') return void out.push({ code: 'invalid_type', path });
      if (node.minLength !== undefined && value.length < node.minLength) out.push({ code: 'too_small', path });
      if (node.pattern !== undefined && !regexOf(node).test(value)) out.push({ code: 'invalid_format', path });
    } else if (node.type === 'boolean') {
      if (typeof value !== 'boolean') out.push({ code: 'invalid_type', path });
    } else if (node.type === 'array') {
      if (!Array.isArray(value)) return void out.push({ code: 'invalid_type', path });
      const items = node.items;
      if (items) for (let i = 0; i < value.length; i++) checkValue(items, value[i], [...path, i], out);
    }
  };
  return {
    keys,
    check(value) {
      // Known keys in schema order, then unknown keys in one issue: the order zod reports them in.
      const out: ShapeIssue[] = [];
      for (const key of keys) {
        const v = Object.hasOwn(value, key) ? value[key] : undefined;
        if (v === undefined) {
          if (required.has(key)) out.push({ code: 'invalid_type', path: [key] });
          continue;
        }
        checkValue(properties[key]!, v, [key], out);
      }
      if (schema.additionalProperties === false) {
        const unknown = Object.keys(value).filter((k) => !Object.hasOwn(properties, k));
        if (unknown.length > 0) out.push({ code: 'unrecognized_keys', path: [], keys: unknown });
      }
      return out;
    },
  };
}
