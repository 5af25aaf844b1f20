// Which entries of the master folder are print files: extensions and hidden names.

/** Print extensions either printer kind lists: Buddy's `.g .gc .gco .gcode .bgc .bgcode`, Pi's are a subset. */
export const DEFAULT_PRINT_EXTENSIONS: readonly string[] = ['.bgc', '.bgcode', '.g', '.gc', '.gco', '.gcode'];

/** Dot-names are hidden on both printers (and are Pi's in-progress `.part` uploads), so never synced. */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

/** Lower-cases and adds the leading dot, so "GCODE", ".gcode" and "gcode" mean one extension. */
export function normalizeExtensions(extensions: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const raw of extensions) {
    const trimmed = raw.trim().toLowerCase();
    if (trimmed === '' || trimmed === '.') continue;
    set.add(trimmed.startsWith('.') ? trimmed : `.${trimmed}`);
  }
  return set;
}

/** The extension of a name, lower-cased, with its dot; '' when there is none ("Makefile", ".hidden"). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}

/** True when the name ends with one of the (normalized) extensions, in any case. */
export function hasPrintExtension(name: string, extensions: ReadonlySet<string>): boolean {
  const ext = extensionOf(name);
  return ext !== '' && extensions.has(ext);
}
