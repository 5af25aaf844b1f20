// One simulated printer: an HTTP server on 127.0.0.1 with a Buddy or Pi personality, and the
// programmatic handle tests use to seed files, change state and inject faults.

import { createHash } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BuddyPersonality } from './buddy/router.js';
import { handleControl } from './control.js';
import { SimClock } from './model/clock.js';
import { loadFromDisk } from './model/disk-load.js';
import { isPrinterState } from './model/printer-state.js';
import type { FolderNode, StoredContent, Volume } from './model/volume.js';
import { modelInfo } from './models.js';
import { PiPersonality } from './pi/router.js';
import { checkLegacyModel, legacyPersonality } from './legacy/index.js';
import { resolveOptions, stableSerial } from './options.js';
import { SimContext, type ResolvedOptions } from './server/context.js';
import { Exchange } from './server/exchange.js';
import { validateFault } from './server/faults.js';
import type { Personality } from './server/personality.js';
import type {
  SimClockOptions,
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

export class SimPrinterImpl implements SimPrinter {
  readonly ctx: SimContext;
  private readonly personalityImpl: Personality;
  private server: Server | undefined;
  private boundPort = 0;

  constructor(opts: ResolvedOptions, clock: SimClock, logLimit: number) {
    this.ctx = new SimContext(opts, clock, logLimit);
    if (opts.firmware === 'legacy') {
      checkLegacyModel(opts.model);
      this.personalityImpl = legacyPersonality(this.ctx);
    } else {
      this.personalityImpl = opts.personality === 'buddy' ? new BuddyPersonality(this.ctx) : new PiPersonality(this.ctx);
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }
  get port(): number {
    return this.boundPort;
  }
  get name(): string {
    return this.ctx.opts.name;
  }
  get model(): SimModel {
    return this.ctx.opts.model;
  }
  get personality(): SimPersonality {
    return this.ctx.opts.personality;
  }
  get firmware(): SimFirmware {
    return this.ctx.opts.firmware;
  }
  get storage(): string {
    return this.ctx.main.name;
  }
  get serial(): string {
    return this.ctx.opts.serial;
  }
  get credentials(): { username: string; password: string; apiKey?: string } {
    const o = this.ctx.opts;
    return o.apiKey === undefined
      ? { username: o.username, password: o.password }
      : { username: o.username, password: o.password, apiKey: o.apiKey };
  }

  async listen(): Promise<void> {
    const server = createServer({ requestTimeout: 0, keepAliveTimeout: 60_000, requireHostHeader: false });
    // A client that sends the whole body and then closes its side (FIN) still gets its upload
    // completed, as on the printer; Node would otherwise drop a request whose socket ended.
    (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    // Neither firmware answers Expect: 100-continue; handle such requests without sending 100.
    server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => server.emit('request', req, res));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.onRequest(req, res));
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.ctx.opts.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx = this.ctx;
    const entry = ctx.log.begin(req);
    const ex = new Exchange(req, res, entry, ctx.personality, ctx.faults);
    const control = ex.rawPath === '/_sim' || ex.rawPath.startsWith('/_sim/');
    if (!control) {
      res.once('close', () => {
        entry.status = res.headersSent ? res.statusCode : 0;
        entry.durationMs = ctx.log.now() - entry.startedAt;
        ctx.log.add(entry);
      });
    }
    try {
      if (control) return await handleControl(this, ex);
      if (!ctx.faults.empty) {
        const delay = ctx.faults.delay(ex.method, ex.rawPath);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        const injected = ctx.faults.status(ex.method, ex.rawPath);
        if (injected !== undefined)
          return this.personalityImpl.error(ex, injected.status, injected.message ?? STATUS_CODES[injected.status] ?? 'Injected fault');
      }
      await this.personalityImpl.handle(ex);
    } catch {
      // A bug in the simulator must not take the server down; the client sees a 500.
      if (!res.headersSent) ex.send(500, 'Internal simulator error\n', { 'Content-Type': 'text/plain' }, { close: true });
      else res.destroy();
    }
  }

  private volume(storage?: string): Volume {
    const volume = storage === undefined ? this.ctx.main : this.ctx.volumes.get(storage);
    if (!volume) throw new Error(`printer ${this.name} has no storage "${storage}" (it has ${[...this.ctx.volumes.keys()].join(', ')})`);
    return volume;
  }

  setState(state: string, opts: SimStateOptions = {}): void {
    let file = opts.file;
    if (file !== undefined) {
      const node = this.ctx.main.resolve(SimContext.parts(file));
      if (node?.kind !== 'file') throw new Error(`printer ${this.name} has no file "${file}" in ${this.storage} to print`);
      file = this.ctx.main.pathOf(node);
    }
    const upper = state.toUpperCase();
    if (!isPrinterState(upper)) throw new Error(`unknown printer state "${state}"`);
    this.ctx.state.set(upper, { ...opts, ...(file === undefined ? {} : { file }) });
  }

  setForeignTransfer(running: boolean, opts: SimForeignTransferOptions = {}): void {
    const state = this.ctx.state;
    if (!running) {
      if (state.transfer?.foreign) state.endTransfer(state.transfer);
      return;
    }
    if (state.transfer) throw new Error(`printer ${this.name} already has a transfer running`);
    state.beginTransfer({
      path: (opts.path ?? '').replace(/^\/+/, ''),
      storage: this.storage,
      size: opts.size ?? 0,
      foreign: true,
      toPrint: false,
    });
  }

  setUsbPresent(present: boolean): void {
    if (this.personality !== 'buddy') throw new Error(`printer ${this.name} is a Pi: it has no USB stick to remove`);
    if (present !== this.ctx.usbPresent) this.ctx.main.changes++;
    this.ctx.usbPresent = present;
  }

  setClock(clock: SimClockOptions): void {
    this.ctx.clock.set(clock);
  }

  setRate(bytesPerSec: number | undefined): void {
    if (bytesPerSec !== undefined && !(bytesPerSec > 0)) throw new Error(`printer ${this.name}: a rate is a positive number of bytes/s`);
    this.ctx.opts.rateBytesPerSec = bytesPerSec;
  }

  inject(fault: SimFault): void {
    this.ctx.faults.add(validateFault(fault));
  }

  clearFaults(): void {
    this.ctx.faults.clear();
  }

  seed(path: string, content: Buffer | string, opts: { storage?: string; mTimestamp?: number } = {}): void {
    const volume = this.volume(opts.storage);
    const parts = SimContext.parts(path);
    const name = parts.pop();
    if (name === undefined) throw new Error('seed needs a file path');
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const stored: StoredContent = { size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    if (this.ctx.opts.keepContent) stored.data = data;
    const mTimestamp = opts.mTimestamp ?? this.ctx.clock.fileTimestamp();
    const parent = volume.ensureFolder(parts, mTimestamp);
    volume.putFile(parent, name, stored, mTimestamp);
  }

  seedNamed(folder: string, name: string, content: Buffer | string, opts: { mTimestamp?: number } = {}): void {
    const volume = this.ctx.main;
    if (volume.diskRoot) throw new Error('seedNamed keeps files in memory only: start the printer without storageDir');
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const mTimestamp = opts.mTimestamp ?? this.ctx.clock.fileTimestamp();
    const parent = volume.ensureFolder(SimContext.parts(folder), mTimestamp);
    const stored: StoredContent = { size: data.length, sha256: createHash('sha256').update(data).digest('hex'), data };
    volume.putFile(parent, name, stored, mTimestamp).forceListed = true;
    // A hostile folder name must show too: every folder on the way is listed whatever its name.
    for (let f: FolderNode | undefined = parent; f?.parent; f = f.parent) f.forceListed = true;
  }

  seedFolder(path: string, opts: { storage?: string } = {}): void {
    this.volume(opts.storage).ensureFolder(SimContext.parts(path), this.ctx.clock.fileTimestamp());
  }

  files(): SimFileSnapshot[] {
    const out: SimFileSnapshot[] = [];
    for (const volume of this.ctx.volumes.values()) {
      for (const node of volume.walk()) {
        if (node.kind === 'file')
          out.push({ storage: volume.name, path: volume.pathOf(node), size: node.size, sha256: node.sha256, mTimestamp: node.mTimestamp });
      }
    }
    return out;
  }

  folders(storage?: string): string[] {
    const volume = this.volume(storage);
    const out: string[] = [];
    for (const node of volume.walk()) if (node.kind === 'folder') out.push(volume.pathOf(node));
    return out;
  }

  readFile(path: string, storage?: string): Buffer | undefined {
    const volume = this.volume(storage);
    const node = volume.resolve(SimContext.parts(path));
    return node?.kind === 'file' ? volume.read(node) : undefined;
  }

  transfer(): { path: string; size: number; transferred: number } | undefined {
    const t = this.ctx.state.transfer;
    return t ? { path: t.path, size: t.size, transferred: t.transferred } : undefined;
  }

  requests(): SimRequestLogEntry[] {
    return this.ctx.log.list();
  }

  clearRequests(): void {
    this.ctx.log.clear();
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

export async function startPrinter(options: SimPrinterOptions = {}): Promise<SimPrinter> {
  const opts = resolveOptions(options);
  const clock = new SimClock(opts.personality, options.clock, opts.now);
  const printer = new SimPrinterImpl(opts, clock, options.requestLogLimit ?? 100_000);
  await printer.listen();
  const slug = modelInfo(opts.model).slug;
  if (!opts.name) opts.name = `${slug}-${printer.port}`;
  opts.hostname = opts.name.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  if (!opts.serial) opts.serial = stableSerial(`${opts.model}:${options.name ?? printer.port}`);
  if (opts.storageDir && opts.keepContent) {
    for (const volume of printer.ctx.volumes.values()) loadFromDisk(volume);
  }
  return printer;
}
