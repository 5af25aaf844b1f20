// The validated, normalised config: what the rest of link-sync reads. Secrets live only here.

export type PrinterAuth =
  | { kind: 'digest'; username: string; password: string }
  | { kind: 'api-key'; apiKey: string };

export interface PrinterConfig {
  /** Name as written in the config (matched case-insensitively by -p/-x). */
  name: string;
  /** Canonical model name, e.g. "MK4S", "XL", "MK3S". */
  printerType: string;
  /** "http://host:port" or "https://host:port", no trailing slash, no credentials. */
  baseUrl: string;
  auth: PrinterAuth;
}

export interface FarmConfig {
  /** Absolute path of the file it was read from. */
  path: string;
  printers: PrinterConfig[];
  /** Things worth fixing that do not stop a run (e.g. a world-readable file holding a password). */
  warnings?: string[];
}
