// A streaming multipart/form-data reader for the legacy upload: file bytes go to the caller as they
// arrive (never buffered whole); small text fields are collected. Delimiters may straddle chunks.

export interface PartHead {
  /** The `name` of Content-Disposition. */
  name: string;
  /** The `filename`, when the part is a file. */
  filename?: string;
  contentType?: string;
}

export interface MultipartHandlers {
  /** A file part starts; return false to stop reading (the caller answers with an error). */
  onFile(head: PartHead): boolean;
  /** Bytes of the current file part; false asks the caller to wait before more come. */
  onFileData(chunk: Buffer): boolean;
}

export class MultipartError extends Error {}

const MAX_FIELD_BYTES = 64 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data; boundary=...` Content-Type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const b = m?.[1] ?? m?.[2];
  return b && b.length <= 70 ? b : undefined;
}

/** Reads a quoted Content-Disposition parameter verbatim: neither firmware undoes percent-encoding. */
function dispositionParam(header: string, key: string): string | undefined {
  const m = new RegExp(`;\\s*${key}="([^"]*)"`, 'i').exec(header);
  return m ? (m[1] ?? '') : undefined;
}

type State = 'preamble' | 'headers' | 'file' | 'field' | 'done';

export class MultipartReader {
  readonly fields = new Map<string, string>();
  private state: State = 'preamble';
  private pending: Buffer = Buffer.alloc(0);
  private readonly delimiter: Buffer;
  private fieldName = '';
  private fieldChunks: Buffer[] = [];
  private fieldBytes = 0;
  private stopped = false;
  private started = false;

  constructor(
    boundary: string,
    private readonly handlers: MultipartHandlers,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  /** True once the closing delimiter was read. */
  get complete(): boolean {
    return this.state === 'done';
  }

  /** Feeds body bytes. Returns 'stop' when a handler refused the part, false to wait, else true. */
  write(chunk: Buffer): boolean | 'stop' {
    if (this.stopped) return 'stop';
    // The first delimiter has no leading CRLF: pretend it had one.
    this.pending = Buffer.concat(this.started ? [this.pending, chunk] : [CRLF, chunk]);
    this.started = true;
    let ready = true;
    for (;;) {
      if (this.state === 'done') {
        this.pending = Buffer.alloc(0);
        return ready;
      }
      if (this.state === 'headers') {
        const end = this.pending.indexOf(HEADER_END);
        if (end < 0) {
          if (this.pending.length > MAX_HEADER_BYTES) throw new MultipartError('part headers too long');
          return ready;
        }
        const head = this.parseHead(this.pending.subarray(0, end).toString('utf8'));
        this.pending = this.pending.subarray(end + HEADER_END.length);
        if (head.filename !== undefined) {
          this.state = 'file';
          if (!this.handlers.onFile(head)) {
            this.stopped = true;
            return 'stop';
          }
        } else {
          this.state = 'field';
          this.fieldName = head.name;
          this.fieldChunks = [];
          this.fieldBytes = 0;
        }
        continue;
      }
      const at = this.pending.indexOf(this.delimiter);
      if (at < 0) {
        // Keep enough bytes to recognise a delimiter that continues in the next chunk.
        const keep = Math.min(this.pending.length, this.delimiter.length - 1);
        ready = this.body(this.pending.subarray(0, this.pending.length - keep)) && ready;
        this.pending = this.pending.subarray(this.pending.length - keep);
        return ready;
      }
      const after = at + this.delimiter.length;
      if (this.pending.length < after + 2) {
        ready = this.body(this.pending.subarray(0, at)) && ready;
        this.pending = this.pending.subarray(at);
        return ready;
      }
      ready = this.body(this.pending.subarray(0, at)) && ready;
      this.endPart();
      const tail = this.pending.subarray(after, after + 2).toString('latin1');
      this.pending = this.pending.subarray(after + 2);
      if (tail === '--') this.state = 'done';
      else if (tail === '\r\n') this.state = 'headers';
      else throw new MultipartError('malformed delimiter');
    }
  }

  private body(bytes: Buffer): boolean {
    if (bytes.length === 0) return true;
    // `pending` is never written in place, so its slices can be handed on without a copy.
    if (this.state === 'file') return this.handlers.onFileData(bytes);
    if (this.state === 'field') {
      this.fieldBytes += bytes.length;
      if (this.fieldBytes > MAX_FIELD_BYTES) throw new MultipartError(`field ${this.fieldName} too long`);
      this.fieldChunks.push(bytes);
    }
    return true; // preamble bytes are ignored
  }

  private endPart(): void {
    if (this.state === 'field') this.fields.set(this.fieldName, Buffer.concat(this.fieldChunks).toString('utf8'));
    this.fieldChunks = [];
  }

  private parseHead(text: string): PartHead {
    let disposition: string | undefined;
    let contentType: string | undefined;
    for (const line of text.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === 'content-disposition') disposition = value;
      else if (key === 'content-type') contentType = value;
    }
    if (!disposition || !/^form-data\b/i.test(disposition)) throw new MultipartError('part without form-data disposition');
    const name = dispositionParam(disposition, 'name');
    if (name === undefined) throw new MultipartError('part without a name');
    const filename = dispositionParam(disposition, 'filename');
    return { name, ...(filename !== undefined ? { filename } : {}), ...(contentType !== undefined ? { contentType } : {}) };
  }
}
