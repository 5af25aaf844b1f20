// Scenario 2, a sync with nothing to do: 64 printers that already hold the 10,000 files of a nested
// master folder. Measures wall and CPU time of link-sync, and what each printer was asked.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectOutcome, runLinkSync } from '../support/child.js';
import { formatMethods, requestStats, startBenchFarm, watchSimulatorLoad } from '../support/farm.js';
import { megabytes, percent, range, seconds } from '../support/format.js';
import { writeNestedTree, type TreeShape } from '../support/master.js';
import { median, repeats } from '../support/stats.js';
import type { SimRequestLogEntry } from '../../src/simulator/index.js';
import type { BenchContext, Scenario, ScenarioResult } from '../scenario.js';

const PRINTERS = 64;
const SHAPE: TreeShape = { topFolders: 10, subFolders: 10, filesPerFolder: 100, fileSize: 512 };
/** Requests besides the folder listings that a run with nothing to do may need. */
const EXTRA_REQUESTS = 3;
const RSS_LIMIT = 200_000_000;
const CPU_LIMIT_MS = 6000;
const FIRST_RSS_LIMIT = 300_000_000;

async function run(ctx: BenchContext): Promise<ScenarioResult> {
  const source = join(ctx.workDir, 'master');
  ctx.log('no-change: writing the master folder');
  const tree = writeNestedTree(source, SHAPE);
  const bench = await startBenchFarm(ctx.workDir, PRINTERS);
  try {
    // The files a first sync would have uploaded, put in place directly: 640,000 uploads would take
    // longer than the whole benchmark. The printer stores them as an upload would (long names, 8.3
    // short names, its own clock for m_timestamp). A first run then finds them all unchanged and
    // writes its sync record; the second run, the one measured, is the everyday no-change sync.
    ctx.log(`no-change: seeding ${PRINTERS} printers with ${tree.files.length} files each`);
    const contents = tree.files.map((rel) => [rel, readFileSync(join(source, rel))] as const);
    for (const printer of bench.farm.printers) for (const [rel, data] of contents) printer.seed(rel, data);
    const args = ['-c', bench.configPath, '-s', source, '--go'];

    ctx.log('no-change: first run');
    const first = await runLinkSync(ctx, 'no-change-first', args);
    expectOutcome(first, 'in-sync', 'no-change, first run');
    for (const printer of bench.farm.printers) printer.clearRequests();

    const runs = repeats(3);
    const results = [];
    let load = { cpuShare: 0, loopP99Ms: 0, loopMaxMs: 0 };
    for (let i = 0; i < runs; i++) {
      ctx.log(`no-change: run ${i + 1} of ${runs} with nothing to do`);
      for (const printer of bench.farm.printers) printer.clearRequests();
      const stopWatch = watchSimulatorLoad();
      const one = await runLinkSync(ctx, `no-change-${i}`, args);
      load = stopWatch();
      expectOutcome(one, 'in-sync', 'no-change');
      results.push(one);
    }
    const wallMs = median(results.map((r) => r.wallMs));
    const cpuMs = median(results.map((r) => r.cpuMs));
    const rssBytes = median(results.map((r) => r.maxRssBytes));
    const result = results[results.length - 1]!;
    const busy = result.summary.printers.find((p) => p.unchanged !== tree.files.length || Object.values(p.planned).some((n) => n > 0));
    if (busy) throw new Error(`no-change: printer ${busy.printer} planned changes (${busy.unchanged} unchanged of ${tree.files.length})`);

    const stats = bench.farm.printers.map(requestStats);
    const listed = tree.folders + 1; // every folder once, and the storage root
    const answered = stats.map((s) => s.total - s.unauthorized);
    const allowed = listed + EXTRA_REQUESTS;
    const worstAnswered = Math.max(...answered);
    const worst401 = Math.max(...stats.map((s) => s.unauthorized));
    const methods = [...new Set(stats.map((s) => formatMethods(s.byMethod)))].join(' / ');
    const others = otherRequests(bench.farm.printers[0]?.requests() ?? []);
    const row = {
      Printers: String(PRINTERS),
      'Files per printer': tree.files.length.toLocaleString('en-US'),
      'Folders listed': `${listed} (${tree.folders} + root)`,
      'First run: wall / CPU': `${seconds(first.wallMs)} / ${seconds(first.cpuMs)}`,
      'First run: peak RSS': megabytes(first.maxRssBytes),
      Wall: seconds(wallMs),
      'link-sync CPU': seconds(cpuMs),
      'link-sync peak RSS': megabytes(rssBytes),
      'Requests per printer': `${range(stats.map((s) => s.total))} (${methods})`,
      'Of which 401': range(stats.map((s) => s.unauthorized)),
      'Simulator CPU': percent(load.cpuShare),
    };
    return {
      title: '2. No-change sync',
      setup:
        `${PRINTERS} Buddy printers (MK4), each already holding the ${tree.files.length.toLocaleString('en-US')} files of the master folder ` +
        `(${SHAPE.topFolders} folders × ${SHAPE.subFolders} subfolders × ${SHAPE.filesPerFolder} files of ${SHAPE.fileSize} B); link-sync --go finds nothing to do.`,
      columns: Object.keys(row),
      rows: [row],
      targets: [
        {
          target: 'no-change requests per printer ≤ folders + 3 (the 401 challenge counted apart)',
          measured: `${worstAnswered} = folders + ${worstAnswered - listed} (allowed ${allowed}; ${listed} folders listed incl. the root)`,
          met: worstAnswered <= allowed,
        },
        { target: 'at most one 401 per printer per run', measured: `${worst401} per printer at most`, met: worst401 <= 1 },
        {
          target: 'no-change run, 64 printers × 10,000 files: peak RSS ≤ 200 MB',
          measured: `${megabytes(rssBytes)} (median of ${runs}: ${results.map((r) => megabytes(r.maxRssBytes)).join(', ')})`,
          met: rssBytes <= RSS_LIMIT,
        },
        {
          target: 'no-change run, 64 printers × 10,000 files: link-sync CPU ≤ 6 s',
          measured: `${seconds(cpuMs)} (median of ${runs}: ${results.map((r) => seconds(r.cpuMs)).join(', ')}); wall ${seconds(wallMs)}`,
          met: cpuMs <= CPU_LIMIT_MS,
        },
        {
          target: 'first run writing those 64 records: peak RSS ≤ 300 MB',
          measured: `${megabytes(first.maxRssBytes)} (one run; CPU ${seconds(first.cpuMs)}, wall ${seconds(first.wallMs)})`,
          met: first.maxRssBytes <= FIRST_RSS_LIMIT,
        },
      ],
      notes: [
        `Besides one listing per folder, each printer was asked: ${others.join(', ')}.`,
        ...(worstAnswered > allowed ? [whyExtra(others)] : []),
        'The printers are seeded with the files directly (a first sync would be 640,000 uploads). A first run finds every file unchanged and writes the sync record; the runs after it are the ones measured (wall, CPU, peak RSS: medians; requests: the last run), and they too must plan nothing.',
        'Requests are counted by the simulated printers: every request received during the run, the 401 included.',
      ],
    };
  } finally {
    await bench.close();
  }
}

/** Requests other than folder listings, in order: "GET /api/version (401)", "GET /api/v1/info". */
function otherRequests(entries: readonly SimRequestLogEntry[]): string[] {
  return entries
    .filter((e) => !(e.method === 'GET' && e.target.startsWith('/api/v1/files/') && e.status === 200))
    .map((e) => `${e.method} ${e.target}${e.status === 200 ? '' : ` (${e.status})`}`);
}

function whyExtra(others: string[]): string {
  const asked = (target: string): boolean => others.some((o) => o.startsWith(`GET ${target}`) && !o.endsWith('(401)'));
  if (asked('/api/version') && asked('/api/v1/storage')) {
    return (
      'Why the target is missed: /api/version is read only to choose the API dialect (v1 or legacy), and /api/v1/storage again to choose the storage. ' +
      'GET /api/v1/storage answers exactly where upload by PUT exists, so probing the dialect with it (a 404 means legacy, and only then /api/version) ' +
      'and keeping its answer for the storage choice saves one request per printer per run; the printer kind comes from the storage names, the host name from /api/v1/info.'
    );
  }
  return `Why the target is missed: ${others.length} requests besides the listings, where 3 and the 401 challenge are the goal.`;
}

export const noChange: Scenario = { name: 'no-change', order: 2, run };
