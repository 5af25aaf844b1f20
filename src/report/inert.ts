// Makes text from printers and file names safe to show: control characters become visible escapes,
// configured secrets become ***, and printer texts are cut to a sane length. Human output only
// escapes; every output (JSON too) is redacted.

import type { PrinterConfig } from '../config/types.js';
import type { EventSink, SyncEvent } from './events.js';

/** C0 and C1 controls, DEL, and the Unicode line separators and bidirectional overrides that reorder a line. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters shown, never obeyed: ESC → "\x1b", LF → "\n", U+202E → "\u202e". */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Longest text shown for one message, reason or hint (a printer's own words are cut earlier, at 200). */
export const MAX_TEXT = 1000;

export function cut(text: string, max = MAX_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Every configured password and API key, longest first (so one that contains another is hidden whole). */
export function configuredSecrets(printers: readonly PrinterConfig[]): string[] {
  const all = new Set<string>();
  for (const p of printers) {
    const secret = p.auth.kind === 'digest' ? p.auth.password : p.auth.apiKey;
    if (secret !== '') all.add(secret);
  }
  return [...all].sort((a, b) => b.length - a.length);
}

/** Hides each secret as configured, percent-encoded (either hex case, '/' encoded or not, '+' for a
 * space) or JSON-escaped: a printer may echo a key the way it came in a URL or a JSON body. */
export function redact(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  // Encoded forms need a '%', '\' or '+': without one, only a secret as configured can be there.
  if (!/[%\\+]/.test(text) && !secrets.some((secret) => secret !== '' && text.includes(secret))) return text;
  return text.replace(secretPattern(secrets), '***');
}

const patterns = new WeakMap<readonly string[], RegExp>();

/** One pattern for all secrets, the longer first; built once per list. */
function secretPattern(secrets: readonly string[]): RegExp {
  let pattern = patterns.get(secrets);
  if (!pattern) {
    const longerFirst = secrets.filter((secret) => secret !== '').sort((a, b) => b.length - a.length);
    pattern = new RegExp(longerFirst.map((secret) => [...secret].map(charForms).join('')).join('|') || '(?!)', 'g');
    patterns.set(secrets, pattern);
  }
  return pattern;
}

const JSON_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Every way one character of a secret may be written: itself, %XX per UTF-8 byte, \uXXXX, a JSON escape. */
function charForms(char: string): string {
  const forms = [literal(char), [...Buffer.from(char, 'utf8')].map((byte) => `%${anyCaseHex(byte, 2)}`).join('')];
  forms.push([...Array(char.length).keys()].map((i) => `\\\\u${anyCaseHex(char.charCodeAt(i), 4)}`).join(''));
  const escaped = JSON_ESCAPES[char];
  if (escaped) forms.push(literal(escaped));
  if (char === ' ') forms.push('\\+');
  return `(?:${forms.join('|')})`;
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function anyCaseHex(value: number, digits: number): string {
  return [...value.toString(16).padStart(digits, '0')].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}

/** Applies `change` to every string inside an event (names, paths, messages), keeping its shape. */
export function mapStrings<T>(value: T, change: (text: string) => string): T {
  if (typeof value === 'string') return change(value) as T;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = mapStrings(item, change);
    return out as T;
  }
  return value;
}

/** Every event with the configured secrets replaced by ***, for every reporter, JSON included. */
export function redactingSink<E = SyncEvent>(sink: (event: E) => void, secrets: readonly string[]): (event: E) => void {
  if (secrets.length === 0) return sink;
  return (event) => sink(mapStrings(event, (text) => redact(text, secrets)));
}

/** For the human reporters (plain, live view, log file): every string escaped and cut. JSON keeps exact strings. */
export function inertSink(sink: EventSink): EventSink {
  return (event: SyncEvent) => sink(mapStrings(event, (text) => cut(escapeControl(text))));
}

/** One line for the terminal or a log, from any text: escaped and cut. */
export function inertLine(text: string): string {
  return cut(escapeControl(text), 4000);
}
