// Scenario 4, planning alone: the pure planner for 64 printers × 10,000 files, with no I/O at all.
// Each printer has a sync record, as on any run after the first, and differs a little from the source
// (missing files, files changed here, files no longer in the source), so every branch runs.

import { planPrinter, type PlanRecord } from '../../src/plan/plan.js';
import { BUDDY_RULES } from '../../src/printer/rules.js';
import { recordKey } from '../../src/record/keys.js';
import type { RecordEntry } from '../../src/record/types.js';
import type { RemoteFile, RemoteFolder, RemoteTree, SourceFile, SourceTree } from '../../src/types.js';
import { seconds } from '../support/format.js';
import type { Scenario, ScenarioResult } from '../scenario.js';

const PRINTERS = 64;
const TOP = 10;
const SUB = 10;
const PER_FOLDER = 100;
/** Per printer: this many files missing, this many stale, this many extra on the printer. */
const DIFFERENT = 100;
const CPU_LIMIT_MS = 2000;

function sourceTree(): SourceTree {
  const files: SourceFile[] = [];
  const folders: string[] = [];
  const mtimeMs = Date.UTC(2025, 0, 1);
  for (let t = 1; t <= TOP; t++) {
    folders.push(`set-${t}`);
    for (let s = 1; s <= SUB; s++) {
      folders.push(`set-${t}/part-${s}`);
      for (let f = 1; f <= PER_FOLDER; f++) {
        const relPath = `set-${t}/part-${s}/model-${f}.gcode`;
        files.push({ relPath, absPath: `/master/${relPath}`, size: 1000 + f, mtimeMs });
      }
    }
  }
  const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  files.sort((a, b) => byCode(a.relPath, b.relPath));
  return { root: '/master', files, folders: folders.sort(byCode), ignored: [] };
}

interface PrinterInput {
  remote: RemoteTree;
  record: PlanRecord;
}

/** What a Buddy printer would list (long paths, 8.3 URL paths, whole-second timestamps) and its record. */
function printerInput(source: SourceTree, printer: number): PrinterInput {
  const short = (path: string): string => path.toUpperCase().replace(/MODEL-(\d+)\.GCODE$/, 'MODEL~$1.GCO');
  const folders: RemoteFolder[] = source.folders.map((path) => ({ path, urlPath: path.toUpperCase(), mTimestamp: 1_735_689_600 }));
  const files: RemoteFile[] = [];
  const entries = new Map<string, RecordEntry>();
  const remember = (file: RemoteFile, size: number, mtimeMs: number): void => {
    entries.set(recordKey('', file.path, BUDDY_RULES), {
      size,
      sha256: 'ab'.repeat(32),
      mtimeMs,
      ...(file.mTimestamp !== undefined ? { mTimestamp: file.mTimestamp } : {}),
    });
  };
  const n = source.files.length;
  source.files.forEach((file, i) => {
    const slot = (i + printer * 7) % n;
    if (slot < DIFFERENT) return; // missing: to upload
    const remote: RemoteFile = {
      path: file.relPath,
      urlPath: short(file.relPath),
      mTimestamp: Math.floor(file.mtimeMs / 1000) + 5,
      readOnly: false,
    };
    files.push(remote);
    // Changed here since the last upload: its size moved. The others match their entry.
    remember(remote, slot < 2 * DIFFERENT ? file.size - 1 : file.size, file.mtimeMs);
  });
  for (let i = 0; i < DIFFERENT; i++) {
    const path = `set-1/part-1/old-${i}.gcode`;
    const remote: RemoteFile = { path, urlPath: path.toUpperCase(), mTimestamp: 1_735_689_600, readOnly: false };
    files.push(remote);
    remember(remote, 2000, Date.UTC(2024, 0, 1));
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { remote: { storage: 'usb', root: '', rootUrl: '', rootExists: true, files, folders }, record: { entries, hashes: new Map() } };
}

async function run(): Promise<ScenarioResult> {
  const source = sourceTree();
  const inputs = Array.from({ length: PRINTERS }, (_, i) => printerInput(source, i));
  const policy = { modifyWindowSec: 60, deleteExtraneous: true };
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const plans = inputs.map(({ remote, record }) => planPrinter({ source, remote, rules: BUDDY_RULES, policy, record }));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  for (const plan of plans) {
    const kinds = plan.actions.map((a) => a.kind);
    const count = (kind: string): number => kinds.filter((k) => k === kind).length;
    if (count('upload') !== DIFFERENT || count('replace') !== DIFFERENT || count('delete') !== DIFFERENT) {
      throw new Error(
        `planning: expected ${DIFFERENT} uploads, replacements and deletions, got ${count('upload')}, ${count('replace')}, ${count('delete')}`,
      );
    }
  }
  const row = {
    Printers: String(PRINTERS),
    'Files per printer': source.files.length.toLocaleString('en-US'),
    'Actions per printer': `${DIFFERENT} uploads, ${DIFFERENT} replacements, ${DIFFERENT} deletions`,
    'CPU time': seconds(cpuMs),
    Wall: seconds(wallMs),
  };
  return {
    title: '4. Planning alone',
    setup: `planPrinter() for ${PRINTERS} printers, each against the same ${source.files.length.toLocaleString('en-US')}-file source tree with its own remote tree and sync record (Buddy name rules), in the benchmark process; the inputs are built beforehand and not timed.`,
    columns: Object.keys(row),
    rows: [row],
    targets: [{ target: 'planning 64 × 10,000 files ≤ 2 s CPU', measured: seconds(cpuMs), met: cpuMs <= CPU_LIMIT_MS }],
    notes: [`${(cpuMs / PRINTERS).toFixed(1)} ms of CPU per printer for ${source.files.length.toLocaleString('en-US')} files.`],
  };
}

export const planning: Scenario = { name: 'planning', order: 4, run };
