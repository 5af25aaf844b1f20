// PrusaLink v1 (/api/v1/...): the PrinterApi for Buddy firmware and for PrusaLink on a Raspberry Pi.

import { PrinterError } from '../../errors.js';
import type { PrinterKind, PrinterStatus, StorageInfo } from '../../types.js';
import type {
  DownloadOptions,
  DownloadResult,
  PrinterApi,
  PrinterIdentity,
  RemoteEntry,
  RemoteFileInfo,
  TransferProgress,
  UploadBody,
  UploadOptions,
} from '../api.js';
import { IDLE_LIKE_STATES } from '../api.js';
import { receiveBody } from '../download-body.js';
import { parseTransferProgress, statusTransfer } from './transfer-wire.js';
import { errorText, hintFor, statusError } from '../http-errors.js';
import { headerText, type HttpResult, type PrinterHttp, type RequestSpec } from '../http.js';
import { rulesFor } from '../rules.js';
import {
  WireError,
  parseFileInfo,
  parseInfo,
  parseJobFile,
  parseListing,
  parseStatus,
  parseStorageList,
  parseVersion,
  printedPaths,
  type VersionInfo,
} from './wire.js';

/** Storage URL segments both implementations use; a job path starts with one of them. */
const KNOWN_STORAGES = ['usb', 'local', 'sdcard'];

/** "/api/v1/files/usb/a%20b/c%2B.gcode": each segment encoded, so '+' goes as %2B (Buddy reads '+' as space). */
export function filesTarget(storage: string, path: string): string {
  const segs = [storage, ...path.split('/').filter((s) => s !== '')];
  return `/api/v1/files/${segs.map(encodeURIComponent).join('/')}`;
}

/** Raw bytes: Buddy serves the USB stick at "/usb/<path>", a Pi at "/api/files/<storage>/<path>/raw". */
export function rawTarget(storage: string, path: string): string {
  const segs = path
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent);
  if (storage === 'usb') return `/usb/${segs.join('/')}`;
  return `/api/files/${[encodeURIComponent(storage), ...segs].join('/')}/raw`;
}

/** Models that run PrusaLink on a Raspberry Pi rather than in the firmware. */
function kindFromModel(printerType: string | undefined): PrinterKind | undefined {
  if (printerType === undefined) return undefined;
  return /^(MK3|MK2\.5)/i.test(printerType) && !/^MK3\.5|^MK3\.9/i.test(printerType) ? 'pi' : undefined;
}

export class PrusaLinkV1 implements PrinterApi {
  readonly name: string;
  private storageKind: PrinterKind | undefined;
  /** Older builds lack /api/v1/transfer; their status still carries `transfer`. */
  private transferFromStatus = false;

  constructor(
    private readonly http: PrinterHttp,
    private readonly printerType?: string,
    /** /api/version as already read by dialect detection, so identify() need not ask again. */
    private readonly knownVersion?: VersionInfo,
    /** /api/v1/storage as read by dialect detection: answers the first storages() call. */
    private firstStorages?: StorageInfo[],
  ) {
    this.name = http.printer;
    if (firstStorages) this.learnKind(firstStorages);
  }

  async identify(): Promise<PrinterIdentity> {
    // A storage list from detection already proves the v1 API with upload by PUT.
    const version =
      this.knownVersion ??
      (this.storageKind !== undefined
        ? undefined
        : parseWith(this.name, 'reading /api/version', parseVersion, await this.getJson('/api/version', 'reading /api/version')));
    if (version && !version.uploadByPut) {
      throw new PrinterError(this.name, 'rejected', `printer ${this.name}: its PrusaLink has only the legacy API (no upload by PUT)`, {
        hint: 'update the printer firmware or PrusaLink to a version with the v1 API',
      });
    }
    const info = parseWith(this.name, 'reading /api/v1/info', parseInfo, await this.getJson('/api/v1/info', 'reading /api/v1/info'));
    let kind = this.storageKind ?? version?.kind;
    if (kind === undefined) {
      await this.storages(); // storage names tell: "local" only on Pi, "usb" only on Buddy
      kind = this.storageKind;
    }
    // Unknown builds: assume Buddy, whose name rules are the stricter ones.
    kind ??= kindFromModel(this.printerType) ?? 'buddy';
    const hostname = info.hostname ?? version?.hostname;
    return {
      kind,
      ...(info.serial !== undefined ? { serial: info.serial } : {}),
      ...(hostname !== undefined ? { hostname } : {}),
      rules: rulesFor(kind),
    };
  }

  async status(): Promise<PrinterStatus> {
    const what = 'reading the status';
    const s = parseWith(this.name, what, parseStatus, await this.getJson('/api/v1/status', what));
    const status: PrinterStatus = { state: s.state, transferRunning: s.transferRunning };
    if (!s.hasJob) {
      // Printing (or paused, busy, in error) with no job in the answer: a file may be open, which one
      // is unknown, so every file counts as printed (--ignore-state then holds every change).
      if (!IDLE_LIKE_STATES.has(s.state)) status.printing = { paths: [] };
      return status;
    }
    const res = await this.send({ method: 'GET', target: '/api/v1/job', what: 'reading the job' });
    const progress = s.jobProgress !== undefined ? { progress: s.jobProgress } : {};
    if (res.status === 204) {
      // The job ended between the two requests; say "a job, file unknown" to stay on the safe side.
      status.printing = { paths: [], ...progress };
      return status;
    }
    const file = parseWith(this.name, 'reading the job', parseJobFile, this.json(res, 'reading the job'));
    const displayName = file?.displayName ?? file?.name;
    status.printing = {
      paths: file ? printedPaths(file, [...s.storages, ...KNOWN_STORAGES]) : [],
      ...(displayName !== undefined ? { displayName } : {}),
      ...progress,
    };
    return status;
  }

  async storages(): Promise<StorageInfo[]> {
    const first = this.firstStorages;
    if (first) {
      this.firstStorages = undefined;
      return first;
    }
    const what = 'reading the storage list';
    const list = parseWith(this.name, what, parseStorageList, await this.getJson('/api/v1/storage', what));
    this.learnKind(list);
    return list;
  }

  private learnKind(list: StorageInfo[]): void {
    const names = list.map((s) => s.name);
    if (names.includes('local')) this.storageKind = 'pi';
    else if (names.includes('usb')) this.storageKind = 'buddy';
  }

  async list(storage: string, dirUrl: string): Promise<RemoteEntry[] | undefined> {
    const what = `listing of ${joinPath(storage, dirUrl)}`;
    const res = await this.send({ method: 'GET', target: filesTarget(storage, dirUrl), what });
    if (res.status === 404) return undefined;
    const body = this.json(res, what);
    return parseWith(this.name, what, (b) => parseListing(b, what), body);
  }

  async stat(storage: string, fileUrl: string): Promise<RemoteFileInfo | undefined> {
    const what = `reading ${joinPath(storage, fileUrl)}`;
    const res = await this.send({ method: 'GET', target: filesTarget(storage, fileUrl), what });
    if (res.status === 404) return undefined;
    return parseWith(this.name, what, (b) => parseFileInfo(b, what), this.json(res, what));
  }

  async upload(storage: string, fileUrl: string, body: UploadBody, options: UploadOptions): Promise<RemoteFileInfo | undefined> {
    const what = `upload of ${fileUrl}`;
    const headers: Record<string, string> = { 'Content-Type': 'text/x.gcode' };
    if (options.overwrite) headers['Overwrite'] = '?1';
    const res = await this.http.request({
      method: 'PUT',
      target: filesTarget(storage, fileUrl),
      what,
      headers,
      body,
      // Progress is read on a second socket while this one carries the body.
      transferPoll: () => this.readTransfer((target, w) => this.http.peek(target, w)),
      ...(options.onTaken ? { onTaken: options.onTaken } : {}),
      ...(options.onBytes ? { onBytes: options.onBytes } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (res.status < 200 || res.status >= 300) throw this.refusal(what, res);
    // Buddy answers with the new file's info; Pi with an empty 201.
    if (res.body.length === 0) return undefined;
    try {
      return parseFileInfo(JSON.parse(res.body.toString('utf8')), what);
    } catch {
      return undefined; // the upload succeeded; an unreadable confirmation changes nothing
    }
  }

  async download(storage: string, fileUrl: string, options: DownloadOptions): Promise<DownloadResult | undefined> {
    return downloadRaw(this.http, rawTarget(storage, fileUrl), `download of ${fileUrl}`, options, (what, res) => this.refusal(what, res));
  }

  transfer(): Promise<TransferProgress | undefined> {
    return this.readTransfer((target, what) => this.http.request({ method: 'GET', target, what }));
  }

  /** GET /api/v1/transfer (200 or 204), or on builds without it the `transfer` of the status. */
  private async readTransfer(get: (target: string, what: string) => Promise<HttpResult>): Promise<TransferProgress | undefined> {
    const running = { transferred: 0 };
    if (!this.transferFromStatus) {
      const what = 'reading the transfer';
      const res = await get('/api/v1/transfer', what);
      if (res.status === 204) return undefined;
      if (res.status === 200) return parseTransferProgress(this.json(res, what)) ?? running;
      if (res.status !== 404) throw this.refusal(what, res);
      this.transferFromStatus = true;
    }
    const what = 'reading the status';
    const res = await get('/api/v1/status', what);
    if (res.status !== 200) throw this.refusal(what, res);
    const found = statusTransfer(this.json(res, what));
    return found === 'none' ? undefined : (found ?? running);
  }

  async createFolder(storage: string, folderUrl: string): Promise<'created' | 'exists'> {
    const what = `creating folder ${folderUrl}`;
    // No body: Buddy makes one level (409 when it exists), a Pi every missing level (201 when it exists).
    const res = await this.http.request({
      method: 'PUT',
      target: filesTarget(storage, folderUrl),
      what,
      headers: { 'Create-Folder': '?1', 'Content-Length': '0' },
    });
    if (res.status >= 200 && res.status < 300) return 'created';
    const refusal = this.refusal(what, res);
    if (refusal.kind === 'file-in-use') return 'exists';
    throw refusal;
  }

  async remove(storage: string, url: string): Promise<void> {
    const what = `deletion of ${url}`;
    const res = await this.http.request({ method: 'DELETE', target: filesTarget(storage, url), what });
    // The first attempt lost its connection after going out, and now the file is gone: it was that one.
    if (res.status === 404 && res.earlierAttemptMayHaveArrived) return;
    if (res.status < 200 || res.status >= 300) throw this.refusal(what, res);
  }

  close(): void {
    this.http.close();
  }

  /** Any 2xx and 404 come back; other statuses throw. */
  private async send(spec: RequestSpec): Promise<HttpResult> {
    const res = await this.http.request(spec);
    if (res.status === 404 || (res.status >= 200 && res.status < 300)) return res;
    throw this.refusal(spec.what, res);
  }

  private async getJson(target: string, what: string): Promise<unknown> {
    const res = await this.http.request({ method: 'GET', target, what });
    if (res.status !== 200) throw this.refusal(what, res);
    return this.json(res, what);
  }

  private json(res: HttpResult, what: string): unknown {
    try {
      return JSON.parse(res.body.toString('utf8'));
    } catch (err) {
      throw new PrinterError(
        this.name,
        'protocol',
        `printer ${this.name}: ${what} gave an answer that is not JSON (status ${res.status})`,
        {
          hint: hintFor('protocol'),
          status: res.status,
          cause: err,
        },
      );
    }
  }

  private refusal(what: string, res: HttpResult): PrinterError {
    const text = errorText(res.body, headerText(res.headers['content-type']));
    return statusError(this.name, what, res.status, res.attempts > 1 ? `${text}, after ${res.attempts} attempts`.replace(/^, /, '') : text);
  }
}

/** GET a raw file into the sink; 404 resolves undefined, other refusals throw. Shared with the legacy API. */
export async function downloadRaw(
  http: PrinterHttp,
  target: string,
  what: string,
  options: DownloadOptions,
  refusal: (what: string, res: HttpResult) => Error,
): Promise<DownloadResult | undefined> {
  let bytes = 0;
  const res = await http.request({
    method: 'GET',
    target,
    what,
    headers: { Accept: '*/*' },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.expectedBytes !== undefined ? { receiveBytes: options.expectedBytes } : {}),
    receive: async (answer) => {
      bytes = await receiveBody(answer, options.open, options.onBytes, options.expectedBytes);
    },
  });
  if (res.status === 404) return undefined;
  if (res.status < 200 || res.status >= 300) throw refusal(what, res);
  return { bytes };
}

function joinPath(storage: string, path: string): string {
  return path === '' ? storage : `${storage}/${path}`;
}

/** Runs a wire parser, turning a shape error into a 'protocol' PrinterError. */
function parseWith<T>(printer: string, what: string, parse: (body: unknown) => T, body: unknown): T {
  try {
    return parse(body);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    throw new PrinterError(printer, 'protocol', `printer ${printer}: ${what}: ${err.message}`, {
      hint: err.hint ?? hintFor('protocol'),
      cause: err,
    });
  }
}
