// A multipart/form-data body around one file, for the legacy upload: the envelope is built here, its
// exact length is known before the first byte goes out, and the file is streamed, never buffered.

import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { UploadBody } from './api.js';

export interface FormField {
  name: string;
  value: string;
}

export interface FormFile {
  /** The field name, e.g. "file". */
  field: string;
  /** What the receiver stores the file as. */
  filename: string;
  contentType: string;
  body: UploadBody;
}

export interface MultipartBody {
  /** The whole request body; `size` includes the envelope. */
  body: UploadBody;
  /** The request's Content-Type, naming the boundary. */
  contentType: string;
  /** How many of the file's own bytes are among the first `sent` bytes of the body. */
  fileBytes(sent: number): number;
}

/** Quotes a name for Content-Disposition as browsers do: `"`, CR and LF percent-encoded. */
export function quoteFormName(name: string): string {
  return `"${name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;
}

/** A boundary that cannot plausibly occur in a print file: 24 random hex digits. */
export function newBoundary(): string {
  return `----link-sync-${randomBytes(12).toString('hex')}`;
}

/** Text fields first, so a receiver knows them before the file arrives; the file last. */
export function multipartBody(fields: readonly FormField[], file: FormFile, boundary: string = newBoundary()): MultipartBody {
  const parts: string[] = [];
  for (const f of fields) {
    parts.push(`--${boundary}\r\nContent-Disposition: form-data; name=${quoteFormName(f.name)}\r\n\r\n${f.value}\r\n`);
  }
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name=${quoteFormName(file.field)}; filename=${quoteFormName(file.filename)}\r\n` +
      `Content-Type: ${file.contentType}\r\n\r\n`,
  );
  const head = Buffer.from(parts.join(''), 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const fileSize = file.body.size;
  return {
    body: {
      size: head.length + fileSize + tail.length,
      open: () => Readable.from(envelope(head, file.body, tail), { objectMode: false }),
    },
    contentType: `multipart/form-data; boundary=${boundary}`,
    fileBytes: (sent) => Math.max(0, Math.min(fileSize, sent - head.length)),
  };
}

/** The file is opened only once the body is read, so an upload refused early leaves no open file. */
async function* envelope(head: Buffer, file: UploadBody, tail: Buffer): AsyncGenerator<Buffer> {
  yield head;
  const source = file.open();
  try {
    for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
  } finally {
    source.destroy();
  }
  yield tail;
}
