// The simulated PrusaLink printer farm: public API.

export type {
  SimAuthOutcome,
  SimClockOptions,
  SimFarm,
  SimFault,
  SimFileSnapshot,
  SimFirmware,
  SimForeignTransferOptions,
  SimModel,
  SimPersonality,
  SimPrinter,
  SimPrinterOptions,
  SimRequestLogEntry,
  SimStateOptions,
} from './types.js';
export { startPrinter } from './printer.js';
export { startFarm } from './farm.js';
export { SIM_MODELS, isSimModel, parseSimModel } from './models.js';
export { FAT_EPOCH_SEC } from './model/clock.js';
export { manualClock, type ManualClock } from './manual-clock.js';
export { makeShortName, foldCase } from './model/fat-names.js';
