// The printer's state machine as the API shows it: printer state, the current job, the transfer slot.

export const PRINTER_STATES = [
  'IDLE',
  'BUSY',
  'PRINTING',
  'PAUSED',
  'FINISHED',
  'STOPPED',
  'ERROR',
  'ATTENTION',
  'READY',
  'UNKNOWN',
] as const;
export type PrinterStateName = (typeof PRINTER_STATES)[number];

export interface Job {
  id: number;
  /** Long path in the main storage. */
  file: string;
  progress: number;
  startedAtMs: number;
}

export interface Transfer {
  id: number;
  /** Long, storage-relative target path. */
  path: string;
  storage: string;
  size: number;
  transferred: number;
  startedAtMs: number;
  /** Prusa Connect (or anyone else): not ours to finish. */
  foreign: boolean;
  toPrint: boolean;
}

/** States in which the printed file is open and must not be replaced or deleted. */
const FILE_BUSY: ReadonlySet<string> = new Set(['PRINTING', 'PAUSED', 'ATTENTION']);
/** States in which a job exists and keeps its file. */
const WITH_JOB: ReadonlySet<string> = new Set(['PRINTING', 'PAUSED', 'ATTENTION', 'FINISHED', 'STOPPED', 'ERROR']);
/** States from which a new print can start. */
const CAN_PRINT: ReadonlySet<string> = new Set(['IDLE', 'READY', 'FINISHED', 'STOPPED']);

export function isPrinterState(value: string): value is PrinterStateName {
  return (PRINTER_STATES as readonly string[]).includes(value);
}

export class PrinterState {
  state: PrinterStateName = 'IDLE';
  job: Job | undefined;
  transfer: Transfer | undefined;
  private nextJobId = 100;
  private nextTransferId = 1000;

  /** `now`: the host time in epoch ms behind the job's and the transfer's start (the printer's `now` option). */
  constructor(private readonly now: () => number = Date.now) {}

  /** Throws on an unknown state or a print state without a file. */
  set(state: string, opts: { file?: string; progress?: number } = {}): void {
    const upper = state.toUpperCase();
    if (!isPrinterState(upper)) throw new Error(`unknown printer state "${state}" (one of ${PRINTER_STATES.join(', ')})`);
    if (!WITH_JOB.has(upper)) {
      this.state = upper;
      this.job = undefined;
      return;
    }
    if (opts.file !== undefined) {
      const file = opts.file.replace(/^\/+|\/+$/g, '');
      this.job = { id: this.nextJobId++, file, progress: opts.progress ?? 0, startedAtMs: this.now() };
    } else if (!this.job && (upper === 'PRINTING' || upper === 'PAUSED')) {
      throw new Error(`state ${upper} needs a file`);
    } else if (this.job && opts.progress !== undefined) {
      this.job.progress = opts.progress;
    }
    this.state = upper;
  }

  canPrint(): boolean {
    return CAN_PRINT.has(this.state);
  }

  startPrint(file: string): void {
    this.set('PRINTING', { file });
  }

  /** The job's file while it is open (printing, paused, needing attention). */
  busyFile(): string | undefined {
    return this.job && FILE_BUSY.has(this.state) ? this.job.file : undefined;
  }

  /** Closes the print screen of a finished or stopped job (what deleting its file does). */
  closeFinishedJob(): void {
    if (this.job && !FILE_BUSY.has(this.state)) {
      this.job = undefined;
      this.state = 'IDLE';
    }
  }

  /** Takes the single transfer slot; undefined when it is taken. */
  beginTransfer(t: Omit<Transfer, 'id' | 'transferred' | 'startedAtMs'>): Transfer | undefined {
    if (this.transfer) return undefined;
    this.transfer = { ...t, id: this.nextTransferId++, transferred: 0, startedAtMs: this.now() };
    return this.transfer;
  }

  endTransfer(t: Transfer): void {
    if (this.transfer === t) this.transfer = undefined;
  }
}
