// Typed errors: each carries a stable code, a message naming the thing, and a hint saying the fix.
// Messages never contain secrets; build them from names, paths and status codes only.

export interface ErrorDetails {
  hint?: string;
  cause?: unknown;
}

export class LinkSyncError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = details.hint;
  }

  /** One line for the user: the message, then the fix. */
  toLine(): string {
    return this.hint ? `${this.message} (${this.hint})` : this.message;
  }
}

/** Bad command-line usage: unknown flag, contradictory flags, unknown printer name. */
export class UsageError extends LinkSyncError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('USAGE', message, details);
  }
}

/** The config file is missing, unreadable or invalid. */
export class ConfigError extends LinkSyncError {
  /** Every problem found, one line each with its fix (one entry when there is a single problem). */
  readonly errors: string[];
  /** With several problems: the line that counts them, shown above one line per problem. */
  readonly heading: string | undefined;

  constructor(message: string, details: ErrorDetails & { errors?: string[]; heading?: string } = {}) {
    super('CONFIG', message, details);
    this.errors = details.errors ?? [this.toLine()];
    this.heading = details.heading;
  }
}

/** The source (master) folder is missing, unreadable or unusable. */
export class SourceError extends LinkSyncError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('SOURCE', message, details);
  }
}

/** The state folder that holds the sync records cannot be used: another run holds it, or it cannot be written. */
export class StateError extends LinkSyncError {
  constructor(code: 'STATE_LOCKED' | 'STATE_UNWRITABLE', message: string, details: ErrorDetails = {}) {
    super(code, message, details);
  }
}

/** What the caller should do about a printer error. */
export type PrinterErrorKind =
  | 'unreachable' // connection refused, timeout, DNS: the printer is not there
  | 'auth' // 401/403: wrong credentials
  | 'file-in-use' // 409 for a printed or busy file
  | 'transfer-busy' // 409 another transfer in progress
  | 'storage' // 507, missing USB stick, read-only storage
  | 'not-found' // 404
  | 'rejected' // 4xx that says the request itself cannot succeed (414, 415, 422...)
  | 'http' // any other unexpected status
  | 'protocol' // the printer answered something we cannot read
  | 'not-prusalink' // the address answers HTTP, but 404 to every PrusaLink endpoint
  | 'local-limit' // this machine ran out of something (open files): not the printer's fault
  | 'unknown-outcome' // the connection broke mid-upload: look before deciding
  | 'aborted'; // interrupted by the user

export class PrinterError extends LinkSyncError {
  readonly printer: string;
  readonly kind: PrinterErrorKind;
  readonly status: number | undefined;

  constructor(printer: string, kind: PrinterErrorKind, message: string, details: ErrorDetails & { status?: number } = {}) {
    super(`PRINTER_${kind.toUpperCase().replace(/-/g, '_')}`, message, details);
    this.printer = printer;
    this.kind = kind;
    this.status = details.status;
  }
}

/** A bug in link-sync. */
export class InternalError extends LinkSyncError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('INTERNAL', message, details);
  }
}
