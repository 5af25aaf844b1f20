// A printer's name and path rules: what it can store, how long its paths and URLs may be. Pure.

import type { NameRules, PlanProblem } from '../types.js';
import { extensionOf } from './filter.js';

/** The request-target prefix of the v1 files API; the storage and path follow it. */
export const FILES_API_PREFIX = '/api/v1/files/';

/** A problem without its path: the caller knows which file it is checking. */
export type PathProblem = Omit<PlanProblem, 'path'>;

/** Joins POSIX path parts, dropping empty parts and stray slashes: joinPath('a/', '', '/b') = 'a/b'. */
export function joinPath(...parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (part === '') continue;
    // The common case, a part without stray slashes, is appended as it is (joining '' and a clean
    // path gives that very string, with nothing copied).
    if (part.charCodeAt(0) !== 47 && part.charCodeAt(part.length - 1) !== 47 && !part.includes('//')) {
      out = out === '' ? part : `${out}/${part}`;
      continue;
    }
    for (const segment of part.split('/')) {
      if (segment !== '') out = out === '' ? segment : `${out}/${segment}`;
    }
  }
  return out;
}

/** Splits a POSIX path into its non-empty segments. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Bytes of the string in UTF-8. */
export function utf8len(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Percent-encodes each segment with encodeURIComponent, so a literal `+` goes as `%2B` (Buddy decodes
 * `+` in paths as a space) and `?`/`#` cannot cut the path. Lone surrogates become U+FFFD rather than
 * throwing; checkRemotePath reports them as forbidden first.
 */
export function encodeUrlPath(path: string): string {
  return splitPath(path)
    .map((segment) => encodeURIComponent(replaceLoneSurrogates(segment)))
    .join('/');
}

/**
 * The key under which the printer sees a name or path: case-folded when it ignores case.
 * FatFS compares long names by upper-casing each character through its own table, so two names are
 * one when their characters upper-case alike: 'ς' and 'σ' (both 'Σ'), 'ſ' and 's', 'µ' and 'μ'.
 * Each character is upper-cased (kept when that gives several, as 'ß' → 'SS' does: FatFS keeps it
 * too) and the result lower-cased, so ASCII keys stay lower-case, as sync records hold them. Where
 * this folds more than FatFS (the Kelvin sign and 'k'), it can only report a collision or pair a
 * file the printer would keep apart, which errs towards doing less, never towards overwriting.
 */
export function foldName(name: string, rules: Pick<NameRules, 'caseInsensitive'>): string {
  if (!rules.caseInsensitive) return name;
  if (ASCII_ONLY.test(name)) return name.toLowerCase();
  let folded = '';
  for (const ch of name) {
    const upper = ch.toUpperCase();
    folded += (upper.length === ch.length ? upper : ch).toLowerCase();
  }
  return folded;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * Whether a storage-relative path, sent as it is, fits the printer's limits on the decoded PUT path
 * and on the raw request target (the URL of a PUT to it, from the files API prefix on).
 */
export function fitsRequestLimits(
  storagePath: string,
  storage: string,
  rules: Pick<NameRules, 'maxPutPathBytes' | 'maxUrlBytes'>,
): boolean {
  const path = joinPath(storagePath);
  if (rules.maxPutPathBytes !== undefined && utf8len(`/${storage}/${path}`) > rules.maxPutPathBytes) return false;
  if (rules.maxUrlBytes === undefined) return true;
  return utf8len(`${FILES_API_PREFIX}${storage}/`) + encodeUrlPath(path).length <= rules.maxUrlBytes;
}

/** "/usb/Long Folder/a.gcode" (requested as "/usb/LONGFO~1/a.gcode"), or the one path where both agree. */
function shownPath(storage: string, storagePath: string, longPath: string | undefined): string {
  const requested = `"/${storage}/${storagePath}"`;
  if (longPath === undefined || joinPath(longPath) === storagePath) return requested;
  return `"/${storage}/${joinPath(longPath)}" (requested as ${requested})`;
}

/**
 * Everything the printer would refuse or mangle about a storage-relative path it is asked to store.
 * `urlPrefixBytes` is the length of the request target before the path; the default is
 * `/api/v1/files/<storage>/`. `longPath`, when the request path uses a folder's short (8.3) name,
 * is the same path with long names: messages name that one, the requested one in parentheses.
 * Returns an empty list when the path is fine.
 */
export function checkRemotePath(
  relPathFromStorage: string,
  storage: string,
  rules: NameRules,
  urlPrefixBytes?: number,
  longPath?: string,
): PathProblem[] {
  const problems: PathProblem[] = [];
  const segments = splitPath(relPathFromStorage);
  const forbidden = new Set(rules.forbiddenChars);
  if (rules.rootOnly && segments.length > 1) {
    problems.push({
      code: 'FOLDERS_NOT_SUPPORTED',
      message: 'this printer (firmware 4.4) stores files only in the root of the USB drive: update its firmware, or sync it a flat folder',
    });
  }

  for (const segment of segments) {
    const bad = firstForbidden(segment, forbidden);
    if (bad !== undefined) {
      problems.push({
        code: 'FORBIDDEN_CHARACTER',
        message: `"${segment}" contains ${describeChar(bad)}, which the printer does not allow in names: rename it`,
      });
    }
    if (rules.stripsTrailingDotsAndSpaces && /[. ]$/.test(segment)) {
      problems.push({
        code: 'TRAILING_DOT_OR_SPACE',
        message:
          `"${segment}" ends with a ${segment.endsWith('.') ? 'dot' : 'space'}, ` +
          "which the printer's FAT file system strips, changing the name: rename it",
      });
    }
    const bytes = utf8len(segment);
    if (rules.maxNameBytes !== undefined && bytes > rules.maxNameBytes) {
      problems.push({
        code: 'NAME_TOO_LONG',
        message: `"${segment}" is ${bytes} bytes long; the printer stores names of at most ${rules.maxNameBytes} bytes`,
      });
    } else if (rules.maxNameUtf16 !== undefined && segment.length > rules.maxNameUtf16) {
      problems.push({
        code: 'NAME_TOO_LONG',
        message: `"${segment}" is ${segment.length} characters long; the printer stores names of at most ${rules.maxNameUtf16}`,
      });
    }
  }

  const storagePath = joinPath(relPathFromStorage);
  // One length per file: the limits are checked from the narrowest thing (a name) to the widest (the
  // URL), and the first one broken is the one reported, so two messages never give the same file
  // two different byte counts; shortening to fit the first usually fits the others.
  const tooLong = () => problems.some((p) => p.code === 'NAME_TOO_LONG' || p.code === 'PATH_TOO_LONG');
  if (rules.maxPutPathBytes !== undefined && !tooLong()) {
    const putBytes = utf8len(`/${storage}/${storagePath}`);
    if (putBytes > rules.maxPutPathBytes) {
      problems.push({
        code: 'PATH_TOO_LONG',
        message:
          `the path on the printer, ${shownPath(storage, storagePath, longPath)}, is ${putBytes} bytes; ` +
          `the printer accepts at most ${rules.maxPutPathBytes}: shorten the file or folder names`,
      });
    }
  }
  if (rules.maxUrlBytes !== undefined && !tooLong()) {
    const prefix = urlPrefixBytes ?? utf8len(`${FILES_API_PREFIX}${storage}/`);
    const urlBytes = prefix + encodeUrlPath(storagePath).length;
    if (urlBytes > rules.maxUrlBytes) {
      problems.push({
        code: 'URL_TOO_LONG',
        message:
          `the request URL would be ${urlBytes} bytes; the printer accepts at most ${rules.maxUrlBytes}: ` +
          'shorten the name (each non-ASCII byte costs 3)',
      });
    }
  }

  const last = segments[segments.length - 1];
  if (last !== undefined) {
    const ext = extensionOf(last);
    if (!rules.printExtensions.includes(ext)) {
      problems.push({
        code: 'NOT_PRINTABLE',
        message:
          `the printer does not accept ${ext === '' ? 'files without an extension' : `"${ext}" files`} ` +
          `(it takes ${rules.printExtensions.join(' ')})`,
      });
    }
  }
  return problems;
}

/** The first forbidden character of a name, or an unpaired surrogate (no file system can store one). */
function firstForbidden(segment: string, forbidden: ReadonlySet<string>): string | undefined {
  for (let i = 0; i < segment.length; i++) {
    const unit = segment.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = segment.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return segment.charAt(i);
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return segment.charAt(i);
    const char = segment.charAt(i);
    if (forbidden.has(char)) return char;
  }
  return undefined;
}

/** The first of `forbidden` (or an unpaired surrogate) in a name, in words; undefined when there is none. */
export function describeForbiddenChar(name: string, forbidden: ReadonlySet<string>): string | undefined {
  const bad = firstForbidden(name, forbidden);
  return bad === undefined ? undefined : describeChar(bad);
}

function describeChar(char: string): string {
  const code = char.charCodeAt(0);
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20 || code === 0x7f) return `the control character ${hex}`;
  if (code >= 0xd800 && code <= 0xdfff) return `an unpaired surrogate ${hex}`;
  return `the character "${char}"`;
}

function replaceLoneSurrogates(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Orders strings by UTF-16 code units, the same on every machine and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every ancestor folder of a path, nearest last: 'a/b/c.gcode' → ['a', 'a/b']. */
export function ancestorsOf(path: string): string[] {
  const segments = splitPath(path);
  const result: string[] = [];
  for (let i = 1; i < segments.length; i++) result.push(segments.slice(0, i).join('/'));
  return result;
}
