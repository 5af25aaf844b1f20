// Routing, pure: which of the scanned files one printer gets, after its include/exclude patterns
// and, with model matching, the model each file was sliced for. The result is the printer's own
// SourceTree (its "master"), plus the files left out for another model, to show in the dry run.
//
// A printer mirrors its routed tree: a file it already holds that is routed elsewhere (another
// model's file, an excluded one) is extraneous there and is deleted like any file gone from the
// master, unless deletions are off (--no-delete).

import type { SourceFile, SourceSkip, SourceTree } from '../types.js';
import type { GlobMatcher } from '../source/glob.js';
import type { FileModel } from '../source/model-read.js';
import { modelMatches } from '../source/model-match.js';
import { ancestorsOf, compareCodeUnits } from '../source/paths.js';

export interface RouteRequest {
  /** The scanned folder this printer syncs from. */
  source: SourceTree;
  /** Keeps a source path (relative to `source.root`); absent keeps every file. */
  filter?: GlobMatcher;
  /** With model matching on: the printer's type and the model of each file, by absolute path. */
  match?: { printerType: string; models: ReadonlyMap<string, FileModel> };
}

export interface Route {
  source: SourceTree;
  /** Files left out because they were sliced for another model, in path order. */
  skipped: SourceSkip[];
}

export function routeSource(request: RouteRequest): Route {
  const { source, filter, match } = request;
  const files: SourceFile[] = [];
  const skipped: SourceSkip[] = [];
  for (const file of source.files) {
    if (filter && !filter(file.relPath)) continue;
    const model = match?.models.get(file.absPath);
    // No model information (other slicers, custom profiles, unreadable files): every printer gets it.
    if (match && model?.kind === 'model' && !modelMatches(match.printerType, model.model)) {
      skipped.push({ path: file.relPath, reason: 'other-model', model: model.model });
      continue;
    }
    files.push(file);
  }
  if (files.length === source.files.length) return { source, skipped };
  return { source: { ...source, files, folders: foldersOf(files) }, skipped };
}

/** Every folder holding a kept file at any depth: a folder left with none is not the printer's. */
function foldersOf(files: readonly SourceFile[]): string[] {
  const folders = new Set<string>();
  for (const file of files) for (const folder of ancestorsOf(file.relPath)) folders.add(folder);
  return [...folders].sort(compareCodeUnits);
}
