// The endless-listing fault: a folder gets a child folder the moment it is listed, so a walk that
// follows every folder never reaches the bottom (as a corrupt or looping file system would show).

import type { FolderNode, Volume } from '../model/volume.js';
import type { SimContext } from './context.js';

export const ENDLESS_FOLDER = 'deeper';

export function growEndless(ctx: SimContext, volume: Volume, folder: FolderNode): void {
  if (!ctx.faults.endlessListing() || volume.readOnly || volume.child(folder, ENDLESS_FOLDER)) return;
  volume.mkdir(folder, ENDLESS_FOLDER, ctx.clock.fileTimestamp());
}
