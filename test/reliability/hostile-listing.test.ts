// Hostile listings (docs/reliability.md, H rows): a printer whose listing holds a name that could
// steer a request outside the mirrored folder is a protocol problem there, and nothing on it is
// changed; the other printers go on. Entries are injected into the listing with the simulator's
// listing-entries fault, and every mutating request of the run is read back from the request logs.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ExitCode } from '../../src/report/exit-codes.js';
import type { SimFault, SimPrinter, SimPrinterOptions } from '../../src/simulator/index.js';
import { createPrinterApi } from '../../src/printer/create.js';
import type { PrinterApi } from '../../src/printer/api.js';
import { gcode } from '../helpers/fixtures.js';
import { FARM, MASTER, MUTATING, masterHashes, runSync, startBench, type Bench } from './support.js';

const T = { timeout: 60_000 };

/** Every mutating request's decoded target lies in the printer's `farm` folder (or none was sent). */
function assertInScope(p: SimPrinter): void {
  const root = p.personality === 'buddy' ? '/api/v1/files/usb/farm/' : '/api/v1/files/local/farm/';
  for (const r of p.requests().filter((req) => MUTATING.has(req.method))) {
    const decoded = decodeURIComponent(r.target.split('?')[0]!);
    assert.ok(decoded.toLowerCase().startsWith(root), `${p.name}: ${r.method} ${r.target} is outside ${root}`);
    const leaves = /(^|\/)\.\.?(\/|$)|\\|[\u0000-\u001f]/;
    assert.ok(!leaves.test(decoded.slice(root.length)), `${p.name}: ${r.method} ${r.target} leaves its folder`);
  }
}

/** The listing request path of the `farm` folder on this printer (Buddy lists it by its short name). */
function farmListing(p: SimPrinter): string {
  return p.personality === 'buddy' ? '/api/v1/files/usb/FARM' : '/api/v1/files/local/farm';
}

/** Each printer holds a victim outside the mirrored folder and an extraneous file inside it. */
function seedVictims(bench: Bench): void {
  for (const p of bench.farm.printers) {
    p.seed('victim2.gcode', gcode('victim', 400));
    p.seed('farm/old-part.gcode', gcode('old', 300));
  }
}

function assertFarmMirrors(p: SimPrinter): void {
  const hashes = masterHashes(bench().master);
  const files = p.files().filter((f) => f.storage === p.storage && f.path.toLowerCase().startsWith('farm/'));
  assert.deepEqual(files.map((f) => f.path.slice('farm/'.length)).sort(), [...hashes.keys()].sort(), `${p.name} files under farm/`);
  for (const f of files) assert.equal(f.sha256, hashes.get(f.path.slice('farm/'.length)), `${p.name}: ${f.path}`);
}

let current: Bench | undefined;
const bench = (): Bench => current!;

interface Row {
  id: string;
  name: string;
  /** The printer whose listing lies. */
  on: string;
  entries?: Array<Record<string, unknown>>;
  /** Raw JSON bytes of entries (for names that are not valid UTF-8). */
  raw?: Buffer[];
  says: RegExp;
}

const buddyEntry = (name: string, display: string): Record<string, unknown> => ({
  name,
  display_name: display,
  type: 'PRINT_FILE',
  ro: false,
  m_timestamp: 1_700_000_000,
});
const piEntry = (name: string, display = name): Record<string, unknown> => ({
  name,
  display_name: display,
  type: 'PRINT_FILE',
  ro: false,
  size: 300,
  m_timestamp: 1_700_000_000,
});

const ROWS: Row[] = [
  {
    id: 'H1',
    name: 'a backslash climbing out of the folder ("..\\victim2.gcode", shown as old-part.gcode)',
    on: 'mk4-a',
    entries: [buddyEntry('..\\victim2.gcode', 'old-part.gcode')],
    says: /lists an entry with a name holding "\\" \("\.\.\\\\victim2\.gcode"\)/,
  },
  { id: 'H2', name: 'the name "."', on: 'mk4-a', entries: [buddyEntry('.', 'current.gcode')], says: /lists an entry with the name "\."/ },
  { id: 'H3', name: 'the name ".."', on: 'mk3s-c', entries: [piEntry('..')], says: /lists an entry with the name "\.\."/ },
  {
    id: 'H4',
    name: 'a name holding "/" ("../../VICTIM2.GCO")',
    on: 'xl-b',
    entries: [buddyEntry('../../VICTIM2.GCO', 'victim.gcode')],
    says: /lists an entry with a name holding "\/"/,
  },
  {
    id: 'H5',
    name: 'a NUL character',
    on: 'mk4-a',
    entries: [buddyEntry('A\u0000B.GCO', 'a\u0000b.gcode')],
    says: /lists an entry with a name holding a NUL character/,
  },
  {
    id: 'H6',
    name: 'control characters (ESC, CR)',
    on: 'mk3s-c',
    entries: [piEntry('evil\u001b[2J\r.gcode')],
    says: /lists an entry with a name holding a control character/,
  },
  {
    id: 'H7',
    name: 'a name that is not valid UTF-8',
    on: 'mk4-a',
    raw: [
      Buffer.concat([
        Buffer.from('{"name":"BAD'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('.GCO","display_name":"bad'),
        Buffer.from([0xc3]),
        Buffer.from('.gcode","type":"PRINT_FILE","ro":false}'),
      ]),
    ],
    says: /lists an entry with a name that is not valid UTF-8/,
  },
  { id: 'H8', name: 'an empty name', on: 'mk3s-c', entries: [piEntry('')], says: /lists an entry with an empty name/ },
  {
    id: 'H9',
    name: 'a name longer than any file system holds',
    on: 'xl-b',
    entries: [buddyEntry('LONG~1.GCO', `${'x'.repeat(300)}.gcode`)],
    says: /lists an entry with a name longer than any printer file system holds/,
  },
  {
    id: 'H10',
    name: 'invalid UTF-8 on a Pi, in display_name only',
    on: 'mk3s-c',
    raw: [
      Buffer.concat([
        Buffer.from('{"name":"ok.gcode","display_name":"o'),
        Buffer.from([0x80]),
        Buffer.from('k.gcode","type":"PRINT_FILE","ro":false,"size":3}'),
      ]),
    ],
    says: /not valid UTF-8/,
  },
];

describe('hostile listings', { timeout: 600_000 }, () => {
  for (const row of ROWS) {
    test(`${row.id} ${row.name}: a protocol problem on that printer, nothing changed there, the others in sync`, T, async () => {
      current = await startBench(FARM);
      try {
        seedVictims(bench());
        const liar = bench().printer(row.on);
        const fault: SimFault = {
          kind: 'listing-entries',
          path: farmListing(liar),
          ...(row.entries ? { entries: row.entries } : {}),
          ...(row.raw ? { raw: row.raw.map((b) => b.toString('base64')) } : {}),
        };
        liar.inject(fault);
        const run = await runSync(bench(), { destination: 'farm' });

        const result = run.result(row.on);
        assert.equal(result.outcome, 'failed');
        assert.equal(result.error?.code, 'PRINTER_PROTOCOL');
        assert.match(result.error?.message ?? '', row.says);
        assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
        assert.deepEqual(
          liar.requests().filter((r) => MUTATING.has(r.method)),
          [],
          'nothing is changed on the printer whose listing lies',
        );
        assert.ok(liar.readFile('victim2.gcode'), 'the victim survives');
        assert.ok(liar.readFile('farm/old-part.gcode'), 'deletions there are withheld');
        for (const p of bench().farm.printers) {
          assertInScope(p);
          assert.ok(p.readFile('victim2.gcode'), `${p.name}: the file outside the mirrored folder survives`);
          if (p === liar) continue;
          assert.equal(run.result(p.name).outcome, 'in-sync', p.name);
          assertFarmMirrors(p);
        }
      } finally {
        await current.close();
      }
    });
  }

  test('H11 duplicate entries give one deletion; H12 a hidden printer file is never deleted', T, async () => {
    current = await startBench(FARM);
    try {
      seedVictims(bench());
      const mk4 = bench().printer('mk4-a');
      const pi = bench().printer('mk3s-c');
      mk4.seed('farm/.hidden.gcode', gcode('hidden', 200));
      pi.seed('farm/.hidden.gcode', gcode('hidden', 200));
      // The real extraneous file, listed a second time; and a hidden entry the Buddy never lists itself.
      mk4.inject({
        kind: 'listing-entries',
        path: farmListing(mk4),
        entries: [buddyEntry('OLD-PA~1.GCO', 'old-part.gcode'), buddyEntry('HIDDEN~1.GCO', '.hidden.gcode')],
      });
      pi.inject({ kind: 'listing-entries', path: farmListing(pi), entries: [piEntry('old-part.gcode')] });
      const run = await runSync(bench(), { destination: 'farm' });
      assert.equal(run.exitCode, ExitCode.OK);
      for (const p of [mk4, pi]) {
        assert.equal(run.result(p.name).outcome, 'in-sync');
        const deletes = p.requests().filter((r) => r.method === 'DELETE');
        assert.equal(deletes.length, 1, `${p.name}: one DELETE for a file listed twice: ${deletes.map((d) => d.target).join(', ')}`);
        assert.equal(p.readFile('farm/old-part.gcode'), undefined);
        assert.ok(p.readFile('farm/.hidden.gcode'), `${p.name}: the hidden file is kept`);
        assertInScope(p);
      }
      const plan = run.events.find((e) => e.type === 'plan' && e.printer === 'mk4-a');
      assert.ok(
        plan?.type === 'plan' && plan.holds.some((h) => h.path === '.hidden.gcode' && h.reason === 'hidden'),
        'the hidden file is held, and says why',
      );
    } finally {
      await current.close();
    }
  });
});

describe('hostile listings on the legacy API', { timeout: 120_000 }, () => {
  const LEGACY: SimPrinterOptions[] = [
    { name: 'mini-l', model: 'MINI', firmware: 'legacy', password: 'mini-secret-Pa55' },
    { name: 'mk3s-l', model: 'MK3S', firmware: 'legacy', password: 'mk3s-secret-Pa55' },
  ];
  const FLAT: Record<string, string> = { 'benchy.gcode': MASTER['benchy.gcode']! };

  for (const [id, name, display] of [
    ['H13', '..\\victim2.gcode', 'old-part.gcode'],
    ['H14', '..', '..'],
  ] as const) {
    test(`${id} ${JSON.stringify(name)} in /api/files: a protocol problem, nothing changed; the other printer in sync`, T, async () => {
      const legacy = await startBench(LEGACY, FLAT);
      try {
        for (const p of legacy.farm.printers) p.seed('victim2.gcode', gcode('victim', 400));
        const [mini, pi] = legacy.farm.printers as [SimPrinter, SimPrinter];
        mini.inject({
          kind: 'listing-entries',
          path: '/api/files',
          entries: [{ name, display, origin: 'usb', path: `/usb/${name}`, type: 'machinecode' }],
        });
        const run = await runSync(legacy, { delete: true });
        assert.equal(run.result('mini-l').outcome, 'failed');
        assert.equal(run.result('mini-l').error?.code, 'PRINTER_PROTOCOL');
        assert.deepEqual(
          mini.requests().filter((r) => MUTATING.has(r.method)),
          [],
        );
        assert.ok(mini.readFile('victim2.gcode'));
        assert.equal(run.result('mk3s-l').outcome, 'in-sync');
        assert.ok(pi.readFile('benchy.gcode'));
        assert.equal(run.exitCode, ExitCode.ACTIONS_FAILED);
      } finally {
        await legacy.close();
      }
    });
  }
});

describe('the scope check behind the gate', { timeout: 60_000 }, () => {
  test(
    'H15 a listing that slips past the gate (an API that lies about a URL name): the DELETE outside is never sent; exit 70 naming the path',
    T,
    async () => {
      current = await startBench(FARM.slice(0, 2));
      try {
        seedVictims(bench());
        // Stands for a bug in the gate: the real API, whose farm listing gains an entry the wire never sent.
        const connect = (printer: Parameters<typeof createPrinterApi>[0]): PrinterApi => {
          const api = createPrinterApi(printer, { allowSelfSigned: false });
          if (printer.name !== 'mk4-a') return api;
          return {
            name: api.name,
            identify: () => api.identify(),
            status: () => api.status(),
            storages: () => api.storages(),
            transfer: () => api.transfer(),
            stat: (storage, url) => api.stat(storage, url),
            download: (storage, url, options) => api.download(storage, url, options),
            upload: (storage, url, body, options) => api.upload(storage, url, body, options),
            createFolder: (storage, url) => api.createFolder(storage, url),
            remove: (storage, url) => api.remove(storage, url),
            close: () => api.close(),
            list: async (storage, dirUrl) => {
              const entries = await api.list(storage, dirUrl);
              if (entries && dirUrl.toLowerCase() === 'farm')
                entries.push({ type: 'file', name: 'ghost.gcode', urlName: '..\\VICTIM2.GCO', readOnly: false });
              return entries;
            },
          };
        };
        const run = await runSync(bench(), { destination: 'farm', connect });
        const mk4 = bench().printer('mk4-a');
        const result = run.result('mk4-a');
        assert.equal(result.outcome, 'failed');
        assert.equal(result.error?.code, 'INTERNAL');
        assert.match(
          result.error?.message ?? '',
          /^refused to delete "\/usb\/FARM\/\.\.\\\\VICTIM2\.GCO" on printer mk4-a: its path holds a name holding "\\"; the request was not sent$/,
        );
        assert.equal(run.exitCode, ExitCode.INTERNAL);
        assert.ok(mk4.readFile('victim2.gcode'), 'the victim survives');
        assert.ok(
          !mk4.requests().some((r) => r.method === 'DELETE' && /victim/i.test(decodeURIComponent(r.target))),
          'no DELETE of the victim was sent',
        );
        for (const p of bench().farm.printers) assertInScope(p);
        assert.equal(run.result('xl-b').outcome, 'in-sync');
      } finally {
        await current.close();
      }
    },
  );
});
