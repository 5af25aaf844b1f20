// Turns HTTP statuses and socket failures into PrinterErrors with the printer's own words and a fix.
// Messages carry names, paths, statuses and the printer's error text, never credentials.

import { PrinterError, type PrinterErrorKind } from '../errors.js';

const HINTS: Record<PrinterErrorKind, string> = {
  unreachable: 'check that the printer is on and that its address in the config is right',
  auth: 'check the username and password (or API key) for this printer in the config',
  'file-in-use': 'the file is being printed, is busy, or already exists; try again when the printer is idle',
  'transfer-busy': 'another upload or a Prusa Connect download is running on this printer; try again later',
  storage: 'check the USB drive or storage of this printer: inserted, writable, not full',
  'not-found': 'the printer does not have it (any more); list the printer again',
  rejected: 'the printer cannot take this request or name; shorten or rename the file',
  http: 'the printer answered with an unexpected status; try again, or report it if it persists',
  protocol: 'check that the address points at a PrusaLink printer',
  'not-prusalink': "check the host in the config: it must be the printer's address, with PrusaLink enabled in its network settings",
  'local-limit': 'this computer ran out of open files; raise the limit (ulimit -n) and run again',
  'unknown-outcome': 'the connection broke during the upload; check the file on the printer before going on',
  aborted: 'the run was interrupted',
};

export function hintFor(kind: PrinterErrorKind): string {
  return HINTS[kind];
}

/** Which kind of failure a status means. 401/403 are 'auth' whatever the scheme. */
export function kindForStatus(status: number, message: string): PrinterErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 409) {
    if (/another transfer/i.test(message)) return 'transfer-busy';
    if (/read[- ]?only/i.test(message)) return 'storage';
    return 'file-in-use';
  }
  // 413: PrusaLink 0.6 refuses an upload larger than its free space.
  if (status === 507 || status === 413) return 'storage';
  if ([411, 414, 415, 422, 431, 501].includes(status)) return 'rejected';
  return 'http';
}

/**
 * The printer's error text from a response body: Buddy and Pi send JSON {title, message};
 * Buddy's text form is "409: Conflict\n\nmessage", Pi's "title\nmessage". HTML bodies are dropped.
 */
export function errorText(body: Buffer, contentType: string | undefined): string {
  const raw = body.subarray(0, 4096).toString('utf8').trim();
  if (raw === '') return '';
  if (/html/i.test(contentType ?? '') || raw.startsWith('<')) return '';
  if (raw.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(raw);
      if (json !== null && typeof json === 'object') {
        const o = json as Record<string, unknown>;
        for (const key of ['message', 'text', 'title']) {
          const v = o[key];
          if (typeof v === 'string' && v.trim() !== '') return clip(v.trim());
        }
      }
    } catch {
      // not JSON after all: fall through to the text forms
    }
  }
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // Drop a leading "409: Conflict" status line; keep the explanation after it.
  if (lines.length > 1 && /^\d{3}\b/.test(lines[0] ?? '')) lines.shift();
  return clip(lines.length > 1 ? (lines.slice(-1)[0] ?? '') : (lines[0] ?? ''));
}

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 200 ? `${one.slice(0, 197)}...` : one;
}

/** A PrinterError for a non-success status, e.g. "printer mk4-1: upload of a.gcode refused: 409 File already exists". */
export function statusError(printer: string, what: string, status: number, text: string): PrinterError {
  const kind = kindForStatus(status, text);
  const detail = statusDetail(status, text);
  const message =
    kind === 'auth'
      ? `printer ${printer}: credentials refused when ${what} (${detail})`
      : `printer ${printer}: ${what} ${kind === 'not-found' ? 'failed' : 'refused'}: ${detail}`;
  return new PrinterError(printer, kind, message, {
    hint: hintFor(kind),
    status,
  });
}

/** "401 Unauthorized": the status once, even when the printer's text repeats it ("401: Unauthorized"). */
export function statusDetail(status: number, text: string): string {
  const rest = text.replace(new RegExp(`^${status}\\b[:\\s-]*`), '').trim();
  return rest === '' ? `${status}` : `${status} ${rest}`;
}

/** The error code of a socket or DNS failure, if it has one. */
export function errorCode(err: unknown): string | undefined {
  if (err !== null && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A PrinterError for a request that got no response at all. */
export function socketError(printer: string, what: string, origin: string, err: unknown): PrinterError {
  const code = errorCode(err) ?? 'error';
  if (code.startsWith('ERR_TLS') || /CERT|SELF_SIGNED/.test(code)) {
    return new PrinterError(printer, 'unreachable', `printer ${printer}: TLS failed for ${origin} (${code})`, {
      hint: 'the printer uses a certificate this machine does not trust; if it is a self-signed certificate you trust, run with --allow-self-signed',
      cause: err,
    });
  }
  if (code === 'EMFILE' || code === 'ENFILE') {
    return new PrinterError(
      printer,
      'local-limit',
      `printer ${printer}: ${what} not sent: this computer has no free file descriptors (${code})`,
      {
        hint: hintFor('local-limit'),
        cause: err,
      },
    );
  }
  if (code === 'ERESPONSETOOLARGE') {
    return new PrinterError(
      printer,
      'protocol',
      `printer ${printer}: the answer from ${origin} to ${what} is larger than link-sync accepts (${code})`,
      {
        hint: hintFor('protocol'),
        cause: err,
      },
    );
  }
  // HPE_* codes come from Node's HTTP parser: something answered, but not HTTP we can read.
  const kind: PrinterErrorKind = code.startsWith('HPE_') ? 'protocol' : 'unreachable';
  const problem = kind === 'protocol' ? `unreadable answer from ${origin}` : `cannot reach ${origin}`;
  return new PrinterError(printer, kind, `printer ${printer}: ${problem} for ${what} (${code})`, {
    hint: hintFor(kind),
    cause: err,
  });
}
