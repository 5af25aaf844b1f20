// The PrinterApi contract: one suite, run over real HTTP against a simulated Buddy and a simulated Pi.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PrinterApi } from '../../src/printer/api.js';
import { createPrinterApi } from '../../src/printer/create.js';
import { BUDDY_RULES, PI_RULES } from '../../src/printer/rules.js';
import { walkRemote } from '../../src/printer/walk.js';
import { startPrinter } from '../../src/simulator/index.js';
import type { SimModel, SimPrinter, SimPrinterOptions } from '../../src/simulator/index.js';
import { apiFor, body, closedPort, rejection, sleep } from './support.js';

const T = { timeout: 20_000 };

interface Flavour {
  label: string;
  model: SimModel;
  kind: 'buddy' | 'pi';
  /** Extra simulator options for the printer every test shares. */
  options?: SimPrinterOptions;
}

const FLAVOURS: Flavour[] = [
  { label: 'Buddy (MK4)', model: 'MK4', kind: 'buddy' },
  { label: 'Pi (MK3S)', model: 'MK3S', kind: 'pi', options: { apiKey: 'pi-api-key-1234' } },
];

for (const flavour of FLAVOURS) {
  describe(`PrinterApi contract: ${flavour.label}`, () => {
    let sim: SimPrinter;
    let api: PrinterApi;
    const rules = flavour.kind === 'buddy' ? BUDDY_RULES : PI_RULES;
    const same = (a: string, b: string): boolean => (rules.caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);

    before(async () => {
      sim = await startPrinter({ model: flavour.model, password: 'correct-horse-7', ...flavour.options });
      api = apiFor(sim);
    });
    after(async () => {
      api.close();
      await sim.close();
    });

    test('identifies the printer kind, serial and name rules', T, async () => {
      const id = await api.identify();
      assert.equal(id.kind, flavour.kind);
      assert.equal(id.serial, sim.serial);
      assert.deepEqual(id.rules, rules);
    });

    test('lists the main storage as available and writable', T, async () => {
      const storages = await api.storages();
      const main = storages.find((s) => s.name === sim.storage);
      assert.deepEqual(main, { name: sim.storage, available: true, readOnly: false });
    });

    test('reports an idle printer with no job and no transfer', T, async () => {
      sim.setState('IDLE');
      const status = await api.status();
      assert.equal(status.state, 'IDLE');
      assert.equal(status.transferRunning, false);
      assert.equal(status.printing, undefined);
    });

    test('names the file being printed among the printing paths', T, async () => {
      sim.seed('Printing Folder/Print Me Now.gcode', 'G28\n');
      const tree = await walkRemote(api, sim.storage, 'Printing Folder', rules);
      const urlPath = tree.files.find((f) => f.path === 'Print Me Now.gcode')?.urlPath;
      assert.ok(urlPath);
      sim.setState('PRINTING', { file: 'Printing Folder/Print Me Now.gcode' });
      try {
        const status = await api.status();
        assert.equal(status.state, 'PRINTING');
        assert.ok(status.printing, 'a job is reported');
        // Buddy names the job by short folder names, so a candidate matches the long path or the URL path.
        assert.ok(
          status.printing.paths.some((p) => same(p, 'Printing Folder/Print Me Now.gcode') || same(p, urlPath)),
          `paths ${JSON.stringify(status.printing.paths)} name the printed file`,
        );
        assert.ok(status.printing.paths.every((p) => !p.startsWith('/') && !p.startsWith(`${sim.storage}/`)));
      } finally {
        sim.setState('IDLE');
      }
    });

    test('lists one folder level with long names and names to build URLs with', T, async () => {
      sim.seed('listing/A Rather Long Folder Name/Some Long File Name.gcode', 'G1 X1\n');
      sim.seed('listing/short.gcode', 'G1\n');
      const top = await api.list(sim.storage, 'listing');
      assert.ok(top);
      const folder = top.find((e) => e.name === 'A Rather Long Folder Name');
      assert.ok(folder, 'the folder is listed under its long name');
      assert.equal(folder.type, 'folder');
      if (flavour.kind === 'buddy') assert.match(folder.urlName, /^[A-Z0-9_]{1,6}~\d+$/, 'Buddy gives an 8.3 short name');
      else assert.equal(folder.urlName, folder.name);
      const inner = await api.list(sim.storage, `listing/${folder.urlName}`);
      assert.deepEqual(inner?.map((e) => [e.type, e.name]), [['file', 'Some Long File Name.gcode']]);
      assert.equal(await api.list(sim.storage, 'listing/no such folder'), undefined);
    });

    test('reads one file with its size and time, and nothing for a missing file', T, async () => {
      sim.seed('stat/one.gcode', 'x'.repeat(1234), { mTimestamp: 1_700_000_000 });
      const info = await api.stat(sim.storage, 'stat/one.gcode');
      assert.equal(info?.size, 1234);
      assert.equal(typeof info?.mTimestamp, 'number');
      assert.equal(info?.readOnly, false);
      assert.equal(await api.stat(sim.storage, 'stat/missing.gcode'), undefined);
    });

    test('uploads a new file, creating its parent folders, and counts the bytes sent', T, async () => {
      const content = 'G28\n'.repeat(5000);
      let last = 0;
      await api.upload(sim.storage, 'up/new/deeper/first file.gcode', body(content), {
        overwrite: false,
        onBytes: (n) => (last = n),
      });
      assert.equal(sim.readFile('up/new/deeper/first file.gcode')?.toString(), content);
      assert.equal(last, content.length);
      assert.ok(sim.folders().some((f) => same(f, 'up/new/deeper')), 'parents created');
    });

    test('replaces an existing file when asked to overwrite', T, async () => {
      sim.seed('up/replace.gcode', 'old content\n');
      await api.upload(sim.storage, 'up/replace.gcode', body('new content, longer\n'), { overwrite: true });
      assert.equal(sim.readFile('up/replace.gcode')?.toString(), 'new content, longer\n');
    });

    test('refuses to upload over an existing file without overwrite', T, async () => {
      sim.seed('up/keep.gcode', 'keep me\n');
      const err = await rejection(api.upload(sim.storage, 'up/keep.gcode', body('intruder\n'), { overwrite: false }));
      assert.equal(err.kind, 'file-in-use');
      assert.equal(err.status, 409);
      assert.match(err.message, /^printer printer-under-test: upload of up\/keep\.gcode refused: 409 \S/);
      assert.equal(sim.readFile('up/keep.gcode')?.toString(), 'keep me\n');
    });

    test('removes a file and an empty folder, and says not-found for a missing one', T, async () => {
      sim.seed('rm/gone.gcode', 'bye\n');
      sim.seedFolder('rm/empty');
      await api.remove(sim.storage, 'rm/gone.gcode');
      assert.equal(sim.readFile('rm/gone.gcode'), undefined);
      await api.remove(sim.storage, 'rm/empty');
      assert.ok(!sim.folders().some((f) => same(f, 'rm/empty')));
      const err = await rejection(api.remove(sim.storage, 'rm/never.gcode'));
      assert.equal(err.kind, 'not-found');
    });

    test('walks a nested tree with spaces, unicode and plus signs in names', T, async () => {
      const names = [
        'walk root/a b.gcode',
        'walk root/ünï cödé/x+y.gcode',
        'walk root/ünï cödé/deeper still/z z.gcode',
        'walk root/plus+folder/p.gcode',
        'walk root/ünï cödé/binary one.bgcode',
      ];
      for (const n of names) sim.seed(n, `; ${n}\n`);
      sim.seedFolder('walk root/empty one');
      // Buddy lists only print files; Pi lists everything, and the planner decides.
      sim.seed('walk root/notes.txt', '; walk root/notes.txt\n');
      if (flavour.kind === 'pi') names.push('walk root/notes.txt');
      const tree = await walkRemote(api, sim.storage, 'walk root', rules);
      assert.equal(tree.rootExists, true);
      assert.deepEqual(
        tree.files.map((f) => f.path).sort(),
        names.map((n) => n.slice('walk root/'.length)).sort(),
      );
      assert.deepEqual(
        tree.folders.map((f) => f.path).sort(),
        ['empty one', 'plus+folder', 'ünï cödé', 'ünï cödé/deeper still'].sort(),
      );
      for (const f of tree.files) {
        const info = await api.stat(sim.storage, f.urlPath);
        assert.equal(info?.size, Buffer.byteLength(`; walk root/${f.path}\n`), `${f.urlPath} resolves to the file`);
      }
      const missing = await walkRemote(api, sim.storage, 'walk root/ünï cödé/not yet/here', rules);
      assert.equal(missing.rootExists, false);
      assert.match(missing.rootUrl, /\/not yet\/here$/);
      const existing = tree.folders.find((f) => f.path === 'ünï cödé');
      assert.equal(missing.rootUrl, `${existing?.urlPath}/not yet/here`);
    });

    test('stores a plus sign as a plus, not as a space', T, async () => {
      await api.upload(sim.storage, 'plus/a+b c.gcode', body('G1\n'), { overwrite: false });
      assert.equal(sim.readFile('plus/a+b c.gcode')?.toString(), 'G1\n');
      assert.equal(sim.readFile('plus/a b c.gcode'), undefined);
    });

    test('authenticates once per run: one 401 across many requests, a constant User-Agent', T, async () => {
      const fresh = apiFor(sim);
      sim.clearRequests();
      try {
        await fresh.identify();
        await fresh.status();
        await fresh.storages();
        for (let i = 0; i < 4; i++) {
          await fresh.upload(sim.storage, `once/file ${i}.gcode`, body(`; ${i}\n`.repeat(100)), { overwrite: true });
        }
        await fresh.list(sim.storage, 'once');
        await fresh.stat(sim.storage, 'once/file 0.gcode');
        await fresh.remove(sim.storage, 'once/file 3.gcode');
      } finally {
        fresh.close();
      }
      const log = sim.requests();
      assert.ok(log.length >= 10);
      assert.equal(log.filter((r) => r.status === 401).length, 1, 'exactly one challenge');
      const puts = log.filter((r) => r.method === 'PUT');
      assert.equal(puts.length, 4);
      for (const put of puts) {
        assert.equal(put.status, 201);
        assert.equal(put.auth, 'digest');
        assert.equal(put.headers['content-type'], 'text/x.gcode');
        assert.equal(put.headers['overwrite'], '?1');
        assert.equal(put.headers['accept'], 'application/json');
        assert.equal(put.headers['content-length'], String(Buffer.byteLength('; 0\n'.repeat(100))));
      }
      assert.equal(new Set(log.map((r) => r.headers['user-agent'])).size, 1);
      assert.match(log[0]?.headers['user-agent'] ?? '', /^link-sync\/\d/);
    });

    test('sends the first upload of a run pre-authorised so its body goes once', T, async () => {
      const fresh = apiFor(sim);
      sim.clearRequests();
      const b = body('G28\n'.repeat(2000));
      try {
        await fresh.upload(sim.storage, 'preauth/first.gcode', b, { overwrite: true });
      } finally {
        fresh.close();
      }
      const log = sim.requests();
      assert.equal(b.opened, 1, 'the body was read once');
      assert.deepEqual(
        log.map((r) => [r.method, r.status]),
        [
          ['GET', 401],
          ['GET', 200],
          ['PUT', 201],
        ],
      );
    });

    test('reports a wrong password as an auth error without the password', T, async () => {
      const wrong = apiFor(sim, { kind: 'digest', username: sim.credentials.username, password: 'not-the-password' });
      try {
        const err = await rejection(wrong.identify());
        assert.equal(err.kind, 'auth');
        assert.equal(err.status, 401);
        assert.ok(!`${err.message} ${err.hint}`.includes('not-the-password'));
      } finally {
        wrong.close();
      }
    });

    test('authenticates with an API key', T, async () => {
      const apiKey = flavour.kind === 'buddy' ? sim.credentials.password : (sim.credentials.apiKey ?? '');
      const keyed = apiFor(sim, { kind: 'api-key', apiKey });
      sim.clearRequests();
      try {
        const id = await keyed.identify();
        assert.equal(id.kind, flavour.kind);
        await keyed.upload(sim.storage, 'key/k.gcode', body('G1\n'), { overwrite: true });
      } finally {
        keyed.close();
      }
      const log = sim.requests();
      assert.ok(log.every((r) => r.auth === 'api-key' && r.status < 400), JSON.stringify(log.map((r) => [r.status, r.auth])));
      const bad = apiFor(sim, { kind: 'api-key', apiKey: 'wrong-key-000' });
      try {
        const err = await rejection(bad.storages());
        assert.equal(err.kind, 'auth');
        assert.ok(!err.message.includes('wrong-key-000'));
      } finally {
        bad.close();
      }
    });

    test('refuses an upload while someone else transfers a file', T, async () => {
      sim.seedFolder('foreign');
      sim.setForeignTransfer(true, { path: 'foreign/download.gcode', size: 100_000 });
      try {
        const status = await api.status();
        assert.equal(status.transferRunning, true);
        if (flavour.kind === 'buddy') {
          // Buddy shows the download in progress as a read-only file without a download link.
          const listed = await api.list(sim.storage, 'foreign');
          const partial = listed?.find((e) => e.name === 'download.gcode');
          assert.deepEqual([partial?.readOnly, partial?.partial], [true, true]);
        }
        const err = await rejection(api.upload(sim.storage, 'foreign/mine.gcode', body('G1\n'), { overwrite: true }));
        if (flavour.kind === 'buddy') assert.equal(err.kind, 'transfer-busy');
        else assert.deepEqual([err.kind, err.status], ['http', 500], 'Pi fails a second transfer with a plain 500');
      } finally {
        sim.setForeignTransfer(false);
      }
    });

    test('reports an unreadable answer as a protocol error', T, async () => {
      sim.inject({ kind: 'malformed-json', times: 1, pathPrefix: '/api/v1/storage' });
      try {
        const err = await rejection(api.storages());
        assert.equal(err.kind, 'protocol');
      } finally {
        sim.clearFaults();
      }
    });

    test('reports an upload whose connection breaks mid-body as an unknown outcome', T, async () => {
      sim.inject({ kind: 'reset-after-bytes', bytes: 20_000, times: 1 });
      try {
        const err = await rejection(api.upload(sim.storage, 'broken/cut.gcode', body('G1 X1\n'.repeat(50_000)), { overwrite: true }));
        assert.equal(err.kind, 'unknown-outcome');
        assert.equal(sim.readFile('broken/cut.gcode'), undefined, 'the printer kept nothing');
      } finally {
        sim.clearFaults();
      }
    });
  });

  describe(`PrinterApi contract: ${flavour.label} with short-lived nonces`, () => {
    let sim: SimPrinter;
    before(async () => {
      sim = await startPrinter({ model: flavour.model, password: 'correct-horse-7', nonceLifetimeSec: 1 });
    });
    after(async () => {
      await sim.close();
    });

    test('renews a stale nonce once and carries on, re-sending an upload body', T, async () => {
      const api = apiFor(sim);
      try {
        await api.storages();
        await sleep(2_300); // long enough for the nonce to die on both personalities
        await api.list(sim.storage, '');
        await sleep(2_300);
        const b = body('G28\n'.repeat(500));
        await api.upload(sim.storage, 'stale/after-expiry.gcode', b, { overwrite: false });
        assert.equal(sim.readFile('stale/after-expiry.gcode')?.toString(), 'G28\n'.repeat(500));
        assert.equal(b.opened, 2, 'the body was opened again for the renewed nonce');
      } finally {
        api.close();
      }
      const log = sim.requests().map((r) => `${r.method} ${r.status}`);
      assert.deepEqual(log, ['GET 401', 'GET 200', 'GET 401', 'GET 200', 'PUT 401', 'PUT 201']);
    });
  });
}

describe('PrinterApi contract: unreachable printer', () => {
  test('reports a closed port as unreachable', T, async () => {
    const port = await closedPort();
    const api = createPrinterApi({
      name: 'ghost',
      printerType: 'MK4',
      baseUrl: `http://127.0.0.1:${port}`,
      auth: { kind: 'digest', username: 'maker', password: 'pw' },
    });
    try {
      const err = await rejection(api.identify());
      assert.equal(err.kind, 'unreachable');
      assert.equal(err.printer, 'ghost');
      assert.match(err.message, /^printer ghost: cannot reach http:\/\/127\.0\.0\.1:\d+ for reading \/api\/version \(ECONNREFUSED\)$/);
    } finally {
      api.close();
    }
  });
});
