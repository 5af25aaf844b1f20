// A folder of the master that a pulled file needs and that cannot be made, or that refuses the file:
// the failure names the folder or file, says why in words (not the ENOENT, ENOTDIR or EROFS of the
// file system) and how to fix it, and nothing is written.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.js';
import { gcode } from '../helpers/fixtures.js';
import { lockFolder } from '../helpers/locked-folder.js';
import { readOnlyMount, readOnlyMountSkip } from '../helpers/read-only-mount.js';
import { withServer } from '../helpers/test-server.js';
import { useWorkspace } from '../helpers/workspace.js';

const T = { timeout: 60_000 };
const ws = useWorkspace({ printers: [{ name: 'mk4-p', model: 'MK4' }], master: {} });
const show = (run: CliRun): string => `exit ${run.code}\n${run.stdout}\n${run.stderr}`;
const FIX = 'pull into another folder with -s';

/** `pull --go` with `config` into `master`: the line of the failed download of `file`. */
async function failedPull(config: string, master: string, file: string, options: { wrap?: string[] } = {}): Promise<string> {
  const args = ['pull', '-c', config, '-s', master, '--go', '--state-dir', path.join(ws.dir, 'state'), '--retries', '0'];
  const run = await runCli(args, { cwd: ws.dir, ...options });
  assert.equal(run.code, 1, show(run));
  const line = run.stderr.split('\n').find((l) => l.includes(`FAILED to download ${file}:`));
  assert.ok(line, show(run));
  return line;
}

/** Every entry under the master, as relative paths. */
const master = (): string[] => readdirSync(ws.master, { recursive: true, encoding: 'utf8' }).sort();

describe('pull into a folder that cannot be made', () => {
  // The recursive mkdir reported ENOTDIR here (ENOENT for the link itself), as on a read-only file system.
  test('a link to a folder that does not exist', T, async () => {
    ws.printer('mk4-p').seed('sliced/deep/part.gcode', gcode('part', 1200));
    mkdirSync(ws.master);
    const link = path.join(ws.master, 'sliced');
    symlinkSync(path.join(ws.dir, 'unmounted'), link);
    assert.equal(
      await failedPull(ws.config, ws.master, 'sliced/deep/part.gcode'),
      `mk4-p: FAILED to download sliced/deep/part.gcode: cannot create folder ${path.join(link, 'deep')} ` +
        `(${link} is a link to a folder that does not exist) (make the link point to a folder that exists, or ${FIX})`,
    );
    assert.deepEqual(master(), ['sliced']);
  });

  // The plan skips a path a file blocks; this file appears once the pull has begun.
  test('a file where a folder goes', T, async () => {
    mkdirSync(ws.master);
    const file = path.join(ws.master, 'sub');
    const config = path.join(ws.dir, 'bare.yml');
    let line = '';
    await withServer(
      printerWith(() => writeFileSync(file, 'not a folder')),
      async (baseUrl) => {
        writeFileSync(config, `bare:\n  printer_type: MK4S\n  host: ${baseUrl}\n  api_key: key-123456\n`, { mode: 0o600 });
        line = await failedPull(config, ws.master, 'sub/part.gcode');
      },
    );
    assert.equal(
      line,
      `bare: FAILED to download sub/part.gcode: cannot create folder ${file} (${file} is not a folder) (move that file out of the way, or ${FIX})`,
    );
    assert.deepEqual(master(), ['a.gcode', 'sub']);
  });

  test('a read-only file system', { ...T, skip: readOnlyMountSkip() }, async () => {
    ws.printer('mk4-p').seed('sliced/deep/part.gcode', gcode('part', 1200));
    const mount = path.join(ws.master, 'sliced');
    mkdirSync(mount, { recursive: true });
    assert.equal(
      await failedPull(ws.config, ws.master, 'sliced/deep/part.gcode', { wrap: readOnlyMount(mount) }),
      `mk4-p: FAILED to download sliced/deep/part.gcode: cannot create folder ${path.join(mount, 'deep')} (read-only file system) (${FIX})`,
    );
  });
});

describe('pull into a folder that refuses the file', () => {
  test('a master folder on a read-only file system: exit 2 before any download', { ...T, skip: readOnlyMountSkip() }, async () => {
    ws.printer('mk4-p').seed('part.gcode', gcode('part', 1200));
    mkdirSync(ws.master);
    const args = ['pull', '-c', ws.config, '-s', ws.master, '--go', '--state-dir', path.join(ws.dir, 'state')];
    const run = await runCli(args, { cwd: ws.dir, wrap: readOnlyMount(ws.master) });
    assert.equal(run.code, 2, show(run));
    assert.ok(run.stderr.includes(`cannot write into ${ws.master} (read-only file system): pulled files go there`), show(run));
    assert.ok(run.stderr.includes(`${FIX}; nothing was downloaded`), show(run));
  });

  // The folder exists but takes no new file: the download's temporary file cannot be created there.
  test('a folder of the master on a read-only file system: no temporary file can be made', {
    ...T,
    skip: readOnlyMountSkip(),
  }, async () => {
    ws.printer('mk4-p').seed('sliced/part.gcode', gcode('part', 1200));
    const mount = path.join(ws.master, 'sliced');
    mkdirSync(mount, { recursive: true });
    const args = ['pull', '-c', ws.config, '-s', ws.master, '--go', '--state-dir', path.join(ws.dir, 'state'), '--retries', '2'];
    const run = await runCli(args, { cwd: ws.dir, wrap: readOnlyMount(mount) });
    assert.equal(run.code, 1, show(run));
    const line = run.stderr.split('\n').find((l) => l.includes('FAILED to download sliced/part.gcode:'));
    assert.equal(
      line,
      `mk4-p: FAILED to download sliced/part.gcode: cannot write into ${mount} (read-only file system) (pull into another folder with -s)`,
      show(run),
    );
    assert.doesNotMatch(run.stderr + run.stdout, /EROFS|link-sync\.part|retry|unreachable|not reached/i, show(run));
  });

  test('a folder of the master on a full disk', { ...T, skip: readOnlyMountSkip() }, async () => {
    ws.printer('mk4-p').seed('sliced/part.gcode', gcode('part', 64_000));
    const mount = path.join(ws.master, 'sliced');
    mkdirSync(mount, { recursive: true });
    // A file system of one page: the download fills it.
    const full = ['unshare', '--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs -o size=4k none "$0" && exec "$@"', mount];
    const args = ['pull', '-c', ws.config, '-s', ws.master, '--go', '--state-dir', path.join(ws.dir, 'state'), '--retries', '2'];
    const run = await runCli(args, { cwd: ws.dir, wrap: full });
    assert.equal(run.code, 1, show(run));
    const line = run.stderr.split('\n').find((l) => l.includes('FAILED to download sliced/part.gcode:'));
    assert.equal(
      line,
      `mk4-p: FAILED to download sliced/part.gcode: cannot write into ${mount} (no space left on the device) (free some space, or pull into another folder with -s)`,
      show(run),
    );
    assert.doesNotMatch(run.stderr + run.stdout, /ENOSPC|retry|unreachable|not reached/i, show(run));
  });

  // The folder stops taking files while the download runs: the file is downloaded, then cannot be placed.
  test('a folder locked during the download', T, async (t) => {
    mkdirSync(ws.master);
    const config = path.join(ws.dir, 'bare.yml');
    let locked: ReturnType<typeof lockFolder> | undefined;
    let ended = false;
    const lockOnceStarted = async (): Promise<void> => {
      const started = (): boolean => readdirSync(ws.master).some((n) => n.endsWith('.link-sync.part'));
      while (!ended && !started()) await new Promise((r) => setTimeout(r, 10));
      if (!ended) locked = lockFolder(ws.master);
    };
    let run: CliRun | undefined;
    try {
      await withServer(
        printerWith(() => {}, lockOnceStarted),
        async (baseUrl) => {
          writeFileSync(config, `bare:\n  printer_type: MK4S\n  host: ${baseUrl}\n  api_key: key-123456\n`, { mode: 0o600 });
          const args = ['pull', '-c', config, '-s', ws.master, '--go', '--state-dir', path.join(ws.dir, 'state'), '--retries', '0'];
          run = await runCli(args, { cwd: ws.dir }).finally(() => (ended = true));
        },
      );
    } finally {
      if (locked?.ok) locked.unlock();
    }
    if (locked && !locked.ok) return t.skip(locked.why);
    assert.equal(run!.code, 1, show(run!));
    const cause = process.getuid?.() === 0 ? 'operation not permitted' : 'permission denied';
    const target = path.join(ws.master, 'a.gcode');
    assert.ok(
      run!.stderr.includes(`warning: cannot write ${target} (${cause}) (make ${ws.master} writable, or pull into another folder with -s)`),
      show(run!),
    );
    assert.equal(existsSync(target), false);
  });
});

const A = gcode('a', 300);
const PART = gcode('part', 400);

/**
 * A PrusaLink printer holding a.gcode and sub/part.gcode; `onFirstDownload` runs as a.gcode is asked
 * for, and `midDownload`, when given, once its first bytes are sent (the rest follows when it resolves).
 */
function printerWith(onFirstDownload: () => void, midDownload?: () => Promise<void>) {
  const file = (name: string, display: string, body: string, at: string) => ({
    name,
    display_name: display,
    type: 'PRINT_FILE',
    size: body.length,
    m_timestamp: 1_700_000_000,
    refs: { download: at },
  });
  return (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, body?: unknown): void => {
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const url = req.url ?? '';
    if (url === '/api/version') return send(200, { api: '2.0.0', text: 'PrusaLink', capabilities: { 'upload-by-put': true } });
    if (url === '/api/v1/info') return send(200, { serial: 'SN-BARE', hostname: 'bare' });
    if (url === '/api/v1/storage')
      return send(200, { storage_list: [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }] });
    if (url === '/api/v1/status') return send(200, { printer: { state: 'IDLE' } });
    if (url === '/api/v1/job' || url === '/api/v1/transfer') return send(204);
    if (url === '/api/v1/files/usb')
      return send(200, {
        type: 'FOLDER',
        name: 'usb',
        children: [file('A.GCO', 'a.gcode', A, '/usb/A.GCO'), { name: 'SUB', display_name: 'sub', type: 'FOLDER' }],
      });
    if (url === '/api/v1/files/usb/SUB')
      return send(200, { type: 'FOLDER', name: 'SUB', children: [file('PART.GCO', 'part.gcode', PART, '/usb/SUB/PART.GCO')] });
    if (url === '/usb/A.GCO') {
      onFirstDownload();
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(A.length) });
      if (!midDownload) return void res.end(A);
      res.write(A.slice(0, 100));
      return void midDownload().then(() => res.end(A.slice(100)));
    }
    if (url === '/usb/SUB/PART.GCO') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(PART.length) });
      return void res.end(PART);
    }
    return send(404, { title: 'Not Found', message: 'Not Found' });
  };
}
