// The pull flow: per printer, all at once, list what the master lacks; plan one local file per path;
// with --go, download (one file at a time per printer, printers in parallel), compare copies, place
// each file, and teach the sync record which printers hold it.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { PrinterConfig } from '../config/types.js';
import { PrinterError } from '../errors.js';
import type { PrinterApi } from '../printer/api.js';
import { createPrinterApi, type PrinterApiOptions } from '../printer/create.js';
import { DEFAULT_RETRY_POLICY } from '../printer/retry.js';
import { acquireStateLock } from '../record/lock.js';
import { defaultStateDir } from '../record/paths.js';
import { toErrorInfo } from '../report/error-info.js';
import { configuredSecrets, redactingSink } from '../report/inert.js';
import { CreatedFolders } from '../local/created-folders.js';
import { fetchCopy, placeCopy, type FetchedCopy, type TargetWords } from '../local/fetch.js';
import { checkLocalPath } from '../local/names.js';
import { pullFolderError } from './folder-error.js';
import { copyOf, downloadQueues, planPull } from './plan.js';
import { preparePull, type PullScopeOptions } from './prepare.js';
import { learnPulled, type Learned } from './record.js';
import { scanPrinter, type PrinterScan } from './scan-printer.js';
import type { PullCandidate, PullEventSink, PullItem, PullPrinterResult, PullSummary } from './types.js';

export interface PullOptions extends PullScopeOptions {
  /** Folder of the sync records; false: learn nothing. */
  stateDir?: string | false;
  retries?: number;
  retryDelayMs?: number;
  timeouts?: PrinterApiOptions['timeouts'];
  allowSelfSigned?: boolean;
  onEvent?: PullEventSink;
  signal?: AbortSignal;
  connect?: (printer: PrinterConfig) => PrinterApi;
}

const PROGRESS_INTERVAL_MS = 250;

const PULL_WORDS: TargetWords = { root: 'the master folder', elsewhere: 'pull into another folder with -s', folderError: pullFolderError };

export async function pull(options: PullOptions): Promise<PullSummary> {
  const started = Date.now();
  const inputs = await preparePull(options);
  // A printer's error text may echo its password or API key.
  const emit: PullEventSink = redactingSink(options.onEvent ?? (() => {}), configuredSecrets(inputs.scopes.map((s) => s.printer)));
  const go = options.go ?? false;
  const env = options.env ?? process.env;
  const stateDir = options.stateDir === false ? undefined : (options.stateDir ?? defaultStateDir({ env }));
  const lock = go && stateDir !== undefined ? await acquireStateLock(stateDir) : undefined;
  const apis = new Map<string, PrinterApi>();
  try {
    for (const message of inputs.warnings) emit({ type: 'warning', message });
    emit({ type: 'pull-start', dryRun: !go, printers: inputs.scopes.map((s) => s.printer.name), master: inputs.master });
    const connect = options.connect ?? ((printer: PrinterConfig) => createPrinterApi(printer, apiOptions(options, emit)));
    const results = new Map<string, PullPrinterResult>();
    const scans = new Map<string, PrinterScan>();
    await Promise.all(
      inputs.scopes.map(async (scope) => {
        const name = scope.printer.name;
        const api = connect(scope.printer);
        apis.set(name, api);
        const result = emptyResult(name);
        results.set(name, result);
        const t0 = Date.now();
        try {
          const scan = await scanPrinter({
            printer: name,
            api,
            destination: scope.destination,
            prefix: scope.prefix,
            local: scope.local,
            ...(options.signal ? { signal: options.signal } : {}),
          });
          scans.set(name, scan);
          result.candidates = scan.candidates.length;
          result.refused = scan.refused.length;
          result.outcome = go ? 'nothing' : 'planned';
          emit({
            type: 'printer-scanned',
            printer: name,
            storage: scan.storage,
            root: scan.root,
            candidates: scan.candidates.map((c) => ({
              path: c.path,
              size: c.size,
              ...(c.mTimestamp !== undefined ? { mTimestamp: c.mTimestamp } : {}),
            })),
            refused: scan.refused.map(({ path: p, reason }) => ({ path: p, reason })),
            skipped: scan.skipped.map(({ path: p, reason }) => ({ path: p, reason })),
          });
        } catch (error) {
          failPrinter(result, error, options.signal);
        }
        result.durationMs = Date.now() - t0;
      }),
    );

    const order = inputs.scopes.map((s) => s.printer.name);
    const plan = planPull(
      [...scans.values()].flatMap((s) => s.candidates),
      { printerOrder: order, ...(inputs.prefer !== undefined ? { prefer: inputs.prefer } : {}) },
    );
    emit({
      type: 'plan',
      items: plan.items.map((i) => ({
        path: i.path,
        size: i.size,
        from: i.sources.map((s) => s.printer),
        overridden: i.overridden.map((s) => s.printer),
      })),
      conflicts: plan.conflicts,
    });
    for (const conflict of plan.conflicts) emit({ type: 'conflict', conflict });

    const summary: PullSummary = {
      dryRun: !go,
      printers: [],
      pulled: 0,
      conflicts: plan.conflicts.length,
      refused: [...scans.values()].reduce((n, s) => n + s.refused.length, 0),
      failed: 0,
      durationMs: 0,
      interrupted: false,
    };
    if (go && plan.items.length > 0) {
      const learned = await download(plan.items, apis, results, summary, emit, options.signal);
      if (stateDir !== undefined && learned.length > 0) {
        for (const message of await learnPulled(stateDir, learned, scans, inputs.scopes)) emit({ type: 'warning', message });
      }
    }
    summary.interrupted = options.signal?.aborted ?? false;
    for (const name of order) {
      const result = results.get(name)!;
      if (summary.interrupted && !notReached(result)) result.outcome = 'interrupted';
      summary.printers.push(result);
      emit({ type: 'printer-done', result });
    }
    summary.durationMs = Date.now() - started;
    emit({ type: 'pull-done', summary });
    return summary;
  } finally {
    for (const api of apis.values()) api.close();
    const warning = await lock?.release();
    if (warning !== undefined) emit({ type: 'warning', message: warning });
  }
}

/** Runs every printer's queue at once, one file at a time per printer; resolves what was placed, and from whom. */
async function download(
  items: PullItem[],
  apis: Map<string, PrinterApi>,
  results: Map<string, PullPrinterResult>,
  summary: PullSummary,
  emit: PullEventSink,
  signal: AbortSignal | undefined,
): Promise<Learned[]> {
  const learned: Learned[] = [];
  /** Per item, each source's copy in source order (undefined: that download failed), and how many ended. */
  const copies = new Map<PullItem, { ended: number; got: Array<FetchedCopy | undefined> }>();
  const settle = async (item: PullItem): Promise<void> => {
    const entry = copies.get(item)!;
    if (entry.ended < item.sources.length) return;
    const fetched = entry.got.filter((c): c is FetchedCopy => c !== undefined);
    const drop = async (): Promise<void> => {
      for (const c of fetched) await fsp.rm(c.tempPath, { force: true });
    };
    if (fetched.length < item.sources.length) {
      // A copy is missing: the others cannot be shown to agree with it, so nothing is written.
      summary.failed++;
      return drop();
    }
    if (new Set(fetched.map((c) => c.sha256)).size > 1) {
      await drop();
      summary.conflicts++;
      emit({
        type: 'conflict',
        conflict: {
          localRoot: item.localRoot,
          path: item.path,
          copies: fetched.map((c) => ({ ...copyOf(c.candidate), sha256: c.sha256 })),
          reason: 'the printers hold copies of the same size with different content',
        },
      });
      return;
    }
    const [keep, ...others] = fetched;
    for (const c of others) await fsp.rm(c.tempPath, { force: true });
    const check = checkLocalPath(item.path);
    const target = path.join(item.localRoot, ...(check.ok ? check.names : []));
    try {
      if (!check.ok || !(await placeCopy(keep!, target, PULL_WORDS))) {
        summary.failed++;
        emit({
          type: 'warning',
          message: `${item.path}: a local file appeared under that name during the pull; it was left as it is and nothing was written`,
        });
        return;
      }
    } catch (error) {
      summary.failed++;
      const info = toErrorInfo(error);
      emit({ type: 'warning', message: `${info.message}${info.hint ? ` (${info.hint})` : ''}` });
      return;
    }
    summary.pulled++;
    emit({ type: 'pulled', path: item.path, localPath: target, from: fetched.map((c) => c.candidate.printer), bytes: keep!.bytes });
    const stat = await fsp.stat(target);
    learned.push({ item, sha256: keep!.sha256, mtimeMs: stat.mtimeMs, holders: item.sources, setAside: item.overridden });
  };

  for (const item of items) copies.set(item, { ended: 0, got: item.sources.map(() => undefined) });
  const queues = downloadQueues({ items, conflicts: [] });
  const createdFolders = new CreatedFolders();
  const queuesEnded = Promise.all(
    [...queues].map(async ([printer, queue]) => {
      const api = apis.get(printer)!;
      const result = results.get(printer)!;
      const t0 = Date.now();
      let stopped: string | undefined;
      for (const { item, source } of queue) {
        let copy: FetchedCopy | undefined;
        if (!stopped && !signal?.aborted)
          copy = await fetchOne(api, source, result, emit, signal, createdFolders).catch((error: unknown) => {
            if (isFatal(error, signal)) stopped = toErrorInfo(error).message;
            return undefined;
          });
        const entry = copies.get(item)!;
        entry.got[item.sources.indexOf(source)] = copy;
        entry.ended++;
        await settle(item);
      }
      result.durationMs += Date.now() - t0;
      if (result.failed > 0) {
        if (!notReached(result)) result.outcome = 'failed';
        result.reason ??= stopped ?? `${result.failed} download(s) failed`;
      } else if (result.downloaded > 0) {
        result.outcome = 'pulled';
      }
    }),
  );
  try {
    await queuesEnded;
  } finally {
    // Folders made for downloads that then failed, were interrupted or ended in a conflict are empty:
    // they go once every queue has ended and dropped its temporary files.
    for (const message of (await createdFolders.removeEmpty()).problems) emit({ type: 'warning', message });
  }
  return learned;
}

async function fetchOne(
  api: PrinterApi,
  source: PullCandidate,
  result: PullPrinterResult,
  emit: PullEventSink,
  signal: AbortSignal | undefined,
  createdFolders: CreatedFolders,
): Promise<FetchedCopy> {
  const check = checkLocalPath(source.path);
  if (!check.ok) throw new Error(`refused name reached the download step: ${source.path}`);
  emit({ type: 'download-start', printer: source.printer, path: source.path, size: source.size });
  const t0 = Date.now();
  let last = 0;
  try {
    const copy = await fetchCopy(api, source, check.names, {
      createdFolders,
      words: PULL_WORDS,
      ...(signal ? { signal } : {}),
      onBytes: (bytes) => {
        const now = Date.now();
        if (now - last < PROGRESS_INTERVAL_MS && bytes < source.size) return;
        last = now;
        emit({ type: 'download-progress', printer: source.printer, path: source.path, bytes, total: source.size });
      },
    });
    result.downloaded++;
    result.bytes += copy.bytes;
    emit({ type: 'download-done', printer: source.printer, path: source.path, bytes: copy.bytes, durationMs: Date.now() - t0 });
    return copy;
  } catch (error) {
    result.failed++;
    const outcome = printerOutcome(error);
    if (outcome !== 'failed') result.outcome = outcome;
    // Its hint is the fix the printer's line shows.
    if (outcome === 'credentials-refused') result.error ??= toErrorInfo(error);
    emit({ type: 'download-failed', printer: source.printer, path: source.path, error: toErrorInfo(error) });
    throw error;
  }
}

/** After these, the printer's other downloads are not tried: they would fail the same way. */
function isFatal(error: unknown, signal: AbortSignal | undefined): boolean {
  if (signal?.aborted) return true;
  return (
    error instanceof PrinterError &&
    (error.kind === 'auth' || error.kind === 'aborted' || (error.kind === 'rejected' && /does not download/.test(error.message)))
  );
}

function emptyResult(printer: string): PullPrinterResult {
  return { printer, outcome: 'failed', candidates: 0, downloaded: 0, failed: 0, refused: 0, bytes: 0, durationMs: 0 };
}

function failPrinter(result: PullPrinterResult, error: unknown, signal: AbortSignal | undefined): void {
  const info = toErrorInfo(error);
  result.error = info;
  result.reason = info.message;
  result.outcome = signal?.aborted ? 'interrupted' : printerOutcome(error);
}

/** What a printer's error makes of its result: a printer not reached keeps that result to the end. */
function printerOutcome(error: unknown): 'unreachable' | 'credentials-refused' | 'failed' {
  if (!(error instanceof PrinterError)) return 'failed';
  if (error.kind === 'auth') return 'credentials-refused';
  return error.kind === 'unreachable' ? 'unreachable' : 'failed';
}

/** It did not answer, or refused the credentials. */
function notReached(result: PullPrinterResult): boolean {
  return result.outcome === 'unreachable' || result.outcome === 'credentials-refused';
}

function apiOptions(options: PullOptions, emit: PullEventSink): PrinterApiOptions {
  const retries = options.retries ?? DEFAULT_RETRY_POLICY.retries;
  return {
    allowSelfSigned: options.allowSelfSigned ?? false,
    retry: { ...DEFAULT_RETRY_POLICY, retries, baseDelayMs: options.retryDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs },
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onRetry: (n) =>
      emit({
        type: 'warning',
        printer: n.printer,
        message: `${n.what}: ${n.reason}; retry ${n.retry} of ${n.retries} in ${(n.delayMs / 1000).toFixed(1)} s`,
      }),
  };
}
