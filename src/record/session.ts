// One printer's use of the sync record during a run: load it, prepare the planner's inputs (hashes,
// sizes), follow the changes the printer confirms, and save it atomically. Warnings, never crashes.

import type { PrinterApi, RemoteFileInfo } from '../printer/api.js';
import type { ConfirmedChanges, TransferAction } from '../execute/executor.js';
import type { PlanRecord } from '../plan/plan.js';
import type { EventSink } from '../report/events.js';
import type { NameRules, RecordChangesHolder, RemoteFile, RemoteTree, SourceTree } from './session-types.js';
import { HashCache } from './hash.js';
import { recordKey } from './keys.js';
import { selectPrepass, withSizes } from './prepass.js';
import type { PrinterRecord } from './record.js';
import { loadRecord, saveRecord } from './store.js';
