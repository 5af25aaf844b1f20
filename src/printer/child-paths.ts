// Shared copies of listed paths, found by folder and name: printers of one run list the same files,
// and looking a path up by its parent and its name spares building the path string again each time.

/** "a" + "b" → "a/b"; '' is the root. */
export const joinListed = (parent: string, name: string): string => (parent === '' ? name : `${parent}/${name}`);

export class ChildPaths {
  private readonly byParent = new Map<string, Map<string, string>>();

  /** `pool` holds one copy of each string for the run (it is shared with the sync records). */
  constructor(private readonly pool: Map<string, string>) {}

  /** joinListed(parent, name), as the pool's copy. */
  child(parent: string, name: string): string {
    let names = this.byParent.get(parent);
    if (names === undefined) {
      names = new Map();
      this.byParent.set(parent, names);
    }
    const known = names.get(name);
    if (known !== undefined) return known;
    const text = joinListed(parent, name);
    let shared = this.pool.get(text);
    if (shared === undefined) {
      this.pool.set(text, text);
      shared = text;
    }
    names.set(name, shared);
    return shared;
  }
}

const byPool = new WeakMap<Map<string, string>, ChildPaths>();

/** The one ChildPaths of a pool. */
export function childPathsOf(pool: Map<string, string>): ChildPaths {
  let paths = byPool.get(pool);
  if (paths === undefined) {
    paths = new ChildPaths(pool);
    byPool.set(pool, paths);
  }
  return paths;
}
