// The folders an upload creates before it is sent (plan/new-folders.ts): one level at a time, each
// then addressed by the short name the printer lists for it, so the file's PUT path fits. For one
// run on one printer it remembers what it made and what the printer refused: each folder is asked
// for once, and a refusal fails the other uploads that need that folder without another request.

import { InternalError, PrinterError } from '../errors.js';
import type { PrinterApi } from '../printer/api.js';
import { hintFor } from '../printer/http-errors.js';
import type { Action, NameRules, NewFolders } from '../types.js';
import { fitsRequestLimits, foldName, joinPath, splitPath, utf8len } from '../source/paths.js';

type NewFoldersUpload = Extract<Action, { kind: 'upload' | 'replace' }> & { kind: 'upload'; newFolders: NewFolders };

/** Refusals that say nothing about the folder: the executor stops or fails the action on them as on any other. */
const NOT_ABOUT_THE_FOLDER = new Set(['unreachable', 'auth', 'storage', 'aborted', 'transfer-busy', 'local-limit']);

const FIX = "shorten the folder or file names, or update the printer's firmware: it creates folders from firmware 5.1 on";

export class FolderMaker {
  /** Folded long storage path → the URL path by short names, for folders made or found this run. */
  private readonly made = new Map<string, string>();
  /** Folded long storage path → the printer's refusal to create it. */
  private readonly refused = new Map<string, PrinterError>();

  constructor(
    private readonly printer: string,
    private readonly api: PrinterApi,
    private readonly storage: string,
    private readonly rules: NameRules | undefined,
  ) {}

  /** Creates the upload's missing folders and resolves the storage-relative URL to PUT the file to. */
  async target(action: NewFoldersUpload): Promise<string> {
    const rules = this.rules;
    if (!rules) throw new InternalError(`the upload of ${action.path} creates folders, but the printer's name rules were not given`);
    let url = action.newFolders.parentUrl;
    let path = action.newFolders.parentPath;
    for (const name of action.newFolders.names) {
      const parentUrl = url;
      path = joinPath(path, name);
      const key = foldName(path, rules);
      const known = this.made.get(key);
      if (known !== undefined) {
        url = known;
        continue;
      }
      const refused = this.refused.get(key);
      if (refused !== undefined) throw this.refusal(action, path, refused);
      const request = joinPath(parentUrl, name);
      this.checkLength(action, request, rules, `creating its folder /${this.storage}/${path}`);
      try {
        await this.api.createFolder(this.storage, request);
      } catch (error) {
        if (!(error instanceof PrinterError) || NOT_ABOUT_THE_FOLDER.has(error.kind)) throw error;
        this.refused.set(key, error);
        throw this.refusal(action, path, error);
      }
      url = await this.shortUrl(action, parentUrl, name, path, rules);
      this.made.set(key, url);
    }
    const target = joinPath(url, splitPath(action.targetUrl).pop() ?? '');
    this.checkLength(action, target, rules, 'the file itself');
    return target;
  }

  /** The folder's URL path by its short name, as the listing of its parent gives it (created or found). */
  private async shortUrl(action: NewFoldersUpload, parentUrl: string, name: string, path: string, rules: NameRules): Promise<string> {
    const wanted = foldName(name, rules);
    const entries = await this.api.list(this.storage, parentUrl);
    const entry = entries?.find((e) => e.type === 'folder' && foldName(e.name, rules) === wanted);
    if (entry) return joinPath(parentUrl, entry.urlName);
    throw new PrinterError(
      this.printer,
      'not-found',
      `printer ${this.printer}: upload of ${action.path} not sent: after creating the folder /${this.storage}/${path} (or finding it there), ` +
        'the printer does not list it (a file of that name, which the printer does not list, may stand there)',
      { hint: hintFor('not-found') },
    );
  }

  /** Never sends a path the printer would cut: a short name can be longer than planned for (non-ASCII). */
  private checkLength(action: NewFoldersUpload, url: string, rules: NameRules, what: string): void {
    if (fitsRequestLimits(url, this.storage, rules)) return;
    const bytes = utf8len(`/${this.storage}/${url}`);
    const over =
      rules.maxPutPathBytes !== undefined && bytes > rules.maxPutPathBytes
        ? `is ${bytes} bytes; the printer accepts at most ${rules.maxPutPathBytes}`
        : `makes a URL longer than the printer's ${rules.maxUrlBytes} bytes`;
    throw new PrinterError(
      this.printer,
      'rejected',
      `printer ${this.printer}: upload of ${action.path} not sent: with the short names the printer gave its new folders, ` +
        `the path for ${what}, /${this.storage}/${url}, ${over}`,
      { hint: 'shorten the file or folder names' },
    );
  }

  private refusal(action: NewFoldersUpload, path: string, cause: PrinterError): PrinterError {
    const said = cause.message.replace(/^printer [^:]*: /, '');
    return new PrinterError(
      this.printer,
      cause.kind,
      `printer ${this.printer}: upload of ${action.path} not sent: the printer did not create its folder /${this.storage}/${path} (${said}), ` +
        "which must be made first: with the folders' long names the file's path is too long for the printer",
      { hint: FIX, ...(cause.status !== undefined ? { status: cause.status } : {}), cause },
    );
  }
}

/** An upload that creates folders first. */
export function createsFolders(action: Action): action is NewFoldersUpload {
  return action.kind === 'upload' && action.newFolders !== undefined;
}
