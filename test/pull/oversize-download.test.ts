// A printer that lists a file as 100 bytes and then sends far more: `pull --go` stops the download
// as soon as the bytes outgrow the listing (or the answer announces more), names the file, the
// printer and both sizes, and leaves neither the file nor its hidden temporary copy behind.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { runCli, type CliRun } from '../helpers/cli.js';
import { tempDir, writeTree } from '../helpers/fixtures.js';
import { withServer } from '../helpers/test-server.js';

const T = { timeout: 60_000 };
const LISTED = 100;
/** Far more than the listing, and more than socket buffers hold: a client that reads it all lets the server finish. */
const SENT = 64 * 1024 * 1024;
const show = (run: CliRun): string => `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

interface Served {
  /** The whole oversized body was taken by the client. */
  finished: boolean;
  started: boolean;
}

/** A PrusaLink printer listing big.gcode at 100 bytes; its download brings SENT bytes, with or without a Content-Length. */
function liar(served: Served, announce: boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, body?: unknown): void => {
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const url = req.url ?? '';
    if (url === '/api/version') return send(200, { api: '2.0.0', text: 'PrusaLink', capabilities: { 'upload-by-put': true } });
    if (url === '/api/v1/info') return send(200, { serial: 'SN-OVERSIZE', hostname: 'liar' });
    if (url === '/api/v1/storage')
      return send(200, { storage_list: [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }] });
    if (url === '/api/v1/status') return send(200, { printer: { state: 'IDLE' } });
    if (url === '/api/v1/job' || url === '/api/v1/transfer') return send(204);
    if (url === '/api/v1/files/usb') {
      const entry = { name: 'BIG.GCO', display_name: 'big.gcode', type: 'PRINT_FILE', size: LISTED, m_timestamp: 1_700_000_000 };
      return send(200, { type: 'FOLDER', name: 'usb', children: [{ ...entry, refs: { download: '/usb/BIG.GCO' } }] });
    }
    if (url === '/api/v1/files/usb/BIG.GCO') return send(200, { name: 'BIG.GCO', size: LISTED, m_timestamp: 1_700_000_000 });
    if (url === '/usb/BIG.GCO') {
      served.started = true;
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', ...(announce ? { 'Content-Length': String(SENT) } : {}) });
      const block = Buffer.alloc(64 * 1024, 0x47);
      let sent = 0;
      const more = (): void => {
        while (sent < SENT) {
          sent += block.length;
          if (!res.write(block)) return;
        }
        res.end();
      };
      res.on('drain', more);
      res.on('finish', () => (served.finished = true));
      more();
      return;
    }
    return send(404, { title: 'Not Found', message: 'Not Found' });
  };
}

/** Every entry under `dir`, hidden ones included, as relative paths. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

for (const announce of [false, true]) {
  describe(`a download bigger than listed (${announce ? 'announced by Content-Length' : 'chunked, no length'})`, T, () => {
    test('pull --go stops it early, names file, printer and sizes, and keeps nothing', T, async () => {
      const work = tempDir();
      try {
        const master = path.join(work.dir, 'master');
        const state = path.join(work.dir, 'state');
        const config = path.join(work.dir, 'printers.yml');
        writeTree(master, { 'keep.txt': 'local\n' });
        const served: Served = { finished: false, started: false };
        let run: CliRun | undefined;
        await withServer(liar(served, announce), async (baseUrl) => {
          writeFileSync(config, `liar:\n  printer_type: MK4S\n  host: ${baseUrl}\n  api_key: key-123456\n`, { mode: 0o600 });
          run = await runCli(['pull', '-c', config, '-s', master, '--go', '--state-dir', state, '--retries', '0'], { cwd: work.dir });
        });
        assert.ok(run);
        assert.equal(run.code, 1, show(run));
        assert.ok(served.started, 'the download was asked for');
        assert.equal(served.finished, false, 'the download was stopped before the printer sent everything');
        const size = announce ? `its answer announces ${SENT}` : 'sent more';
        assert.match(
          run.stderr,
          new RegExp(`^liar: FAILED to download big\\.gcode: .*BIG\\.GCO: the printer listed ${LISTED} bytes but ${size}`, 'm'),
          show(run),
        );
        assert.deepEqual(tree(master), ['keep.txt'], 'neither the file nor a temporary copy is left');
      } finally {
        work.cleanup();
      }
    });
  });
}
