// The printers the PrinterApi contract runs against, and what each one's API can and cannot do.

import type { PrinterAuth } from '../../src/config/types.js';
import { LEGACY_BUDDY_RULES, LEGACY_PI_RULES } from '../../src/printer/prusalink/legacy.js';
import { BUDDY_RULES, PI_RULES } from '../../src/printer/rules.js';
import type { NameRules, PrinterKind } from '../../src/types.js';
import type { SimModel, SimPrinter, SimPrinterOptions } from '../../src/simulator/index.js';

export interface Flavour {
  label: string;
  model: SimModel;
  kind: PrinterKind;
  dialect: 'v1' | 'legacy';
  rules: NameRules;
  /** Simulator options for the printer every test of the suite shares. */
  options: SimPrinterOptions;
  /** Digest, or only an API key (Buddy 4.4). */
  auth: 'digest' | 'api-key';
  /** Why files cannot go into folders here; undefined when they can. */
  noFolders?: string;
  /** /api/v1/info gives a serial. */
  serial: boolean;
  /** Lists every file (Pi v1), not only print files. */
  listsEveryFile: boolean;
  /** Names the printed file; the legacy API only says that a job exists. */
  namesPrintedFile: boolean;
  /** Why a single-file read has no time; undefined when it has one. */
  noFileTime?: string;
  /** Why the status cannot show someone else's transfer; undefined when it can. */
  noTransferStatus?: string;
  uploadMethod: 'PUT' | 'POST';
  /** How an upload is refused while someone else transfers a file. */
  busyUpload: { kind: string; status: number };
}

const BUDDY_44 = 'Buddy 4.4 keeps files in the USB root only';

export const FLAVOURS: Flavour[] = [
  {
    label: 'Buddy (MK4)',
    model: 'MK4',
    kind: 'buddy',
    dialect: 'v1',
    rules: BUDDY_RULES,
    options: { model: 'MK4' },
    auth: 'digest',
    serial: true,
    listsEveryFile: false,
    namesPrintedFile: true,
    uploadMethod: 'PUT',
    busyUpload: { kind: 'transfer-busy', status: 409 },
  },
  {
    label: 'Pi (MK3S)',
    model: 'MK3S',
    kind: 'pi',
    dialect: 'v1',
    rules: PI_RULES,
    options: { model: 'MK3S', apiKey: 'pi-api-key-1234' },
    auth: 'digest',
    serial: true,
    listsEveryFile: true,
    namesPrintedFile: true,
    uploadMethod: 'PUT',
    // Pi fails a second transfer with a plain 500.
    busyUpload: { kind: 'http', status: 500 },
  },
  {
    label: 'legacy Pi (MK3S, PrusaLink 0.6)',
    model: 'MK3S',
    kind: 'pi',
    dialect: 'legacy',
    rules: LEGACY_PI_RULES,
    options: { model: 'MK3S', firmware: 'legacy', apiKey: 'pi-api-key-1234' },
    auth: 'digest',
    serial: false,
    listsEveryFile: false,
    namesPrintedFile: false,
    uploadMethod: 'POST',
    busyUpload: { kind: 'transfer-busy', status: 409 },
  },
  {
    label: 'legacy Buddy (MINI, firmware 4.4)',
    model: 'MINI',
    kind: 'buddy',
    dialect: 'legacy',
    rules: LEGACY_BUDDY_RULES,
    options: { model: 'MINI', firmware: 'legacy' },
    auth: 'api-key',
    noFolders: BUDDY_44,
    serial: false,
    listsEveryFile: false,
    namesPrintedFile: false,
    noFileTime: 'Buddy 4.4 gives no file time',
    noTransferStatus: 'Buddy 4.4 does not report transfers',
    uploadMethod: 'POST',
    busyUpload: { kind: 'transfer-busy', status: 409 },
  },
];

/** The credentials the suite uses by default for this flavour's printer. */
export function defaultAuth(flavour: Flavour, sim: SimPrinter): PrinterAuth {
  return flavour.auth === 'api-key'
    ? { kind: 'api-key', apiKey: sim.credentials.password }
    : { kind: 'digest', username: sim.credentials.username, password: sim.credentials.password };
}

/** A path for this flavour: folders become part of the name where the printer has none. */
export function placed(flavour: Flavour, path: string): string {
  return flavour.noFolders ? path.replace(/\//g, '_') : path;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
