// Delete safety, pure: takes a printer's deletions out of its plan when making them is not safe,
// and says why in one line. Runs after planning, so the dry run shows exactly what --go would do.

import type { Action, PrinterPlan } from '../types.js';

export interface DeleteSafetyOptions {
  /** Refuse every deletion on a printer whose plan deletes more files than this. */
  maxDelete?: number;
}

export interface DeleteRefusal {
  code: 'MAX_DELETE' | 'FILES_NOT_STORABLE';
  /** File deletions taken out of the plan. */
  files: number;
  /** Folder removals taken out of the plan. */
  folders: number;
  /** What was refused, why, and what to do. */
  message: string;
}

export interface GuardedPlan {
  plan: PrinterPlan;
  refusal?: DeleteRefusal;
}

const isRemoval = (a: Action): boolean => a.kind === 'delete' || a.kind === 'rmdir';

/**
 * All or nothing, per printer: a plan that deletes more files than `maxDelete` (a wrong -s or -d, a
 * source folder half there) deletes none, and a plan with files the printer cannot store deletes none
 * (the old copy of a renamed file would go while the new name cannot be uploaded), unless the only
 * thing in its way is a printer file or folder that this plan removes. Folder removals go
 * with the deletions, since they only empty what the deletions cleared.
 */
export function guardDeletions(plan: PrinterPlan, options: DeleteSafetyOptions = {}): GuardedPlan {
  const files = plan.actions.filter((a) => a.kind === 'delete').length;
  const folders = plan.actions.filter((a) => a.kind === 'rmdir').length;
  // Removing folders that are already empty loses nothing.
  if (files === 0) return { plan };
  const refuse = (code: DeleteRefusal['code'], message: string): GuardedPlan => ({
    plan: { ...plan, actions: plan.actions.filter((a) => !isRemoval(a)) },
    refusal: { code, files, folders, message },
  });
  const max = options.maxDelete;
  if (max !== undefined && files > max) {
    return refuse(
      'MAX_DELETE',
      `refusing to delete ${files} files, more than --max-delete ${max}: nothing is deleted on this printer (check -s and -d; if these deletions are intended, run with --max-delete ${files})`,
    );
  }
  // A file or folder in the way that this plan removes clears itself: the next run uploads the file.
  const removed = new Set(plan.actions.filter(isRemoval).map((a) => a.path));
  const unstorable = plan.problems.filter((p) => p.blockedBy === undefined || !removed.has(p.blockedBy));
  if (unstorable.length > 0) {
    const n = unstorable.length;
    return refuse(
      'FILES_NOT_STORABLE',
      `${files} ${files === 1 ? 'deletion' : 'deletions'} withheld because ${n} ${n === 1 ? 'file' : 'files'} cannot be stored on this printer (a renamed file would lose its old copy): rename ${n === 1 ? 'it' : 'them'} as the messages above say, then run again`,
    );
  }
  return { plan };
}
