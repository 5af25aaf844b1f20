// The folders a run created (in the master for a pull, in the backup folder for --backup-dir), so
// that those a failed or interrupted download left empty can be removed again; a folder that was
// there before the run is never touched.

import { promises as fsp } from 'node:fs';
import path from 'node:path';

export class CreatedFolders {
  private readonly folders = new Set<string>();

  /** `leftBy` ends the message about a folder that could not be removed ("left by the pull"). */
  constructor(private readonly leftBy = 'the pull') {}

  /** `made` is what makeFolders resolved: the folders it made. */
  add(made: readonly string[]): void {
    for (const folder of made) this.folders.add(folder);
  }

  /**
   * Removes the recorded folders that are empty, deepest first, so a chain of new folders left empty
   * goes as a whole. `rmdir` removes only an empty folder: one that holds anything stays. Resolves
   * the folders removed and a message per folder that could not be checked. With `only`, just the
   * recorded folders it accepts are looked at.
   */
  async removeEmpty(only?: (folder: string) => boolean): Promise<{ removed: string[]; problems: string[] }> {
    const depth = (p: string): number => p.split(path.sep).length;
    const deepestFirst = [...this.folders].filter((f) => only?.(f) ?? true).sort((a, b) => depth(b) - depth(a));
    const removed: string[] = [];
    const problems: string[] = [];
    for (const folder of deepestFirst) {
      try {
        await fsp.rmdir(folder);
        removed.push(folder);
        this.folders.delete(folder);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST') continue;
        this.folders.delete(folder);
        if (code === 'ENOENT') continue;
        problems.push(`could not remove the empty folder ${folder} left by ${this.leftBy}: ${code ?? String(error)}`);
      }
    }
    return { removed, problems };
  }
}
