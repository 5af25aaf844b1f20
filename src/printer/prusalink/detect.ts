// Dialect detection: asks /api/v1/storage once (only printers with upload by PUT answer it; its list
// is kept for the first storages() call), else reads /api/version, then hands every call to the v1 API
// or to the legacy API. A legacy call answered 410 Gone (Buddy ≥ 6.1 removed the
// legacy upload) switches to v1 for good and is tried again there.

import { PrinterError } from '../../errors.js';
import type { PrinterStatus, StorageInfo } from '../../types.js';
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
import { errorText, hintFor, statusError } from '../http-errors.js';
import { headerText, type PrinterHttp } from '../http.js';
import { PrusaLinkLegacy } from './legacy.js';
import { jsonOf, parsed } from './legacy-wire.js';
import { PrusaLinkV1 } from './v1.js';
import { parseStorageList, parseVersion } from './wire.js';

export type Dialect = 'v1' | 'legacy';

export class DetectingPrinterApi implements PrinterApi {
  readonly name: string;
  private chosen: Promise<PrinterApi> | undefined;

  constructor(
    private readonly http: PrinterHttp,
    private readonly printerType?: string,
  ) {
    this.name = http.printer;
  }

  /** The dialect in use, once known. */
  async dialect(): Promise<Dialect> {
    return (await this.api()) instanceof PrusaLinkLegacy ? 'legacy' : 'v1';
  }

  identify(): Promise<PrinterIdentity> {
    return this.call((api) => api.identify());
  }

  status(): Promise<PrinterStatus> {
    return this.call((api) => api.status());
  }

  storages(): Promise<StorageInfo[]> {
    return this.call((api) => api.storages());
  }

  list(storage: string, dirUrl: string): Promise<RemoteEntry[] | undefined> {
    return this.call((api) => api.list(storage, dirUrl));
  }

  stat(storage: string, fileUrl: string): Promise<RemoteFileInfo | undefined> {
    return this.call((api) => api.stat(storage, fileUrl));
  }

  upload(storage: string, fileUrl: string, body: UploadBody, options: UploadOptions): Promise<RemoteFileInfo | undefined> {
    return this.call((api) => api.upload(storage, fileUrl, body, options));
  }

  download(storage: string, fileUrl: string, options: DownloadOptions): Promise<DownloadResult | undefined> {
    return this.call((api) => api.download(storage, fileUrl, options));
  }

  transfer(): Promise<TransferProgress | undefined | null> {
    return this.call((api) => api.transfer());
  }

  createFolder(storage: string, folderUrl: string): Promise<'created' | 'exists'> {
    return this.call((api) => api.createFolder(storage, folderUrl));
  }

  remove(storage: string, url: string): Promise<void> {
    return this.call((api) => api.remove(storage, url));
  }

  close(): void {
    this.http.close();
  }

  private async call<T>(run: (api: PrinterApi) => Promise<T>): Promise<T> {
    const api = await this.api();
    try {
      return await run(api);
    } catch (err) {
      if (!(api instanceof PrusaLinkLegacy) || !(err instanceof PrinterError) || err.status !== 410) throw err;
      // 410 proves the v1 API is there, whatever /api/version said; the refused call changed nothing.
      const v1 = new PrusaLinkV1(this.http, this.printerType, { ...api.version, uploadByPut: true });
      this.chosen = Promise.resolve(v1);
      return run(v1);
    }
  }

  /** Probes once; a failed probe (printer off, wrong password) is tried again by the next call. */
  private api(): Promise<PrinterApi> {
    if (!this.chosen) {
      const probe = this.probe();
      this.chosen = probe;
      probe.catch(() => {
        if (this.chosen === probe) this.chosen = undefined;
      });
    }
    return this.chosen;
  }

  private async probe(): Promise<PrinterApi> {
    // GET /api/v1/storage answers exactly where upload by PUT exists, and sync needs the list anyway.
    const storageWhat = 'reading the storage list';
    const first = await this.http.request({ method: 'GET', target: '/api/v1/storage', what: storageWhat });
    if (first.status === 200) {
      const list = parsed(this.name, storageWhat, parseStorageList, jsonOf(this.name, storageWhat, first));
      return new PrusaLinkV1(this.http, this.printerType, undefined, list);
    }
    if (first.status !== 404)
      throw statusError(this.name, storageWhat, first.status, errorText(first.body, headerText(first.headers['content-type'])));
    const what = 'reading /api/version';
    const res = await this.http.request({ method: 'GET', target: '/api/version', what });
    if (res.status === 404) {
      // Every PrusaLink answers one of the two: this is some other web server at that address.
      throw new PrinterError(
        this.name,
        'not-prusalink',
        `printer ${this.name}: not a PrusaLink printer (the address answers 404 to /api/v1/storage and /api/version)`,
        {
          hint: hintFor('not-prusalink'),
          status: 404,
        },
      );
    }
    if (res.status !== 200) throw statusError(this.name, what, res.status, errorText(res.body, headerText(res.headers['content-type'])));
    const version = parsed(this.name, what, parseVersion, jsonOf(this.name, what, res));
    return version.uploadByPut
      ? new PrusaLinkV1(this.http, this.printerType, version)
      : new PrusaLinkLegacy(this.http, version, this.printerType);
  }
}
