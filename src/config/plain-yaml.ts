// Reads the plain form most printers.yml files are written in (names at the left edge, one level of
// `key: value` lines with simple values, comments, blank lines) without loading the YAML parser.
// Anything else, or anything it is not sure of, is left to the full YAML reader: it answers undefined.

import type { RawEntry } from './values.js';

/** Top-level names: plain words that YAML reads as text (not numbers, booleans or null). */
const NAME_LINE = /^([A-Za-z_][A-Za-z0-9_.-]*):(?: +#.*| *)$/;
const KEY_LINE = /^( +)([A-Za-z_][A-Za-z0-9_-]*):(?:( +)(.*))?$/;
/** Words YAML reads as null or as a boolean. */
const NOT_TEXT = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
/** A plain value: characters that never start or end anything in YAML (a dash starts a list only when alone). */
const PLAIN_VALUE = /^(?:[A-Za-z0-9_./~+^(]|-(?=.))[A-Za-z0-9_./~+=@%!$&*()?,:^-]*$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const MAX_LINE = 1000;
const TAIL = /^(?: +#.*| *)$/;
const INTEGER = /^[-+]?[0-9]{1,15}$/;
/** YAML 1.2 core-schema floats, octal and hexadecimal integers: left to the YAML reader. */
const OTHER_NUMBER =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+)$/;

interface PlainEntry {
  name: string;
  line: number;
  indent: number | undefined;
  value: Record<string, unknown> | null;
  keyLines: Map<string, number>;
}

/**
 * The entries of a config in the plain form, as the YAML reader would give them (same names, values
 * and lines); undefined when the text uses anything beyond that form, or has no entry at all.
 */
export function readPlainYamlEntries(text: string): { entries: RawEntry[]; problems: [] } | undefined {
  if (text.includes('\t') || text.includes('\r')) return undefined;
  const lines = text.split('\n');
  const found: PlainEntry[] = [];
  const names = new Set<string>();
  let current: PlainEntry | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // YAML refuses a key over 1024 characters: such lines are its business.
    if (line.length > MAX_LINE) return undefined;
    const start = line.search(/[^ ]/);
    if (start < 0 || line.charCodeAt(start) === 0x23 /* # */) continue;
    if (start === 0) {
      const m = NAME_LINE.exec(line);
      if (!m || NOT_TEXT.test(m[1]!) || names.has(m[1]!)) return undefined;
      current = { name: m[1]!, line: i + 1, indent: undefined, value: null, keyLines: new Map() };
      names.add(current.name);
      found.push(current);
      continue;
    }
    const m = KEY_LINE.exec(line);
    if (!m || !current) return undefined;
    const [, indent, key, gap, rest] = m as unknown as [string, string, string, string | undefined, string | undefined];
    if (current.indent === undefined) current.indent = indent.length;
    if (indent.length !== current.indent || NOT_TEXT.test(key) || key === '__proto__' || current.keyLines.has(key)) return undefined;
    const value = rest === undefined || gap === undefined ? null : plainValue(rest);
    if (value === undefined) return undefined;
    current.value ??= {};
    current.value[key] = value;
    current.keyLines.set(key, i + 1);
  }
  if (found.length === 0) return undefined;
  return {
    entries: found.map((e) => ({
      name: e.name,
      value: e.value,
      // As the YAML reader: the deepest key found along the path, else the name's line.
      lineOf: (keys: readonly string[]) => (keys.length > 0 ? (e.keyLines.get(keys[0]!) ?? e.line) : e.line),
    })),
    problems: [],
  };
}

/** The value after "key: ", with any comment; undefined when YAML might read it otherwise than plainly. */
function plainValue(rest: string): unknown {
  // Nothing but a comment: the key has no value (null), as "key:" alone.
  if (rest === '' || rest.startsWith('#')) return null;
  const quote = rest[0];
  if (quote === "'" || quote === '"') {
    const end = rest.indexOf(quote, 1);
    if (end < 0) return undefined;
    const inner = rest.slice(1, end);
    // Escapes (\ in double quotes, '' in single quotes) are the YAML reader's business.
    if ((quote === '"' && inner.includes('\\')) || CONTROL.test(inner)) return undefined;
    const after = rest.slice(end + 1);
    if (!TAIL.test(after)) return undefined;
    return inner;
  }
  const space = rest.indexOf(' ');
  const token = space < 0 ? rest : rest.slice(0, space);
  if (space >= 0 && !TAIL.test(rest.slice(space))) return undefined;
  if (INTEGER.test(token)) return Number(token);
  if (!PLAIN_VALUE.test(token) || token.endsWith(':')) return undefined;
  if (token === '~' || /^(?:[Nn]ull|NULL)$/.test(token)) return null;
  if (NOT_TEXT.test(token)) return token[0] === 't' || token[0] === 'T';
  if (OTHER_NUMBER.test(token)) return undefined;
  return token;
}
