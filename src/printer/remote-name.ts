// The one gate for names that come from a printer: a name that could steer a request outside its
// folder, or that the printer's own file system cannot hold, makes the whole listing unusable.

/** Longest name any supported file system holds: FAT long names and ext4 both stop at 255. */
export const MAX_REMOTE_NAME_UTF16 = 255;
/** ext4 counts bytes; FAT's 255 UTF-16 units are at most 765 bytes of UTF-8. */
export const MAX_REMOTE_NAME_BYTES = 765;

/** Printable ASCII but "/" and "\\": the names of almost every listing, which need no closer look. */
const PLAIN_NAME = /^[\x20-\x2e\x30-\x5b\x5d-\x7e]+$/;

/** Why a name from a printer cannot be used, or undefined when it can. Pure. */
export function remoteNameProblem(name: string): string | undefined {
  if (name.length <= MAX_REMOTE_NAME_UTF16 && name !== '.' && name !== '..' && PLAIN_NAME.test(name)) return undefined;
  return closerProblem(name);
}

function closerProblem(name: string): string | undefined {
  if (name === '') return 'an empty name';
  if (name === '.' || name === '..') return `the name "${name}"`;
  for (const char of name) {
    const code = char.codePointAt(0) as number;
    if (char === '/') return 'a name holding "/"';
    // FatFS takes a backslash as a folder separator: "..\x" climbs out of the folder listed.
    if (char === '\\') return 'a name holding "\\"';
    if (code === 0) return 'a name holding a NUL character';
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 'a name holding a control character';
    // What a body that is not valid UTF-8 decodes to: the name the printer holds is unknown.
    if (code === 0xfffd) return 'a name that is not valid UTF-8';
    // A lone surrogate cannot be encoded in a request.
    if (code >= 0xd800 && code <= 0xdfff) return 'a name that is not valid Unicode';
  }
  if (name.length > MAX_REMOTE_NAME_UTF16 || Buffer.byteLength(name, 'utf8') > MAX_REMOTE_NAME_BYTES) {
    return 'a name longer than any printer file system holds';
  }
  return undefined;
}

/** The fix for a listing refused by the gate. */
export const REMOTE_NAME_HINT =
  'remove or rename that entry on the printer (from its screen or storage), and check who can reach the printer on the network';

/** JSON-quoted with control characters escaped, so a hostile name is shown, never obeyed. */
export function quoteRemoteName(name: string): string {
  const shown = name.length > 80 ? `${name.slice(0, 77)}...` : name;
  return JSON.stringify(shown).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Checks both names of one listing entry (the long display name and the name URLs are built from);
 * resolves a message for the WireError that refuses the listing, or undefined.
 */
export function listingNameProblem(names: ReadonlyArray<string | undefined>): string | undefined {
  for (const name of names) {
    const problem = name === undefined ? undefined : namedProblem(name);
    if (problem) return problem;
  }
  return undefined;
}

/** listingNameProblem for the two names of one entry, without building a list per entry. */
export function entryNamesProblem(urlName: string, displayName: string | undefined): string | undefined {
  return namedProblem(urlName) ?? (displayName === undefined ? undefined : namedProblem(displayName));
}

function namedProblem(name: string): string | undefined {
  const problem = remoteNameProblem(name);
  if (!problem) return undefined;
  // "." and ".." name themselves already.
  const shown = name === '.' || name === '..' ? '' : ` (${quoteRemoteName(name)})`;
  return `lists an entry with ${problem}${shown}; nothing is changed on this printer while its listing holds such a name`;
}
