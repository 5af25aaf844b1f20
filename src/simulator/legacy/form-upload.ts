// Reads a legacy multipart upload (POST /api/files/local): the `file` part streams into a sink while
// it arrives, the other fields (path, print, select) are collected; body faults apply as for a PUT.

import type { UploadSink } from '../model/upload-sink.js';
import { readBody, type BodyOutcome } from '../server/body.js';
import type { SimContext } from '../server/context.js';
import type { Exchange } from '../server/exchange.js';
import { MultipartError, MultipartReader } from './multipart.js';

export interface Refusal {
  status: number;
  title: string;
  message: string;
}

export interface FormUploadOptions {
  boundary: string;
  /** Checks the file part's name before its bytes are read (and takes the transfer slot). */
  checkFile(filename: string): Refusal | undefined;
  /** Where the file's bytes go. */
  sink(filename: string): UploadSink;
  /** Body bytes read so far (multipart envelope included). */
  onBytes?(total: number): void;
  idleTimeoutMs?: number;
}

export type FormResult =
  | { kind: 'refused'; refusal: Refusal }
  /** The body did not arrive whole (reset, client gone, idle timeout, short form). */
  | { kind: 'incomplete'; outcome: BodyOutcome; filename?: string; sink?: UploadSink }
  | { kind: 'complete'; fields: Map<string, string>; filename: string; sink: UploadSink };

const BAD_FORM: Refusal = { status: 400, title: 'Bad Request', message: 'Malformed multipart form.' };
const NO_FILE: Refusal = { status: 400, title: 'No File In Request', message: 'No file in the request.' };

export async function readFormUpload(ctx: SimContext, ex: Exchange, opts: FormUploadOptions): Promise<FormResult> {
  let sink: UploadSink | undefined;
  let filename: string | undefined;
  let refusal: Refusal | undefined;
  const reader = new MultipartReader(opts.boundary, {
    onFile: (head) => {
      if (head.name !== 'file' || filename !== undefined) {
        refusal = BAD_FORM;
        return false;
      }
      refusal = head.filename ? opts.checkFile(head.filename) : NO_FILE;
      if (refusal || !head.filename) return false;
      filename = head.filename;
      sink = opts.sink(filename);
      return true;
    },
    onFileData: (chunk) => (sink ? sink.write(chunk) : true),
  });
  const outcome = await readBody(ex.req, {
    rateBytesPerSec: ctx.opts.rateBytesPerSec,
    fault: ctx.faults.body(),
    ...(opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
    stallGiveUpMs: ctx.opts.uploadIdleTimeoutMs,
    onChunk: (chunk, total) => {
      ex.entry.bytesIn = total;
      opts.onBytes?.(total);
      try {
        return reader.write(chunk);
      } catch (err) {
        if (!(err instanceof MultipartError)) throw err;
        refusal = BAD_FORM;
        return 'stop';
      }
    },
    drained: () => (sink ? sink.drained() : Promise.resolve()),
  });
  if (outcome === 'stopped') {
    sink?.discard();
    return { kind: 'refused', refusal: refusal ?? BAD_FORM };
  }
  if (outcome !== 'complete') {
    return { kind: 'incomplete', outcome, ...(filename !== undefined ? { filename } : {}), ...(sink ? { sink } : {}) };
  }
  ex.bodyConsumed = true;
  if (!reader.complete || filename === undefined || !sink) {
    sink?.discard();
    return { kind: 'refused', refusal: filename === undefined ? NO_FILE : BAD_FORM };
  }
  return { kind: 'complete', fields: reader.fields, filename, sink };
}
