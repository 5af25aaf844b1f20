// Step 2 of a printer's sync: list the mirrored folder, then let the sync record vouch for what it knows.

import type { PrinterIdentity } from '../../printer/api.js';
import type { RemoteTree } from '../../types.js';
import { walkRemote } from '../../printer/walk.js';
import { printerKey } from '../../record/keys.js';
import { RecordSession } from '../../record/session.js';
import { prePlanDeadlineMs } from '../../execute/printer-deadline.js';
import { plural } from '../../report/format.js';
import type { PrinterJob } from './job.js';

/** What the record knows of the listing, with the listing as the record amends it. */
export type PreparedRecord = Awaited<ReturnType<RecordSession['prepare']>>;

/** The printer's files under the run's root on the chosen storage. */
export function listRemote(job: PrinterJob, storage: string, root: string, identity: PrinterIdentity): Promise<RemoteTree> {
  return walkRemote(job.api, storage, root, identity.rules, job.record?.strings);
}

/** This printer's part of the sync record, when the run keeps one. */
export async function openRecord(job: PrinterJob, identity: PrinterIdentity): Promise<RecordSession | undefined> {
  return job.record
    ? await RecordSession.open(job.record, printerKey(identity.serial, job.host), job.printer, job.emit, job.host)
    : undefined;
}

/** The record's view of the listing, when there is a record. */
export async function prepareRecord(
  job: PrinterJob,
  session: RecordSession | undefined,
  storage: string,
  remote: RemoteTree,
  identity: PrinterIdentity,
): Promise<PreparedRecord | undefined> {
  if (!session) return undefined;
  return await session.prepare(job.api, storage, remote, job.source, identity.rules, (lookups) => extendForLookups(job, lookups));
}

/** The fixed budget before a plan counts no per-file look-ups: a first sync of thousands of files gets room for each. */
function extendForLookups(job: PrinterJob, lookups: number): void {
  const deadline = job.deadline;
  if (!deadline) return;
  deadline.arm(
    prePlanDeadlineMs(deadline.timing, lookups),
    `for reading the printer before planning, with ${plural(lookups, 'file size')} to ask`,
  );
}
