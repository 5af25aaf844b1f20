// Default values for a simulated printer's options, and its stable serial number.

import { createHash, randomBytes } from 'node:crypto';
import { modelInfo } from './models.js';
import type { ResolvedOptions } from './server/context.js';
import type { SimPrinterOptions } from './types.js';

/** A serial in Prusa's shape, the same for the same seed. */
export function stableSerial(seed: string): string {
  const digits = BigInt('0x' + createHash('sha256').update(seed).digest('hex').slice(0, 15))
    .toString()
    .padStart(12, '0');
  return `CZPX${digits.slice(0, 4)}X${digits.slice(4, 7)}XC${digits.slice(7, 12)}`;
}

/** Fills in defaults; the name and serial may depend on the port, so they are fixed after listen. */
export function resolveOptions(options: SimPrinterOptions): ResolvedOptions {
  const model = options.model ?? 'MK4';
  const info = modelInfo(model);
  const personality = info.personality;
  const name = options.name ?? '';
  return {
    name,
    model,
    personality,
    firmware: options.firmware ?? 'current',
    port: options.port ?? 0,
    hostname: '',
    password: options.password ?? randomBytes(9).toString('base64url'),
    username: personality === 'buddy' ? 'maker' : (options.username ?? 'maker'),
    apiKey: personality === 'pi' ? options.apiKey : undefined,
    serial: options.serial ?? '',
    rateBytesPerSec: options.rateBytesPerSec,
    keepContent: options.keepContent ?? true,
    storageDir: options.storageDir,
    nonceLifetimeSec: options.nonceLifetimeSec ?? (personality === 'buddy' ? 300 : 60),
    now: options.now ?? Date.now,
    uploadIdleTimeoutMs: options.uploadIdleTimeoutMs ?? 10_000,
    totalSpace: options.totalSpace ?? 15_000_000_000,
    createFolder: options.createFolder ?? true,
  };
}
