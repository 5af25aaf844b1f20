// Reads a printer's transfer progress: GET /api/v1/transfer (`transferred`, `size`) or the `transfer`
// object of /api/v1/status (Buddy names the count `transferred`, the spec and a Pi `data_transferred`).

import type { TransferProgress } from '../upload-watch.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
}

/** A transfer object from either endpoint; undefined when it carries no byte count or percentage. */
export function parseTransferProgress(body: unknown): TransferProgress | undefined {
  if (!isObject(body)) return undefined;
  const size = count(body['size']);
  let transferred = count(body['transferred']) ?? count(body['data_transferred']);
  const percent = typeof body['progress'] === 'number' ? body['progress'] : undefined;
  // Only a percentage: bytes follow from it when the size is known.
  if (transferred === undefined && percent !== undefined && size !== undefined) transferred = Math.floor((percent / 100) * size);
  if (transferred === undefined) return undefined;
  return size === undefined ? { transferred } : { transferred, size };
}

/** The `transfer` object of /api/v1/status, absent when none runs. */
export function statusTransfer(body: unknown): TransferProgress | undefined | 'none' {
  if (!isObject(body) || !isObject(body['transfer'])) return 'none';
  return parseTransferProgress(body['transfer']);
}
