// The PrinterApi contract: one suite, run over real HTTP against simulated printers of both dialects
// (v1: Buddy, Pi; legacy: PrusaLink 0.6 on a Pi, Buddy 4.4). Rows a dialect cannot support are
// skipped with the reason in their name. Nonce expiry is in nonces.contract.test.ts.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PrinterApi } from '../../src/printer/api.js';
import { createPrinterApi } from '../../src/printer/create.js';
import { walkRemote } from '../../src/printer/walk.js';
import { startPrinter } from '../../src/simulator/index.js';
import type { SimPrinter } from '../../src/simulator/index.js';
import { defaultAuth, escapeRegExp, FLAVOURS, placed } from './flavours.js';
import { apiFor, body, closedPort, rejection } from './support.js';

const T = { timeout: 20_000 };

/** A row this flavour cannot run: skipped, with the reason in its name. */
function row(name: string, unsupported: string | undefined, fn: () => Promise<void>): void {
  if (unsupported === undefined) test(name, T, fn);
  else test(`${name} (skipped: ${unsupported})`, { ...T, skip: unsupported }, fn);
}

const extensionOf = (name: string): string => name.slice(name.lastIndexOf('.')).toLowerCase();

for (const flavour of FLAVOURS) {
  const at = (path: string): string => placed(flavour, path);

  describe(`PrinterApi contract: ${flavour.label}`, () => {
    let sim: SimPrinter;
    let api: PrinterApi;
    const rules = flavour.rules;
    const same = (a: string, b: string): boolean => (rules.caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b);
    const fresh = (): PrinterApi => apiFor(sim, defaultAuth(flavour, sim));

    before(async () => {
      sim = await startPrinter({ ...flavour.options, password: 'correct-horse-7' });
      api = fresh();
    });
    after(async () => {
      api.close();
      await sim.close();
    });

    test(
      flavour.serial
        ? 'identifies the printer kind, serial and name rules'
        : 'identifies the printer kind and name rules; the legacy API has no serial',
      T,
      async () => {
        const id = await api.identify();
        assert.equal(id.kind, flavour.kind);
        assert.equal(id.serial, flavour.serial ? sim.serial : undefined);
        assert.deepEqual(id.rules, rules);
      },
    );

    test('lists the main storage as available and writable', T, async () => {
      const storages = await api.storages();
      const main = storages.find((s) => s.name === sim.storage);
      // PrusaLink on a Pi tells its free space (the simulator's 15 GB volume); Buddy does not.
      const { freeSpace, ...rest } = main ?? { freeSpace: undefined };
      assert.deepEqual(rest, { name: sim.storage, available: true, readOnly: false });
      if (sim.personality === 'pi' && sim.firmware === 'current')
        assert.ok(freeSpace !== undefined && freeSpace > 0, 'no free space from a Pi');
      else assert.equal(freeSpace, undefined);
    });

    if (flavour.kind === 'pi') {
      test('offers no writable storage but local: the SD card is read-only', T, async () => {
        const storages = await api.storages();
        assert.deepEqual(
          storages.filter((s) => !s.readOnly).map((s) => s.name),
          ['local'],
        );
        for (const s of storages.filter((x) => x.name === 'sdcard')) assert.equal(s.readOnly, true);
      });
    } else {
      test('reports the USB storage unavailable while no stick is inserted', T, async () => {
        sim.setUsbPresent(false);
        try {
          const usb = (await api.storages()).find((s) => s.name === 'usb');
          assert.equal(usb?.available, false);
        } finally {
          sim.setUsbPresent(true);
        }
      });
    }

    test('reports an idle printer with no job and no transfer', T, async () => {
      sim.setState('IDLE');
      const status = await api.status();
      assert.equal(status.state, 'IDLE');
      assert.equal(status.transferRunning, false);
      assert.equal(status.printing, undefined);
    });

    if (flavour.namesPrintedFile) {
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
    } else {
      test('reports a job without naming its file (the legacy API cannot), so every file is held', T, async () => {
        sim.seed(at('Printing Folder/Print Me Now.gcode'), 'G28\n');
        try {
          for (const state of ['PRINTING', 'PAUSED']) {
            sim.setState(state, { file: at('Printing Folder/Print Me Now.gcode') });
            const status = await api.status();
            assert.equal(status.state, state);
            assert.deepEqual(status.printing, { paths: [] });
          }
        } finally {
          sim.setState('IDLE');
        }
        assert.equal((await api.status()).printing, undefined);
      });
    }

    test('lists the storage root with long names and names to build URLs with', T, async () => {
      sim.seed('A Rather Long Root File Name.gcode', 'G1\n');
      const root = await api.list(sim.storage, '');
      const file = root?.find((e) => e.name === 'A Rather Long Root File Name.gcode');
      assert.ok(file, 'the file is listed under its long name');
      assert.equal(file.type, 'file');
      if (flavour.kind === 'buddy') assert.match(file.urlName, /^[A-Z0-9_]{1,6}~\d+\.[A-Z0-9]{1,3}$/, 'Buddy gives an 8.3 short name');
      else assert.equal(file.urlName, file.name);
    });

    row('lists one folder level with long names and names to build URLs with', flavour.noFolders, async () => {
      sim.seed('listing/A Rather Long Folder Name/Some Long File Name.gcode', 'G1 X1\n');
      sim.seed('listing/short.gcode', 'G1\n');
      // A walk starts at the root; the legacy dialect reads the whole tree there.
      assert.ok((await api.list(sim.storage, ''))?.some((e) => e.name === 'listing'));
      const top = await api.list(sim.storage, 'listing');
      assert.ok(top);
      const folder = top.find((e) => e.name === 'A Rather Long Folder Name');
      assert.ok(folder, 'the folder is listed under its long name');
      assert.equal(folder.type, 'folder');
      if (flavour.kind === 'buddy') assert.match(folder.urlName, /^[A-Z0-9_]{1,6}~\d+$/, 'Buddy gives an 8.3 short name');
      else assert.equal(folder.urlName, folder.name);
      const inner = await api.list(sim.storage, `listing/${folder.urlName}`);
      assert.deepEqual(
        inner?.map((e) => [e.type, e.name]),
        [['file', 'Some Long File Name.gcode']],
      );
      assert.equal(await api.list(sim.storage, 'listing/no such folder'), undefined);
    });

    const statName = 'reads one file with its size and time, and nothing for a missing file';
    test(
      flavour.noFileTime ? `reads one file with its size, and nothing for a missing file (${flavour.noFileTime})` : statName,
      T,
      async () => {
        sim.seed(at('stat/one.gcode'), 'x'.repeat(1234), { mTimestamp: 1_700_000_000 });
        const info = await api.stat(sim.storage, at('stat/one.gcode'));
        assert.equal(info?.size, 1234);
        if (!flavour.noFileTime) assert.equal(typeof info?.mTimestamp, 'number');
        assert.equal(info?.readOnly, false);
        assert.equal(await api.stat(sim.storage, at('stat/missing.gcode')), undefined);
      },
    );

    row('uploads a new file, creating its parent folders, and counts the bytes sent', flavour.noFolders, async () => {
      const content = 'G28\n'.repeat(5000);
      let last = 0;
      await api.upload(sim.storage, 'up/new/deeper/first file.gcode', body(content), {
        overwrite: false,
        onBytes: (n) => (last = n),
      });
      assert.equal(sim.readFile('up/new/deeper/first file.gcode')?.toString(), content);
      assert.equal(last, content.length);
      assert.ok(
        sim.folders().some((f) => same(f, 'up/new/deeper')),
        'parents created',
      );
    });

    test('uploads a new file to the storage root and counts only its own bytes', T, async () => {
      const content = 'G1 X2\n'.repeat(4000);
      const seen: number[] = [];
      await api.upload(sim.storage, 'root upload.gcode', body(content), { overwrite: false, onBytes: (n) => seen.push(n) });
      assert.equal(sim.readFile('root upload.gcode')?.toString(), content);
      assert.equal(seen[seen.length - 1], content.length);
      assert.ok(
        seen.every((n, i) => n <= content.length && (i === 0 || n >= (seen[i - 1] ?? 0))),
        'progress only grows, up to the file size',
      );
    });

    test('replaces an existing file when asked to overwrite', T, async () => {
      sim.seed(at('up/replace.gcode'), 'old content\n');
      await api.upload(sim.storage, at('up/replace.gcode'), body('new content, longer\n'), { overwrite: true });
      assert.equal(sim.readFile(at('up/replace.gcode'))?.toString(), 'new content, longer\n');
    });

    test('refuses to upload over an existing file without overwrite', T, async () => {
      sim.seed(at('up/keep.gcode'), 'keep me\n');
      const err = await rejection(api.upload(sim.storage, at('up/keep.gcode'), body('intruder\n'), { overwrite: false }));
      assert.equal(err.kind, 'file-in-use');
      assert.equal(err.status, 409);
      assert.match(err.message, new RegExp(`^printer printer-under-test: upload of ${escapeRegExp(at('up/keep.gcode'))} refused: 409 \\S`));
      assert.equal(sim.readFile(at('up/keep.gcode'))?.toString(), 'keep me\n');
    });

    const folderName =
      flavour.dialect === 'legacy'
        ? 'refuses to create a folder, sending nothing: the legacy API has no way to'
        : 'creates one folder level, and tells a folder that was there already';
    test(folderName, T, async () => {
      if (flavour.dialect === 'legacy') {
        sim.clearRequests();
        const err = await rejection(api.createFolder(sim.storage, 'made'));
        assert.equal(err.kind, 'rejected');
        assert.deepEqual(sim.requests(), []);
        return;
      }
      assert.equal(await api.createFolder(sim.storage, 'made'), 'created');
      assert.equal(await api.createFolder(sim.storage, 'made/Long Folder Name'), 'created');
      assert.ok(sim.folders().some((f) => same(f, 'made/Long Folder Name')));
      // Buddy answers 409 for a folder that exists, a Pi 201 (mkdir -p): either way it is there.
      assert.equal(await api.createFolder(sim.storage, 'made'), flavour.kind === 'buddy' ? 'exists' : 'created');
    });

    const removeName = flavour.noFolders
      ? `removes a file and says not-found for a missing one (folders skipped: ${flavour.noFolders})`
      : 'removes a file and an empty folder, and says not-found for a missing one';
    test(removeName, T, async () => {
      sim.seed(at('rm/gone.gcode'), 'bye\n');
      await api.remove(sim.storage, at('rm/gone.gcode'));
      assert.equal(sim.readFile(at('rm/gone.gcode')), undefined);
      if (!flavour.noFolders) {
        sim.seedFolder('rm/empty');
        await api.remove(sim.storage, 'rm/empty');
        assert.ok(!sim.folders().some((f) => same(f, 'rm/empty')));
      }
      const err = await rejection(api.remove(sim.storage, at('rm/never.gcode')));
      assert.equal(err.kind, 'not-found');
    });

    row('walks a nested tree with spaces, unicode and plus signs in names', flavour.noFolders, async () => {
      const names = [
        'walk root/a b.gcode',
        'walk root/ünï cödé/x+y.gcode',
        'walk root/ünï cödé/deeper still/z z.gcode',
        'walk root/plus+folder/p.gcode',
        'walk root/ünï cödé/binary one.bgcode',
        // Buddy lists only print files; Pi v1 lists everything, and the planner decides.
        'walk root/notes.txt',
      ];
      for (const n of names) sim.seed(n, `; ${n}\n`);
      sim.seedFolder('walk root/empty one');
      const listed = names.filter((n) => flavour.listsEveryFile || rules.printExtensions.includes(extensionOf(n)));
      const tree = await walkRemote(api, sim.storage, 'walk root', rules);
      assert.equal(tree.rootExists, true);
      assert.deepEqual(tree.files.map((f) => f.path).sort(), listed.map((n) => n.slice('walk root/'.length)).sort());
      assert.deepEqual(tree.folders.map((f) => f.path).sort(), ['empty one', 'plus+folder', 'ünï cödé', 'ünï cödé/deeper still'].sort());
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
      await api.upload(sim.storage, at('plus/a+b c.gcode'), body('G1\n'), { overwrite: false });
      assert.equal(sim.readFile(at('plus/a+b c.gcode'))?.toString(), 'G1\n');
      assert.equal(sim.readFile(at('plus/a b c.gcode')), undefined);
    });

    const onceName =
      flavour.auth === 'digest'
        ? 'authenticates once per run: one 401 across many requests, a constant User-Agent'
        : 'authenticates every request with the API key and a constant User-Agent (Buddy 4.4 has no digest)';
    test(onceName, T, async () => {
      const other = fresh();
      sim.clearRequests();
      const payload = '; 0\n'.repeat(100);
      try {
        await other.identify();
        await other.status();
        await other.storages();
        for (let i = 0; i < 4; i++) {
          await other.upload(sim.storage, at(`once/file ${i}.gcode`), body(`; ${i}\n`.repeat(100)), { overwrite: true });
        }
        await other.list(sim.storage, flavour.noFolders ? '' : 'once');
        await other.stat(sim.storage, at('once/file 0.gcode'));
        await other.remove(sim.storage, at('once/file 3.gcode'));
      } finally {
        other.close();
      }
      const log = sim.requests();
      assert.ok(log.length >= 8);
      assert.equal(log.filter((r) => r.status === 401).length, flavour.auth === 'digest' ? 1 : 0, 'challenges');
      const uploads = log.filter((r) => r.method === flavour.uploadMethod);
      assert.equal(uploads.length, 4);
      for (const up of uploads) {
        assert.equal(up.status, 201);
        assert.equal(up.auth, flavour.auth);
        assert.equal(up.headers['accept'], 'application/json');
        if (flavour.dialect === 'v1') {
          assert.equal(up.headers['content-type'], 'text/x.gcode');
          assert.equal(up.headers['overwrite'], '?1');
          assert.equal(up.headers['content-length'], String(Buffer.byteLength(payload)));
        } else {
          // The multipart envelope is counted up front: the printer reads exactly what was announced.
          assert.match(up.headers['content-type'] ?? '', /^multipart\/form-data; boundary=\S+$/);
          assert.equal(up.headers['content-length'], String(up.bytesIn));
          assert.ok(up.bytesIn > Buffer.byteLength(payload));
        }
      }
      assert.equal(new Set(log.map((r) => r.headers['user-agent'])).size, 1);
      assert.match(log[0]?.headers['user-agent'] ?? '', /^link-sync\/\d/);
    });

    test(
      flavour.auth === 'digest'
        ? 'sends the first upload of a run pre-authorised so its body goes once'
        : 'sends the first upload of a run with its key so its body goes once',
      T,
      async () => {
        const other = fresh();
        sim.clearRequests();
        const b = body('G28\n'.repeat(2000));
        try {
          await other.upload(sim.storage, at('preauth/first.gcode'), b, { overwrite: true });
        } finally {
          other.close();
        }
        assert.equal(b.opened, 1, 'the body was read once');
        // Detection asks /api/v1/storage; a legacy printer answers 404 there and is then asked /api/version.
        const detect =
          flavour.dialect === 'v1'
            ? [['GET', 200]]
            : [
                ['GET', 404],
                ['GET', 200],
              ];
        // Buddy 4.4 cannot overwrite, so it looks for an old file that must go first.
        const expected =
          flavour.auth === 'digest'
            ? [['GET', 401], ...detect, [flavour.uploadMethod, 201]]
            : [...detect, ['GET', 404], [flavour.uploadMethod, 201]];
        assert.deepEqual(
          sim.requests().map((r) => [r.method, r.status]),
          expected,
        );
      },
    );

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
        await keyed.upload(sim.storage, at('key/k.gcode'), body('G1\n'), { overwrite: true });
      } finally {
        keyed.close();
      }
      const log = sim.requests();
      assert.ok(log.length >= 2);
      // A 404 is fine here (the legacy dialect looks for an old file first); no request may be refused.
      assert.ok(
        log.every((r) => r.auth === 'api-key' && r.status !== 401 && r.status !== 403),
        JSON.stringify(log.map((r) => [r.status, r.auth])),
      );
      assert.equal(sim.readFile(at('key/k.gcode'))?.toString(), 'G1\n');
      const bad = apiFor(sim, { kind: 'api-key', apiKey: 'wrong-key-000' });
      try {
        const err = await rejection(bad.storages());
        assert.equal(err.kind, 'auth');
        assert.ok(!err.message.includes('wrong-key-000'));
      } finally {
        bad.close();
      }
    });

    const busyName = flavour.noTransferStatus
      ? `refuses an upload while someone else transfers a file (status check skipped: ${flavour.noTransferStatus})`
      : 'refuses an upload while someone else transfers a file';
    test(busyName, T, async () => {
      sim.seedFolder('foreign');
      sim.setForeignTransfer(true, { path: 'foreign/download.gcode', size: 100_000 });
      try {
        const status = await api.status();
        if (!flavour.noTransferStatus) assert.equal(status.transferRunning, true);
        if (flavour.kind === 'buddy' && flavour.dialect === 'v1') {
          // Buddy shows the download in progress as a read-only file without a download link.
          const listed = await api.list(sim.storage, 'foreign');
          const partial = listed?.find((e) => e.name === 'download.gcode');
          assert.deepEqual([partial?.readOnly, partial?.partial], [true, true]);
        }
        const err = await rejection(api.upload(sim.storage, at('foreign/mine.gcode'), body('G1\n'), { overwrite: true }));
        assert.deepEqual([err.kind, err.status], [flavour.busyUpload.kind, flavour.busyUpload.status]);
      } finally {
        sim.setForeignTransfer(false);
      }
    });

    test('reports an unreadable answer as a protocol error', T, async () => {
      const [prefix, call] = flavour.dialect === 'v1' ? ['/api/v1/storage', () => api.storages()] : ['/api/printer', () => api.status()];
      sim.inject({ kind: 'malformed-json', times: 1, pathPrefix: prefix });
      try {
        const err = await rejection(call());
        assert.equal(err.kind, 'protocol');
      } finally {
        sim.clearFaults();
      }
    });

    test('reports an upload whose connection breaks mid-body as an unknown outcome', T, async () => {
      sim.inject({ kind: 'reset-after-bytes', bytes: 20_000, times: 1 });
      try {
        const err = await rejection(api.upload(sim.storage, at('broken/cut.gcode'), body('G1 X1\n'.repeat(50_000)), { overwrite: true }));
        assert.equal(err.kind, 'unknown-outcome');
        assert.equal(sim.readFile(at('broken/cut.gcode')), undefined, 'the printer kept nothing');
      } finally {
        sim.clearFaults();
      }
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
      assert.match(err.message, /^printer ghost: cannot reach http:\/\/127\.0\.0\.1:\d+ for reading the storage list \(ECONNREFUSED\)$/);
    } finally {
      api.close();
    }
  });
});
