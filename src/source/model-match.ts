// Which printers a file sliced for a given model belongs on: the model compatibility table.
//
// A file names its model as the slicer and firmware spell it ("MK4IS", "XL5IS", "MK3SMMU3",
// "COREONE"); the config names the printer ("MK4", "XL", "MK3S+", "CORE One"). Both are folded to
// a code, and codes are grouped the way the printers themselves judge a file:
//
// - Buddy printers (MK4/S, MK3.9/S, MK3.5/S, XL, MINI, CORE One): the firmware's own compatibility
//   groups. MK4 and MK3.9 are one group, MK4S and MK3.9S another, MK3.5 and MK3.5S one.
//   MK4 files are NOT sent to an MK4S: its firmware runs them only in a fan compatibility mode,
//   and the MK4S has a different hotend and cooling, so slice for MK4S.
// - Einsy printers behind a Pi (MK3, MK3S/MK3S+, MK2.5, MK2.5S): the firmware checks the exact
//   model, so MK3 and MK3S are different, as are MK2.5 and MK2.5S.
// - Suffixes that do not change the machine are dropped: "IS" (input shaper firmware, e.g. MK4IS,
//   MINIIS, XLIS) and the MMU add-on ("MMU2S", "MMU3"): link-sync cannot see whether an MMU is
//   fitted. "+" is dropped too (MINI+ is a MINI, MK3S+ an MK3S to the slicer and firmware).
// - XL tool-head variants ("XL2IS", "XL5IS") are all XL: the config does not say how many tool heads
//   a printer has, so a 5-tool file can reach a 1-tool XL, which will refuse it.
// - A model this table does not know (a newer printer, an SL1, an MK2S) matches no printer.

/** One group of model codes a printer prints as its own. */
export interface ModelGroup {
  /** Shown in messages: "MK4 / MK3.9". */
  label: string;
  /** Folded codes (see foldModelCode) in this group. */
  codes: readonly string[];
}

export const MODEL_GROUPS: readonly ModelGroup[] = [
  { label: 'MK4 / MK3.9', codes: ['MK4', 'MK39'] },
  { label: 'MK4S / MK3.9S', codes: ['MK4S', 'MK39S'] },
  { label: 'MK3.5 / MK3.5S', codes: ['MK35', 'MK35S'] },
  { label: 'XL', codes: ['XL'] },
  { label: 'MINI / MINI+', codes: ['MINI'] },
  // The OAK edition is a finish, not another machine.
  { label: 'CORE One', codes: ['COREONE', 'COREONEOAK'] },
  { label: 'MK3', codes: ['MK3'] },
  { label: 'MK3S / MK3S+', codes: ['MK3S'] },
  { label: 'MK2.5', codes: ['MK25'] },
  { label: 'MK2.5S', codes: ['MK25S'] },
];

const GROUP_OF: ReadonlyMap<string, ModelGroup> = new Map(MODEL_GROUPS.flatMap((g) => g.codes.map((c) => [c, g] as const)));

/**
 * Folds any spelling of a model to its code: upper case; spaces, dots, hyphens and underscores
 * removed; "Original Prusa", "Prusa" and "i3" dropped; then a trailing "+", MMU suffix and "IS"
 * suffix, in that order; "XL2".."XL5" become "XL". "Original Prusa i3 MK3S+" → "MK3S",
 * "MK4ISMMU3" → "MK4", "MK3.9S" → "MK39S", "XL5IS" → "XL".
 */
export function foldModelCode(spelling: string): string {
  let code = spelling.toUpperCase().replace(/[\s._-]+/g, '');
  for (const prefix of ['ORIGINALPRUSA', 'PRUSA', 'I3']) {
    if (code.startsWith(prefix) && code.length > prefix.length) code = code.slice(prefix.length);
  }
  code = code.replace(/\++$/, '');
  code = code.replace(/MMU\d*S?$/, '');
  if (code.length > 2) code = code.replace(/IS$/, '');
  return code.replace(/^XL\d$/, 'XL');
}

/** The group a model belongs to, or undefined when the table does not know it. */
export function modelGroupOf(spelling: string): ModelGroup | undefined {
  return GROUP_OF.get(foldModelCode(spelling));
}

/**
 * True when a file sliced for `fileModel` belongs on a printer configured as `printerType`.
 * A printer type outside the table matches only the very same code.
 */
export function modelMatches(printerType: string, fileModel: string): boolean {
  const printer = foldModelCode(printerType);
  const file = foldModelCode(fileModel);
  const group = GROUP_OF.get(printer);
  return group === undefined ? printer === file : group.codes.includes(file);
}
