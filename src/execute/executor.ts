// Runs one printer's plan, strictly one request at a time: uploads and replacements first, then
// deletions, then folder removals. Emits events; decides nothing the plan did not decide, except to
// stop early: after any failed action no deletion runs, and a printer that becomes busy gets no more.

import type { PrinterApi, RemoteFileInfo } from '../printer/api.js';
import type { Action, NameRules, PrinterPlan } from '../types.js';
import { InternalError, PrinterError } from '../errors.js';
import { fileBody } from './upload-body.js';
import { lookForUpload, uploadChecked, type PreviousCopy } from './upload-outcome.js';
import { FolderMaker, createsFolders } from './new-folders.js';
import { FreeSpace } from './free-space.js';
import { hashingBody } from '../record/hash.js';
import { emptyCounts, type ActionCounts, type ActionInfo, type ErrorInfo, type EventSink } from '../report/events.js';
import { toErrorInfo } from '../report/error-info.js';

export interface ExecuteContext {
  printer: string;
  api: PrinterApi;
  storage: string;
  emit: EventSink;
  signal?: AbortSignal;
  /** Asked before each action: why to stop (the printer is no longer safe to touch), or undefined. */
  recheck: () => Promise<RecheckStop | undefined>;
  /** Told about every change the printer confirmed (for the sync record); uploads are then hashed as sent. */
  confirmed?: ConfirmedChanges;
  /** What the printer held under a replacement's name when it was listed (to judge a broken upload). */
  previousCopy?: (action: TransferAction) => PreviousCopy | undefined;
  /** Re-sends of an upload whose connection broke and that the printer shows it does not have. */
  uploadResends?: number;
  /** --backup-dir: keeps the printer's copy before a deletion or replacement; a rejection holds that action. */
  backup?: (action: Action) => Promise<void>;
  /** --timeout: how long a printer's transfer may stand still (default 30 s). */
  stallMs?: number;
  /** The printer's name rules: a path known only once its new folders exist is checked against them before it is sent. */
  rules?: NameRules;
  /** Free bytes on the storage, when the printer tells (PrusaLink on a Pi): an upload that cannot fit is not sent. */
  freeSpace?: number;
}

/** Why a recheck stops the run. */
export interface RecheckStop {
  reason: string;
  /** The printer became busy (a print or another busy state began): a run that waits for busy printers waits for it again. */
  becameBusy?: boolean;
}

export type TransferAction = Extract<Action, { kind: 'upload' | 'replace' }>;

export interface ConfirmedChanges {
  /** `sha256` of the bytes sent; `remote` as the printer reported the new file (undefined if it did not say). */
  uploaded(action: TransferAction, facts: { sha256: string | undefined; remote: RemoteFileInfo | undefined }): void;
  deleted(action: Extract<Action, { kind: 'delete' }>): void;
}

export interface ExecuteResult {
  done: ActionCounts;
  failed: number;
  notRun: number;
  /** Deletions and replacements not made because their backup failed (--backup-dir). */
  held: number;
  bytesSent: number;
  /** Why the run stopped before the end of the plan. */
  stoppedReason?: string;
  /** A recheck stopped the run because the printer became busy. */
  becameBusy?: boolean;
  interrupted: boolean;
  firstError?: ErrorInfo;
  /** The printer stopped answering (an action or a state check could not reach it). */
  offline?: boolean;
}

/** Errors after which nothing more is tried on this printer. */
const FATAL_KINDS = new Set(['unreachable', 'auth', 'storage', 'aborted']);

/**
 * An action as events carry it. Given where the run syncs to, a replacement, deletion or folder
 * removal also names the exact printer path it acts on, and the short path the request uses when
 * that differs: what the dry run shows is what is sent.
 */
export function describeAction(action: Action, where?: { storage: string; root: string }): ActionInfo {
  const info: ActionInfo =
    action.kind === 'upload' || action.kind === 'replace'
      ? { kind: action.kind, path: action.path, size: action.source.size, reason: action.reason }
      : { kind: action.kind, path: action.path, reason: action.reason };
  if (where && action.kind !== 'upload') {
    const long = `/${where.storage}/${where.root === '' ? action.path : `${where.root}/${action.path}`}`;
    const short = `/${where.storage}/${action.targetUrl}`;
    info.target = long;
    if (short !== long) info.targetShort = short;
  }
  return info;
}

export async function executePlan(plan: PrinterPlan, ctx: ExecuteContext): Promise<ExecuteResult> {
  const result: ExecuteResult = { done: emptyCounts(), failed: 0, notRun: 0, held: 0, bytesSent: 0, interrupted: false };
  let anyFailed = false;
  /** Paths of deletions held because their backup failed: their folders are not empty. */
  const heldPaths: string[] = [];
  const actions = plan.actions;
  const folders = new FolderMaker(ctx.printer, ctx.api, ctx.storage, ctx.rules);
  const space = new FreeSpace(ctx.printer, ctx.storage, ctx.freeSpace);
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    const remaining = actions.length - i;
    if (ctx.signal?.aborted) {
      result.interrupted = true;
      result.notRun += remaining;
      result.stoppedReason = 'interrupted';
      break;
    }
    if (anyFailed && (action.kind === 'delete' || action.kind === 'rmdir')) {
      // After a failure the printer does not hold what the source holds, and what else is wrong is
      // unknown: deleting now could leave it with neither the old nor the new file.
      result.notRun += remaining;
      result.stoppedReason = 'deletions withheld because an action failed on this printer';
      break;
    }
    // A folder that still holds a held file is not empty: asking would only get a refusal.
    if (action.kind === 'rmdir' && heldPaths.some((p) => p.startsWith(`${action.path}/`))) continue;
    const stop = await ctx.recheck().catch((error: unknown): RecheckStop => {
      if (isUnreachable(error)) result.offline = true;
      return { reason: `state check failed: ${toErrorInfo(error).message}` };
    });
    if (stop !== undefined) {
      result.notRun += remaining;
      result.stoppedReason = stop.reason;
      if (stop.becameBusy) result.becameBusy = true;
      break;
    }
    const info = describeAction(action);
    if (ctx.backup && (action.kind === 'delete' || action.kind === 'replace')) {
      const kept = await ctx.backup(action).then(
        () => true,
        (error: unknown) => {
          // No copy kept, no change made: the printer's file stays as it is.
          result.held++;
          heldPaths.push(action.path);
          ctx.emit({
            type: 'warning',
            printer: ctx.printer,
            message: `held: ${action.kind} ${action.path} not done: ${toErrorInfo(error).message}`,
          });
          return false;
        },
      );
      if (!kept) {
        if (ctx.signal?.aborted) {
          result.interrupted = true;
          result.notRun += remaining - 1;
          result.stoppedReason = 'interrupted';
          break;
        }
        continue;
      }
    }
    ctx.emit({ type: 'action-start', printer: ctx.printer, action: info });
    const started = Date.now();
    // An upload that creates folders first is sent to a URL known only then; its errors name that one.
    let sentAs: Action = action;
    try {
      if (createsFolders(action)) sentAs = { ...action, targetUrl: await folders.target(action) };
      const sent = await runAction(sentAs, ctx, space);
      result.bytesSent += sent;
      result.done[action.kind]++;
      ctx.emit({ type: 'action-done', printer: ctx.printer, action: info, durationMs: Date.now() - started, bytes: sent });
    } catch (error) {
      if (action.kind === 'rmdir' && isNotEmptyRefusal(error)) {
        // The folder holds files the printer does not list (non-print files, hidden entries):
        // keeping it is right, and nothing was lost.
        ctx.emit({
          type: 'warning',
          printer: ctx.printer,
          message: `kept folder ${action.path}: the printer says it is not empty (it holds files the printer does not list)`,
        });
        continue;
      }
      const err = inLongNames(toErrorInfo(error), sentAs, ctx.storage);
      if (isUnreachable(error)) result.offline = true;
      result.failed++;
      // A change refused by the scope check is what the printer's result must show (exit 70).
      if (result.firstError === undefined || err.code === 'INTERNAL') result.firstError = err;
      ctx.emit({ type: 'action-failed', printer: ctx.printer, action: info, error: err });
      anyFailed = true;
      if (ctx.signal?.aborted || error instanceof InternalError || (error instanceof PrinterError && FATAL_KINDS.has(error.kind))) {
        result.interrupted = ctx.signal?.aborted ?? false;
        result.notRun += remaining - 1;
        result.stoppedReason = result.interrupted ? 'interrupted' : err.message;
        break;
      }
    }
  }
  if (result.notRun > 0) reportNotRun(ctx, actions.slice(actions.length - result.notRun), result.stoppedReason);
  return result;
}

/**
 * The printer layer names the path it requested, which holds a folder's short (8.3) name where the
 * printer has one ("deletion of FARM/PARTS~1/OLD~1.GCO refused"). People read the long path, the
 * requested one in parentheses, as the dry run shows it.
 */
export function inLongNames(err: ErrorInfo, action: Action, storage: string): ErrorInfo {
  const requested = action.targetUrl;
  if (requested === action.path || requested.endsWith(`/${action.path}`) || !err.message.includes(requested)) return err;
  return { ...err, message: err.message.split(requested).join(`${action.path} (requested as /${storage}/${requested})`) };
}

function isUnreachable(error: unknown): boolean {
  return error instanceof PrinterError && error.kind === 'unreachable';
}

/** Names what was left undone, so a half-done printer is never a silent one. */
function reportNotRun(ctx: ExecuteContext, skipped: readonly Action[], why: string | undefined): void {
  const shown = skipped.slice(0, 10).map((a) => `${a.kind} ${a.path}`);
  const more = skipped.length > shown.length ? `, and ${skipped.length - shown.length} more` : '';
  ctx.emit({
    type: 'warning',
    printer: ctx.printer,
    message: `not done (${why ?? 'stopped'}): ${shown.join(', ')}${more}`,
  });
}

/** Buddy answers 404 and a Pi 409 to removing a folder that is not empty. */
function isNotEmptyRefusal(error: unknown): boolean {
  return error instanceof PrinterError && (error.kind === 'not-found' || error.kind === 'file-in-use');
}

/** Performs one action; resolves the number of body bytes sent. */
async function runAction(action: Action, ctx: ExecuteContext, space: FreeSpace): Promise<number> {
  if (action.kind === 'delete' || action.kind === 'rmdir') {
    await ctx.api.remove(ctx.storage, action.targetUrl);
    if (action.kind === 'delete') ctx.confirmed?.deleted(action);
    return 0;
  }
  const total = action.source.size;
  const hashing = ctx.confirmed ? hashingBody(fileBody(action.source)) : undefined;
  const previous = action.kind === 'replace' ? (ctx.previousCopy?.(action) ?? {}) : undefined;
  const what = `${action.kind === 'replace' ? 'replacement' : 'upload'} of ${action.path}`;
  space.check(what, total);
  let info = await uploadChecked({
    api: ctx.api,
    storage: ctx.storage,
    targetUrl: action.targetUrl,
    path: action.path,
    body: hashing ?? fileBody(action.source),
    previous,
    resends: ctx.uploadResends ?? 0,
    onNote: (message) => ctx.emit({ type: 'warning', printer: ctx.printer, message }),
    ...(ctx.stallMs !== undefined ? { stallMs: ctx.stallMs } : {}),
    options: {
      overwrite: action.kind === 'replace',
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      // Progress is what the printer reports it took (socket bytes run megabytes ahead). All bytes
      // taken is not done yet: the printer still has to store the file, and action-done says so.
      onTaken: (bytes) => {
        if (bytes < total) ctx.emit({ type: 'action-progress', printer: ctx.printer, path: action.path, bytes, total });
      },
    },
  }).catch(async (error: unknown) => {
    throw await space.explain(error, ctx.api, total);
  });
  space.took(total, previous?.size);
  // A Pi answers 201 with no body: ask for the file (and, for the record, the timestamp it got).
  if (info === undefined || (ctx.confirmed && info.mTimestamp === undefined)) {
    // Still listed with the replaced copy's timestamp: the printer's list has not caught up yet.
    const stale = (found: RemoteFileInfo): boolean => previous?.mTimestamp !== undefined && found.mTimestamp === previous.mTimestamp;
    const looked = await lookForUpload(ctx.api, ctx.storage, action.targetUrl, stale, ctx.signal);
    if (looked && looked.found === undefined) {
      throw new PrinterError(
        ctx.printer,
        'not-found',
        `printer ${ctx.printer}: ${what}: the printer acknowledged the upload but does not list the file`,
        {
          hint: 'nothing is recorded and nothing is deleted on this printer; check its storage, then run again',
        },
      );
    }
    // Never recorded as what was sent: the next run would take the new copy for one replaced on the printer.
    // Without them, the next run learns the new copy's timestamp.
    if (looked?.found && stale(looked.found)) info = undefined;
    else info = looked?.found ?? info;
  }
  ctx.confirmed?.uploaded(action, { sha256: hashing?.sha256(), remote: info });
  return total;
}
