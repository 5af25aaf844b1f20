// The legacy PrusaLink API (PrusaLink < 0.7 on a Pi, Buddy firmware 4.4 on the MINI): the PrinterApi
// over /api/files (one request for the whole tree), multipart POST uploads, DELETE and /api/printer.

import { PrinterError } from '../../errors.js';
import type { NameRules, PrinterKind, PrinterStatus, StorageInfo } from '../../types.js';
import type {
  DownloadOptions,
  DownloadResult,
  PrinterApi,
  PrinterIdentity,
  RemoteEntry,
  RemoteFileInfo,
  UploadBody,
  UploadOptions,
} from '../api.js';
import { downloadRaw } from './v1.js';
import { errorText, statusError } from '../http-errors.js';
import { headerText, type HttpResult, type PrinterHttp, type RequestSpec } from '../http.js';
import { multipartBody, type FormField } from '../multipart.js';
import { BUDDY_RULES, PI_RULES } from '../rules.js';
import {
  findEntry,
  jsonOf,
  parsed,
  parseLegacyFile,
  parseLegacyPrinter,
  parseLegacyTree,
  type LegacyEntry,
  type LegacyFileInfo,
  type LegacyTree,
} from './legacy-wire.js';
import type { VersionInfo } from './wire.js';

/** PrusaLink 0.6 lists and accepts G-code only: binary G-code came with 0.7. */
export const LEGACY_PI_RULES: NameRules = Object.freeze({ ...PI_RULES, printExtensions: ['.gcode', '.gc', '.g', '.gco'] });
/** Buddy 4.4 predates binary G-code too. */
export const LEGACY_BUDDY_RULES: NameRules = Object.freeze({
  ...BUDDY_RULES,
  printExtensions: ['.g', '.gc', '.gco', '.gcode'],
  rootOnly: true,
});

const split = (path: string): string[] => path.split('/').filter((s) => s !== '');
const encode = (segs: readonly string[]): string => segs.map(encodeURIComponent).join('/');

/** Without a telling /api/version text, the model decides: the MK3 and MK2.5 families run on a Pi. */
function kindOf(version: VersionInfo, printerType: string | undefined): PrinterKind {
  if (version.kind) return version.kind;
  if (printerType === undefined || (/^(MK3|MK2\.5)/i.test(printerType) && !/^MK3\.[59]/i.test(printerType))) return 'pi';
  return 'buddy';
}

export class PrusaLinkLegacy implements PrinterApi {
  readonly name: string;
  readonly kind: PrinterKind;
  /** The one storage the legacy API reaches: the Pi's local folder or Buddy's USB stick. */
  readonly storage: 'local' | 'usb';
  private readonly rules: NameRules;
  private tree: LegacyTree | undefined;
  /** Pi 0.6 puts the storage's folder name in front of paths; it never changes, so it outlives the tree. */
  private rootSegments: string[] | undefined;

  constructor(
    private readonly http: PrinterHttp,
    readonly version: VersionInfo,
    printerType?: string,
  ) {
    this.name = http.printer;
    this.kind = kindOf(version, printerType);
    this.storage = this.kind === 'pi' ? 'local' : 'usb';
    this.rules = this.kind === 'pi' ? LEGACY_PI_RULES : LEGACY_BUDDY_RULES;
  }

  async identify(): Promise<PrinterIdentity> {
    // The legacy API has no /api/v1/info, so no serial number.
    return { kind: this.kind, ...(this.version.hostname ? { hostname: this.version.hostname } : {}), rules: this.rules };
  }

  async status(): Promise<PrinterStatus> {
    const p = await this.printerState();
    let transferRunning = false;
    if (this.kind === 'pi') {
      // Buddy 4.4 has no transfer endpoint; on a Pi, 204 means no transfer.
      const res = await this.send({ method: 'GET', target: '/api/transfer', what: 'reading the transfer' });
      transferRunning = res.status === 200;
    }
    const status: PrinterStatus = { state: p.state, transferRunning };
    // The legacy API does not name the printed file reliably: say "some file", which holds them all.
    if (p.job) status.printing = { paths: [] };
    return status;
  }

  async storages(): Promise<StorageInfo[]> {
    // A Buddy without a USB stick lists an empty root; its sdReady flag tells the difference.
    const available = this.kind === 'buddy' ? (await this.printerState()).storageReady !== false : true;
    return [{ name: this.storage, available, readOnly: false }];
  }

  async list(storage: string, dirUrl: string): Promise<RemoteEntry[] | undefined> {
    this.checkStorage(storage, `listing of ${storage}/${dirUrl}`);
    const segs = split(dirUrl);
    // A walk starts at the root: read the whole tree there, and answer the folders below from it.
    if (segs.length === 0) this.tree = undefined;
    const tree = await this.loadTree();
    const folder = segs.length === 0 ? undefined : findEntry(tree, segs, this.rules.caseInsensitive);
    if (segs.length > 0 && folder?.type !== 'folder') return undefined;
    return (folder ? folder.children : tree.entries).map(toRemoteEntry);
  }

  async stat(storage: string, fileUrl: string): Promise<RemoteFileInfo | undefined> {
    const what = `reading ${storage}/${fileUrl}`;
    this.checkStorage(storage, what);
    const info = await this.fileInfo(split(fileUrl), what);
    if (!info || info.folder) return undefined;
    return {
      readOnly: false,
      ...(info.size !== undefined ? { size: info.size } : {}),
      ...(info.mTimestamp !== undefined ? { mTimestamp: info.mTimestamp } : {}),
    };
  }

  /** The legacy API reports no transfer progress. */
  async transfer(): Promise<null> {
    return null;
  }

  async upload(storage: string, fileUrl: string, body: UploadBody, options: UploadOptions): Promise<RemoteFileInfo | undefined> {
    const what = `upload of ${fileUrl}`;
    this.checkStorage(storage, what);
    const segs = split(fileUrl);
    if (this.kind === 'buddy' && segs.length > 1) {
      throw new PrinterError(
        this.name,
        'rejected',
        `printer ${this.name}: ${what} refused: firmware 4.4 stores files only in the root of the USB drive`,
        {
          hint: 'update the printer firmware to 4.5 or later to sync folders, or sync a flat folder to -d /usb/',
        },
      );
    }
    // PrusaLink 0.6 replaces a file silently and Buddy 4.4 never does: both differ from what was asked.
    const mustCheck = this.kind === 'pi' ? !options.overwrite : options.overwrite;
    let removedOld = false;
    if (mustCheck && (await this.fileInfo(segs, what))) {
      // Refuse as the v1 API does, or (Buddy) remove the old file first.
      if (this.kind === 'pi') throw statusError(this.name, what, 409, 'File already exists');
      await this.remove(storage, fileUrl);
      removedOld = true;
    }
    try {
      return await this.post(what, segs, body, options);
    } catch (err) {
      if (!removedOld || !(err instanceof PrinterError)) throw err;
      throw new PrinterError(this.name, err.kind, `${err.message}; the old copy had already been removed (firmware 4.4 cannot overwrite)`, {
        hint: 'run the sync again to upload the file anew',
        ...(err.status !== undefined ? { status: err.status } : {}),
        cause: err,
      });
    }
  }

  /** The multipart POST itself: `file` named by the target name; on a Pi, `path` names its folder. */
  private async post(what: string, segs: string[], body: UploadBody, options: UploadOptions): Promise<RemoteFileInfo | undefined> {
    const filename = segs[segs.length - 1] ?? '';
    const folder = segs.slice(0, -1);
    const fields: FormField[] =
      this.kind === 'pi'
        ? [
            { name: 'path', value: `/${folder.join('/')}` },
            { name: 'select', value: 'false' },
          ]
        : [];
    fields.push({ name: 'print', value: 'false' });
    const form = multipartBody(fields, { field: 'file', filename, contentType: 'application/octet-stream', body });
    const onBytes = options.onBytes;
    this.tree = undefined;
    const res = await this.http.request({
      method: 'POST',
      target: `/api/files/local`,
      what,
      headers: { 'Content-Type': form.contentType },
      body: form.body,
      ...(onBytes ? { onBytes: (sent: number) => onBytes(form.fileBytes(sent)) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (res.status < 200 || res.status >= 300) throw this.refusal(what, res);
    return this.confirmation(res, segs);
  }

  /** PrusaLink 0.6 serves "/api/files/local/<storage folder>/<path>/raw". Buddy 4.4 is not asked:
   * whether that firmware serves files at all is not confirmed, so no download is attempted. */
  async download(storage: string, fileUrl: string, options: DownloadOptions): Promise<DownloadResult | undefined> {
    const what = `download of ${fileUrl}`;
    this.checkStorage(storage, what);
    if (this.kind === 'buddy') {
      throw new PrinterError(
        this.name,
        'rejected',
        `printer ${this.name}: ${what} not attempted: link-sync does not download from Buddy firmware 4.4`,
        {
          hint: 'update the printer firmware to 4.5 or later, which serves files over PrusaLink',
        },
      );
    }
    const target = `${await this.fileTarget(split(fileUrl))}/raw`;
    return downloadRaw(this.http, target, what, options, (w, res) => this.refusal(w, res));
  }

  async createFolder(_storage: string, folderUrl: string): Promise<'created' | 'exists'> {
    // The legacy API has no way to make an empty folder: uploads make their folders, or (Buddy 4.4) none.
    throw new PrinterError(
      this.name,
      'rejected',
      `printer ${this.name}: creating folder ${folderUrl} refused: the legacy API cannot create folders`,
      {
        hint: 'update the printer firmware or PrusaLink to a version with the v1 API',
      },
    );
  }

  async remove(storage: string, url: string): Promise<void> {
    const what = `deletion of ${url}`;
    this.checkStorage(storage, what);
    const target = await this.fileTarget(split(url));
    this.tree = undefined;
    const res = await this.http.request({ method: 'DELETE', target, what });
    // The first attempt lost its connection after going out, and now the file is gone: it was that one.
    if (res.status === 404 && res.earlierAttemptMayHaveArrived) return;
    if (res.status < 200 || res.status >= 300) throw this.refusal(what, res);
  }

  close(): void {
    this.http.close();
  }

  /** `/api/files/usb/<path>` (Buddy) or `/api/files/local/<storage folder>/<path>` (Pi 0.6). */
  private async fileTarget(segs: readonly string[]): Promise<string> {
    const prefix = this.kind === 'pi' ? ['local', ...(this.rootSegments ?? (await this.loadTree()).rootSegments)] : ['usb'];
    return `/api/files/${encode([...prefix, ...segs])}`;
  }

  /** One file or folder, read fresh from the printer; undefined when it does not exist. */
  private async fileInfo(segs: readonly string[], what: string): Promise<LegacyFileInfo | undefined> {
    const res = await this.send({ method: 'GET', target: await this.fileTarget(segs), what });
    if (res.status === 404) return undefined;
    return parsed(this.name, what, parseLegacyFile, jsonOf(this.name, what, res));
  }

  /** The whole tree in one request, kept until the next change made through this API. */
  private async loadTree(): Promise<LegacyTree> {
    if (this.tree) return this.tree;
    const what = 'listing of /api/files';
    const res = await this.send({ method: 'GET', target: '/api/files?recursive=true', what });
    if (res.status === 404) throw this.refusal(what, res);
    this.tree = parsed(this.name, what, (b) => parseLegacyTree(b, this.storage), jsonOf(this.name, what, res));
    this.rootSegments = this.tree.rootSegments;
    return this.tree;
  }

  private async printerState(): Promise<ReturnType<typeof parseLegacyPrinter>> {
    const what = 'reading the printer state';
    const res = await this.send({ method: 'GET', target: '/api/printer', what });
    if (res.status === 404) throw this.refusal(what, res);
    return parsed(this.name, what, parseLegacyPrinter, jsonOf(this.name, what, res));
  }

  /** Pi answers an upload with the whole new tree (it is reused); Buddy with the file. */
  private confirmation(res: HttpResult, segs: string[]): RemoteFileInfo | undefined {
    let body: unknown;
    try {
      body = JSON.parse(res.body.toString('utf8'));
    } catch {
      return undefined; // the upload succeeded; an unreadable confirmation changes nothing
    }
    try {
      if (this.kind === 'buddy') {
        const size = parseLegacyFile(body).size;
        return { readOnly: false, ...(size !== undefined ? { size } : {}) };
      }
      this.tree = parseLegacyTree(body, this.storage);
      const entry = findEntry(this.tree, segs, false);
      return entry?.type === 'file' ? fileInfo(entry) : undefined;
    } catch {
      this.tree = undefined;
      return undefined;
    }
  }

  private checkStorage(storage: string, what: string): void {
    if (storage === this.storage) return;
    throw new PrinterError(this.name, 'storage', `printer ${this.name}: ${what}: its legacy PrusaLink has only storage "${this.storage}"`, {
      hint: `use -d /${this.storage}/...`,
    });
  }

  /** Any 2xx and 404 come back; other statuses throw. */
  private async send(spec: RequestSpec): Promise<HttpResult> {
    const res = await this.http.request(spec);
    if (res.status === 404 || (res.status >= 200 && res.status < 300)) return res;
    throw this.refusal(spec.what, res);
  }

  private refusal(what: string, res: HttpResult): PrinterError {
    const text = errorText(res.body, headerText(res.headers['content-type']));
    return statusError(this.name, what, res.status, res.attempts > 1 ? `${text}, after ${res.attempts} attempts`.replace(/^, /, '') : text);
  }
}

function toRemoteEntry(e: LegacyEntry): RemoteEntry {
  const entry: RemoteEntry = { type: e.type, name: e.name, urlName: e.urlName, readOnly: false };
  if (e.size !== undefined) entry.size = e.size;
  if (e.mTimestamp !== undefined) entry.mTimestamp = e.mTimestamp;
  return entry;
}

function fileInfo(e: LegacyEntry): RemoteFileInfo {
  return {
    readOnly: false,
    ...(e.size !== undefined ? { size: e.size } : {}),
    ...(e.mTimestamp !== undefined ? { mTimestamp: e.mTimestamp } : {}),
  };
}
