// Checks a printer entry (or `defaults`) against schema/printers.schema.json, the JSON Schema generated
// from the zod schema in schema.ts: the same issues zod reports, without loading zod on every run.

import { readFileSync } from 'node:fs';

/** One shape problem, in the terms validate.ts and defaults.ts turn into messages (zod's issue codes). */
export type ShapeIssue =
  | { code: 'unrecognized_keys'; path: []; keys: string[] }
  | { code: 'invalid_type' | 'too_small' | 'invalid_format'; path: Array<string | number> };

/** The part of JSON Schema the config schema uses; anything else (descriptions, oneOf) is not checked here. */
interface Node {
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

// Compiled to dist/src/config/, three levels below the repository root, beside the published schema/.
const SCHEMA_URL = new URL('../../../schema/printers.schema.json', import.meta.url);

let loaded: { printer: EntryChecker; defaults: EntryChecker } | undefined;

/** The checkers for a complete printer entry and for `defaults`, read from the schema file once. */
export function entryCheckers(): { printer: EntryChecker; defaults: EntryChecker } {
  if (!loaded) {
    const file = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as { properties: { defaults: Node }; else: { additionalProperties: Node } };
    loaded = { printer: checkerFor(file.else.additionalProperties), defaults: checkerFor(file.properties.defaults) };
  }
  return loaded;
}

export function checkerFor(schema: Node): EntryChecker {
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  const required = new Set(schema.required ?? []);
  const patterns = new Map<Node, RegExp>();
  const regexOf = (node: Node): RegExp => {
    let re = patterns.get(node);
    if (!re) patterns.set(node, (re = new RegExp(node.pattern ?? '')));
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
      if (node.items) value.forEach((item, i) => checkValue(node.items!, item, [...path, i], out));
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
