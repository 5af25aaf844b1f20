// link-sync as a library: the same flow as the CLI, returning a summary object. Re-exports only.

export { sync, prepareRun, type SyncOptions, type RunInputs } from './run/sync.js';
export {
  farmStatus,
  statusExitCode,
  type StatusOptions,
  type StatusDocument,
  type PrinterStatusRow,
  type PendingChanges,
} from './run/status.js';
export { watch, type WatchOptions } from './watch/watch.js';
export { startFarmServer, type FarmServer } from './farm-page/server.js';
export { loadConfig } from './config/load.js';
export { parseConfigText } from './config/parse.js';
export { pull, type PullOptions } from './pull/run.js';
export type { PullSummary, PullEvent, PullPrinterResult, PullConflict } from './pull/types.js';
export type { DownloadOptions, DownloadResult, DownloadSink } from './printer/api.js';
export type { FarmConfig, PrinterConfig, PrinterAuth, PrinterDestination, UnresolvedPrinter } from './config/types.js';
export type { PrinterApi, PrinterIdentity, RemoteEntry, UploadBody, UploadOptions } from './printer/api.js';
export { createPrinterApi } from './printer/create.js';
export { scanSource } from './source/scan.js';
export { readFileModel, readFileModels, type FileModel } from './source/model-read.js';
export { modelMatches, modelGroupOf, foldModelCode, MODEL_GROUPS, type ModelGroup } from './source/model-match.js';
export { routeSource, type Route, type RouteRequest } from './plan/route.js';
export { planPrinter } from './plan/plan.js';
export type * from './types.js';
export type * from './report/events.js';
export { ExitCode, exitCodeForSummary } from './report/exit-codes.js';
export {
  LinkSyncError,
  UsageError,
  ConfigError,
  SourceError,
  PrinterError,
  InternalError,
  StateError,
  type PrinterErrorKind,
} from './errors.js';
