// Test fixtures: temporary master folders, and config files pointing at simulated printers.

import { mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SimPrinter } from '../../src/simulator/index.js';

export function tempDir(prefix = 'link-sync-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes files (relative POSIX path → content) under root; optional mtime in seconds since the epoch. */
export function writeTree(root: string, files: Record<string, string | Buffer>, mtimeSec?: number): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, ...rel.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    if (mtimeSec !== undefined) utimesSync(file, mtimeSec, mtimeSec);
  }
}

/** A printers.yml for these simulated printers, as a user would write it: a Buddy on firmware 4.4
 * takes only an API key (its password), every other printer a login. */
export function configYaml(printers: SimPrinter[]): string {
  const lines: string[] = [];
  for (const p of printers) {
    lines.push(`${p.name}:`, `  printer_type: ${p.model}`, `  host: ${p.url}`);
    if (p.firmware === 'legacy' && p.personality === 'buddy') lines.push(`  api_key: ${JSON.stringify(p.credentials.password)}`);
    else lines.push(`  username: ${p.credentials.username}`, `  password: ${JSON.stringify(p.credentials.password)}`);
  }
  return lines.join('\n') + '\n';
}

export function writeConfig(dir: string, printers: SimPrinter[]): string {
  const file = path.join(dir, 'printers.yml');
  writeFileSync(file, configYaml(printers), { mode: 0o600 });
  return file;
}

/** A small, valid-looking G-code body of about `bytes` bytes. */
export function gcode(label: string, bytes = 2000): string {
  const head = `; ${label}\nG28\n`;
  const line = 'G1 X10.00 Y10.00 E0.0100\n';
  return head + line.repeat(Math.max(0, Math.ceil((bytes - head.length) / line.length)));
}

/** The printer's file tree as sorted "path size" lines, for comparing end states. */
export function remoteTree(printer: SimPrinter): string[] {
  return printer
    .files()
    .filter((f) => f.storage === printer.storage)
    .map((f) => f.path)
    .sort();
}
