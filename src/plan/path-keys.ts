// Path helpers for the planner's hot loops. The scan and the walk hand it clean paths ("a/b/c.gcode":
// no empty segment), for which slicing and concatenating give exactly what splitting and re-joining
// would, at a fraction of the cost; anything else goes the general way.

import { recordKey } from '../record/keys.js';
import { ancestorsOf, foldName } from '../source/paths.js';
import type { NameRules } from '../types.js';

const SLASH = 0x2f;

/** Not empty, no leading, trailing or doubled slash. */
function isClean(path: string): boolean {
  return path !== '' && path.charCodeAt(0) !== SLASH && path.charCodeAt(path.length - 1) !== SLASH && !path.includes('//');
}

/** Same as ancestorsOf: every ancestor folder, nearest last ('a/b/c.gcode' → ['a', 'a/b']). */
export function ancestorPaths(path: string): string[] {
  if (!isClean(path)) return ancestorsOf(path);
  const out: string[] = [];
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i));
  return out;
}

/** `(path) => recordKey(root, path, rules)` for one sync root. */
export function recordKeyer(root: string, rules: Pick<NameRules, 'caseInsensitive'>): (path: string) => string {
  if (root !== '' && !isClean(root)) return (path) => recordKey(root, path, rules);
  const prefix = root === '' ? '' : `${root}/`;
  return (path) => (isClean(path) ? foldName(prefix + path, rules) : recordKey(root, path, rules));
}
