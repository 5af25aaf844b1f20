// A printer that says it is printing (or paused, or needs attention) but names no job: with
// --ignore-state, which file is open is unknown, so no file on it is replaced or deleted; new files
// still go. An idle printer without a job is synced as usual.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { sync } from '../../src/run/sync.js';
import { gcode, tempDir, writeTree } from '../helpers/fixtures.js';
import { withServer } from '../helpers/test-server.js';

const T = { timeout: 30_000 };
/** On the printer: one file the master no longer has, one older than the master's copy. */
const ON_PRINTER = ['victim.gcode', 'bench.gcode'];

/** A Buddy-like printer in `state` whose status never carries a job; it logs every change asked of it. */
function printerIn(state: string, changes: string[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const send = (status: number, body?: unknown): void => {
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const url = decodeURIComponent(req.url ?? '');
    if (req.method === 'PUT' || req.method === 'DELETE') {
      changes.push(`${req.method} ${url}`);
      req.resume();
      req.on('end', () => (req.method === 'PUT' ? send(201, { name: 'x', size: 1, m_timestamp: 2_000_000_000 }) : send(204)));
      return;
    }
    if (url === '/api/version') return send(200, { api: '2.0.0', text: 'PrusaLink', capabilities: { 'upload-by-put': true } });
    if (url === '/api/v1/info') return send(200, { serial: 'SN-NOJOB', hostname: 'nojob' });
    if (url === '/api/v1/storage')
      return send(200, { storage_list: [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }] });
    if (url === '/api/v1/status') return send(200, { printer: { state }, storage: { path: '/usb/', name: 'usb', read_only: false } });
    if (url === '/api/v1/job' || url === '/api/v1/transfer') return send(204);
    if (url === '/api/v1/files/usb') {
      const children = ON_PRINTER.map((name) => ({ name, display_name: name, type: 'PRINT_FILE', size: 500, m_timestamp: 1_300_000_000 }));
      return send(200, { type: 'FOLDER', name: 'usb', children });
    }
    return send(404, { title: 'Not Found', message: 'Not Found' });
  };
}

async function syncOnto(state: string): Promise<{ changes: string[]; outcome: string }> {
  const changes: string[] = [];
  const work = tempDir();
  try {
    const master = path.join(work.dir, 'master');
    writeTree(master, { 'bench.gcode': gcode('new bench', 800), 'new.gcode': gcode('new part', 600) });
    let outcome = '';
    await withServer(printerIn(state, changes), async (baseUrl) => {
      const summary = await sync({
        config: {
          path: path.join(work.dir, 'printers.yml'),
          printers: [{ name: 'nojob', printerType: 'MK4', baseUrl, auth: { kind: 'api-key', apiKey: 'key-123456' } }],
        },
        source: master,
        go: true,
        ignoreState: true,
        stateDir: false,
        retries: 0,
        timeouts: { connectMs: 2_000, responseMs: 2_000, stallMs: 2_000 },
        onEvent: () => {},
      });
      outcome = summary.printers[0]!.outcome;
    });
    return { changes, outcome };
  } finally {
    work.cleanup();
  }
}

describe('--ignore-state and a status without a job', () => {
  for (const state of ['PRINTING', 'PAUSED', 'ATTENTION']) {
    test(`${state}: nothing on the printer is replaced or deleted; the new file is uploaded`, T, async () => {
      const { changes, outcome } = await syncOnto(state);
      assert.deepEqual(changes, ['PUT /api/v1/files/usb/new.gcode']);
      assert.equal(outcome, 'held');
    });
  }

  test('IDLE without a job: the printer is synced as usual', T, async () => {
    const { changes, outcome } = await syncOnto('IDLE');
    assert.deepEqual(changes.sort(), [
      'DELETE /api/v1/files/usb/victim.gcode',
      'PUT /api/v1/files/usb/bench.gcode',
      'PUT /api/v1/files/usb/new.gcode',
    ]);
    assert.equal(outcome, 'in-sync');
  });
});
