// Makes text from printers and file names safe to show: control characters become visible escapes,
// configured secrets become ***, and printer texts are cut to a sane length. Human output only
// escapes; every output (JSON too) is redacted.

import type { PrinterConfig } from '../config/types.js';
import type { EventSink, SyncEvent } from './events.js';

/** C0 and C1 controls, DEL, and the Unicode line separators and bidirectional overrides that reorder a line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters to escape is the point.
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

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
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
export function redactingSink(sink: EventSink, secrets: readonly string[]): EventSink {
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
