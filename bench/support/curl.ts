// The reference for the throughput rows: the same uploads made by curl, one process per printer, all
// started at once. Each process PUTs the files one after the other on one connection, with Digest
// auth, as link-sync does; `Expect:` is turned off, or curl would wait a second for a "100 Continue"
// the printers never send.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SimPrinter } from '../../src/simulator/index.js';

/** Wall time (ms) from starting the curl processes to the last one's exit; throws when any upload failed. */
export async function curlUploads(printers: readonly SimPrinter[], source: string, files: readonly string[]): Promise<number> {
  const started = performance.now();
  await Promise.all(printers.map((printer) => curlPrinter(printer, source, files)));
  return performance.now() - started;
}

/** Whether curl can be run here (the row is left out otherwise). */
export async function curlAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('curl', ['--version'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });
}

function curlPrinter(printer: SimPrinter, source: string, files: readonly string[]): Promise<void> {
  const args = [
    '--silent',
    '--show-error',
    '--fail',
    '--digest',
    '--config',
    '-',
    '-H',
    'Expect:',
    '-H',
    'Content-Type: application/octet-stream',
  ];
  for (const rel of files) {
    const target = `${printer.url}/api/v1/files/${printer.storage}/${rel.split('/').map(encodeURIComponent).join('/')}`;
    args.push('--upload-file', join(source, rel), '--output', '/dev/null', target);
  }
  const { username, password } = printer.credentials;
  return new Promise((resolve, reject) => {
    const child = spawn('curl', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`curl to ${printer.name} exited ${code}: ${stderr.trim()}`))));
    // The password goes in on stdin, not on the command line where other processes could read it.
    child.stdin.end(`user = "${configQuote(`${username}:${password}`)}"\n`);
  });
}

/** A value inside double quotes in a curl config file: backslash and quote escaped. */
function configQuote(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}
