// The local-side guard for names that come from a printer: a path is written under the master folder
// only when every name in it is one plain name this machine can hold. Pure; holds on its own,
// whatever checks the printer's answers passed before.

export type LocalNameCode =
  | 'EMPTY' // no name, or an empty name between two slashes
  | 'ABSOLUTE' // starts at a root: "/x", "C:x", "\\server"
  | 'DOT_NAME' // "." or ".."
  | 'SEPARATOR' // a backslash (a separator on Windows, a trap elsewhere)
  | 'NUL' // a NUL byte
  | 'CONTROL' // another control character (C0, DEL, C1)
  | 'TOO_LONG' // a name over 255 bytes, or a path over 4095
  | 'WINDOWS_NAME'; // a character or a name Windows cannot store

export type LocalPathCheck = { ok: true; names: string[] } | { ok: false; code: LocalNameCode; reason: string };

/** Longest name most file systems store (ext4, APFS, NTFS: 255 bytes or units), and the longest path Linux opens. */
const MAX_NAME_BYTES = 255;
const MAX_PATH_BYTES = 4095;
/** C0 controls, DEL and C1 controls (NUL is told apart before). */
function hasControl(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * Checks a path relative to the master folder, made of the printer's names joined by "/".
 * `platform` decides only the Windows rules; everything else is refused everywhere.
 */
export function checkLocalPath(relPath: string, platform: NodeJS.Platform = process.platform): LocalPathCheck {
  if (relPath === '') return refuse('EMPTY', 'the name is empty');
  if (relPath.startsWith('/')) return refuse('ABSOLUTE', 'it starts at the root of the file system');
  // Refused on every system: the master folder may be read on Windows too.
  if (/^[A-Za-z]:/.test(relPath)) return refuse('ABSOLUTE', 'it starts with a drive letter');
  if (Buffer.byteLength(relPath, 'utf8') > MAX_PATH_BYTES) return refuse('TOO_LONG', `the path is longer than ${MAX_PATH_BYTES} bytes`);
  const names = relPath.split('/');
  for (const name of names) {
    const problem = checkName(name, platform);
    if (problem) return problem;
  }
  return { ok: true, names };
}

/** One name between slashes. */
export function checkName(name: string, platform: NodeJS.Platform = process.platform): Extract<LocalPathCheck, { ok: false }> | undefined {
  if (name === '') return refuse('EMPTY', 'it holds an empty name (two slashes, or a slash at the end)');
  if (name === '.' || name === '..') return refuse('DOT_NAME', `it holds the name "${name}", which would leave its folder`);
  if (name.includes('\\')) return refuse('SEPARATOR', 'a name holds a backslash');
  if (name.includes('\u0000')) return refuse('NUL', 'a name holds a NUL character');
  if (hasControl(name)) return refuse('CONTROL', 'a name holds a control character');
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return refuse('TOO_LONG', `a name is longer than ${MAX_NAME_BYTES} bytes`);
  if (platform === 'win32') {
    if (WINDOWS_FORBIDDEN.test(name)) return refuse('WINDOWS_NAME', 'a name holds one of < > : " | ? *, which Windows cannot store');
    if (WINDOWS_RESERVED.test(name)) return refuse('WINDOWS_NAME', `"${name}" is a device name on Windows`);
    if (/[. ]$/.test(name)) return refuse('WINDOWS_NAME', 'a name ends with a dot or a space, which Windows drops');
  }
  return undefined;
}

function refuse(code: LocalNameCode, reason: string): Extract<LocalPathCheck, { ok: false }> {
  return { ok: false, code, reason };
}
