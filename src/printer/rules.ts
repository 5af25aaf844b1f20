// What file names and paths each PrusaLink implementation can store (FatFS on Buddy, ext4 on Pi).

import type { NameRules, PrinterKind } from '../types.js';

/** Control characters U+0000–U+001F and DEL, which FatFS refuses. */
const CONTROL_CHARS = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\u007f';

/** Buddy firmware (MK4, MINI, XL, CORE One...): FAT on a USB stick, 8.3 short names beside long ones. */
export const BUDDY_RULES: NameRules = Object.freeze({
  caseInsensitive: true,
  forbiddenChars: `"*:<>?|\\${CONTROL_CHARS}`,
  maxPutPathBytes: 103,
  maxUrlBytes: 168,
  maxNameUtf16: 167,
  stripsTrailingDotsAndSpaces: true,
  printExtensions: Object.freeze(['.g', '.gc', '.gco', '.gcode', '.bgc', '.bgcode']) as string[],
  // FAT32 keeps a file's size in 32 bits, and the firmware mounts nothing else (exFAT is compiled out).
  maxFileBytes: 0xffff_ffff,
});

/**
 * PrusaLink on a Raspberry Pi (MK3/MK3S/MK2.5): ext4, case-sensitive. It stores .bgcode as a
 * plain FILE and still lists it, so those can be synced too.
 */
export const PI_RULES: NameRules = Object.freeze({
  caseInsensitive: false,
  // Control characters too: ext4 takes them, but a listing holding one is refused as hostile.
  forbiddenChars: `\\?"%¯°#ˇ${CONTROL_CHARS}`,
  maxNameBytes: 248,
  stripsTrailingDotsAndSpaces: false,
  printExtensions: Object.freeze(['.gcode', '.gc', '.g', '.gco', '.bgcode', '.bgc']) as string[],
});

export function rulesFor(kind: PrinterKind): NameRules {
  return kind === 'buddy' ? BUDDY_RULES : PI_RULES;
}
