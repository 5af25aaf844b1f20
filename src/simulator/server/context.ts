// Everything one simulated printer knows: resolved options, storages, clock, state, faults, log.

import { join } from 'node:path';
import type { SimClock } from '../model/clock.js';
import { BUDDY_PRINT_EXTENSIONS, PI_PRINT_EXTENSIONS } from '../model/fat-names.js';
import { PrinterState } from '../model/printer-state.js';
import { UploadSink } from '../model/upload-sink.js';
import { Volume, type FileNode } from '../model/volume.js';
import type { SimFirmware, SimModel, SimPersonality } from '../types.js';
import { FaultSet } from './faults.js';
import { RequestLog } from './request-log.js';

export interface ResolvedOptions {
  name: string;
  model: SimModel;
  personality: SimPersonality;
  firmware: SimFirmware;
  port: number;
  hostname: string;
  password: string;
  username: string;
  apiKey: string | undefined;
  serial: string;
  rateBytesPerSec: number | undefined;
  keepContent: boolean;
  storageDir: string | undefined;
  nonceLifetimeSec: number;
  /** Host time in epoch ms. */
  now: () => number;
  uploadIdleTimeoutMs: number;
  totalSpace: number;
  /** Buddy answers Create-Folder (firmware 5.1 and later). */
  createFolder: boolean;
}

export class SimContext {
  readonly volumes = new Map<string, Volume>();
  readonly main: Volume;
  readonly state: PrinterState;
  readonly faults = new FaultSet();
  readonly log: RequestLog;
  readonly clock: SimClock;
  usbPresent = true;
  /** Pi files whose reads still answer what was there before their upload (fault file-list-lag), by storage/path. */
  readonly lagging = new Map<string, { before: unknown; reads: number }>();
  private tempSeq = 0;

  constructor(
    readonly opts: ResolvedOptions,
    clock: SimClock,
    logLimit: number,
  ) {
    this.clock = clock;
    this.state = new PrinterState(opts.now);
    this.log = new RequestLog(logLimit, opts.now);
    const disk = (storage: string): string | undefined =>
      opts.keepContent && opts.storageDir ? join(opts.storageDir, storage) : undefined;
    if (opts.personality === 'buddy') {
      this.main = new Volume({
        name: 'usb',
        fat: true,
        readOnly: false,
        diskRoot: disk('usb'),
        touchFolderOnChange: false,
        rootTimestamp: undefined,
        printExtensions: BUDDY_PRINT_EXTENSIONS,
        now: opts.now,
      });
      this.volumes.set('usb', this.main);
    } else {
      const now = clock.fileTimestamp();
      this.main = new Volume({
        name: 'local',
        fat: false,
        readOnly: false,
        diskRoot: disk('local'),
        touchFolderOnChange: true,
        rootTimestamp: now,
        printExtensions: PI_PRINT_EXTENSIONS,
        now: opts.now,
      });
      this.volumes.set('local', this.main);
      this.volumes.set(
        'sdcard',
        new Volume({
          name: 'sdcard',
          fat: false,
          readOnly: true,
          diskRoot: disk('sdcard'),
          touchFolderOnChange: true,
          rootTimestamp: now,
          printExtensions: PI_PRINT_EXTENSIONS,
          now: opts.now,
        }),
      );
    }
  }

  get personality(): SimPersonality {
    return this.opts.personality;
  }

  /** Splits a storage-relative long path into names. */
  static parts(path: string): string[] {
    return path.split('/').filter((p) => p !== '' && p !== '.');
  }

  /** The file of the current job, when it still exists. */
  jobNode(): FileNode | undefined {
    const job = this.state.job;
    if (!job) return undefined;
    const node = this.main.resolve(SimContext.parts(job.file));
    return node?.kind === 'file' ? node : undefined;
  }

  /** True when `node` is the file a running job holds open. */
  isBusy(node: FileNode): boolean {
    return this.state.busyFile() !== undefined && this.jobNode() === node;
  }

  /** A sink for an upload body, matching how this printer keeps content. */
  newSink(volume: Volume, tempName: string): UploadSink {
    if (!this.opts.keepContent) return new UploadSink({ kind: 'hash' });
    if (volume.diskRoot) return new UploadSink({ kind: 'disk', tempPath: join(volume.diskRoot, tempName) });
    return new UploadSink({ kind: 'memory' });
  }

  /** How a raw download of this request is sent: at the printer's rate, cut when a fault says so. */
  sendOptions(rawPath: string): { rateBytesPerSec: number | undefined; cutAfterBytes: number | undefined } {
    return { rateBytesPerSec: this.opts.rateBytesPerSec, cutAfterBytes: this.faults.empty ? undefined : this.faults.cutDownload(rawPath) };
  }

  /** Buddy's numbered temp file in the storage root. */
  nextTempName(): string {
    return `${++this.tempSeq}.tmp`;
  }
}
