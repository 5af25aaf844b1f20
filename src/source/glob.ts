// Glob patterns for a printer's include/exclude lists: `*`, `**`, `?`, `[abc]`, `{a,b}`, matched
// case-insensitively against source paths ("parts/clip.gcode").
//
// Written here rather than taken from a package: the subset is small, and node:path's matchesGlob is
// experimental in Node 20 (a warning on stderr) and missing before 20.17.

export type GlobMatcher = (relPath: string) => boolean;

export type GlobResult = { ok: true; match: GlobMatcher } | { ok: false; message: string };

/**
 * Compiles one pattern. Rules, as in .gitignore:
 * - a pattern without "/" matches a file name at any depth (`*.bgcode`, `benchy*`);
 * - a pattern with "/" matches the whole path from the source folder (`parts/*.gcode`); a leading
 *   "/" only anchors (`/benchy.gcode` is the top-level file alone);
 * - a trailing "/" names a folder and matches everything in it (`old/`: every folder named old);
 * - `**` as a whole segment spans any number of folders; `*` and `?` stay within one name.
 * Case is ignored: printers' FAT storage ignores it too, and extensions come in both cases.
 */
export function compileGlob(pattern: string): GlobResult {
  let p = pattern.trim();
  if (p === '') return { ok: false, message: 'is empty' };
  if (p.includes('\\')) return { ok: false, message: 'contains a backslash; write folders with /' };
  const folder = p.endsWith('/');
  if (folder) p = p.replace(/\/+$/, '');
  const anchored = p.startsWith('/');
  p = p.replace(/^\/+/, '').replace(/^(\.\/)+/, '');
  if (p === '') return { ok: false, message: 'names no file or folder' };
  if (p.split('/').includes('..')) return { ok: false, message: 'contains ".."; patterns match inside the source folder only' };
  if (!anchored && !p.includes('/')) p = `**/${p}`;
  if (folder) p = `${p}/**`;
  const body = toRegexSource(p);
  if (typeof body !== 'string') return { ok: false, message: body.error };
  const regex = new RegExp(`^${body}$`, 'i');
  return { ok: true, match: (relPath) => regex.test(relPath) };
}

/** Keeps a path when it matches an include (or there are none) and no exclude. */
export function pathFilter(include: readonly GlobMatcher[], exclude: readonly GlobMatcher[]): GlobMatcher {
  return (relPath) => (include.length === 0 || include.some((m) => m(relPath))) && !exclude.some((m) => m(relPath));
}

function toRegexSource(p: string): string | { error: string } {
  let out = '';
  let braces = 0;
  let i = 0;
  while (i < p.length) {
    const c = p[i] as string;
    if (c === '*') {
      let j = i;
      while (p[j] === '*') j++;
      const wholeSegment = j - i >= 2 && (i === 0 || p[i - 1] === '/') && (j === p.length || p[j] === '/');
      if (wholeSegment && p[j] === '/') {
        out += '(?:[^/]*/)*'; // "**/": zero or more folders
        i = j + 1;
      } else if (wholeSegment) {
        out += '.*'; // trailing "**": everything below
        i = j;
      } else {
        out += '[^/]*';
        i = j;
      }
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else if (c === '[') {
      const cls = characterClass(p, i);
      if (cls === undefined) return { error: 'has a "[" without its "]"' };
      out += cls.source;
      i = cls.end;
    } else if (c === '{') {
      braces++;
      out += '(?:';
      i++;
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
      i++;
    } else if (c === ',' && braces > 0) {
      out += '|';
      i++;
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    }
  }
  if (braces > 0) return { error: 'has a "{" without its "}"' };
  return out;
}

/** `[abc]`, `[a-z]`, `[!a]` / `[^a]` starting at `start`; a "]" first in the class is literal. */
function characterClass(p: string, start: number): { source: string; end: number } | undefined {
  let i = start + 1;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  const first = i;
  while (i < p.length && (p[i] !== ']' || i === first)) i++;
  if (i >= p.length) return undefined;
  const body = p.slice(first, i).replace(/[\\\]^[]/g, '\\$&');
  // A class never matches "/": it stands for one character of a name.
  return { source: negate ? `[^/${body}]` : `(?!/)[${body}]`, end: i + 1 };
}
