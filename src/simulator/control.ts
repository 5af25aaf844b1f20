// The test-control HTTP path, which a real printer does not have. No auth; JSON in and out.
//
//   GET    /_sim                      printer summary: name, model, personality, firmware, storage, serial, url
//   GET    /_sim/requests             the request log (see SimRequestLogEntry); DELETE clears it
//   GET    /_sim/files                every stored file (SimFileSnapshot[]), hidden leftovers included
//   GET    /_sim/folders?storage=S    folder paths of a storage (default: the main one)
//   POST   /_sim/folders              {"path":"a/b","storage"?:S}            create folders
//   GET    /_sim/file?path=P&storage=S the raw bytes of one file (404 when absent or not kept)
//   POST   /_sim/seed                 {"path":"a/b.gcode","content"?:"text","contentBase64"?:"...",
//                                      "storage"?:S,"mTimestamp"?:N}         store a file
//   GET    /_sim/state                {"state","job","transfer","usbPresent"}
//   POST   /_sim/state                {"state":"PRINTING","file":"a.gcode","progress"?:N}
//   GET    /_sim/faults               armed faults; POST adds one fault or an array; DELETE clears
//   POST   /_sim/usb                  {"present":false}                      Buddy only
//   POST   /_sim/transfer             {"running":true,"path"?:"a.gcode","size"?:N}  a foreign transfer
//   POST   /_sim/clock                {"skewSec"?:N,"unset"?:bool}
// Errors: 400 {"error": "..."} for a bad request, 404 for an unknown control path.

import type { SimPrinterImpl } from './printer.js';
import type { Exchange } from './server/exchange.js';
import type { SimFault } from './types.js';

const MAX_CONTROL_BODY = 64 * 1024 * 1024;

async function readJson(ex: Exchange): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ex.req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_CONTROL_BODY) throw new Error('control body too large');
    chunks.push(buf);
  }
  ex.bodyConsumed = true;
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) throw new Error('expected a JSON object or array');
  return value as Record<string, unknown>;
}

function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Error(`"${key}" must be a string`);
  return v;
}

function optNumber(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`"${key}" must be a number`);
  return v;
}

function optBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new Error(`"${key}" must be true or false`);
  return v;
}

function required<T>(value: T | undefined, key: string): T {
  if (value === undefined) throw new Error(`"${key}" is required`);
  return value;
}

export async function handleControl(printer: SimPrinterImpl, ex: Exchange): Promise<void> {
  const url = new URL(ex.target, 'http://sim');
  const route = `${ex.method} ${url.pathname.replace(/\/+$/, '')}`;
  const ctx = printer.ctx;
  const ok = (value: unknown = { ok: true }): void => ex.sendJson(200, value, {}, { chunked: false });
  try {
    switch (route) {
      case 'GET /_sim':
        return ok({
          name: printer.name,
          model: printer.model,
          personality: printer.personality,
          firmware: printer.firmware,
          storage: printer.storage,
          serial: printer.serial,
          url: printer.url,
        });
      case 'GET /_sim/requests':
        return ok(printer.requests());
      case 'DELETE /_sim/requests':
        printer.clearRequests();
        return ok();
      case 'GET /_sim/files':
        return ok(printer.files());
      case 'GET /_sim/folders':
        return ok(printer.folders(url.searchParams.get('storage') ?? undefined));
      case 'POST /_sim/folders': {
        const body = await readJson(ex);
        printer.seedFolder(required(optString(body, 'path'), 'path'), { storage: optString(body, 'storage') });
        return ok();
      }
      case 'GET /_sim/file': {
        const data = printer.readFile(url.searchParams.get('path') ?? '', url.searchParams.get('storage') ?? undefined);
        if (!data) return ex.send(404, undefined, {}, { close: false });
        return ex.send(200, data, { 'Content-Type': 'application/octet-stream' });
      }
      case 'POST /_sim/seed': {
        const body = await readJson(ex);
        const b64 = optString(body, 'contentBase64');
        const content = b64 !== undefined ? Buffer.from(b64, 'base64') : (optString(body, 'content') ?? '');
        printer.seed(required(optString(body, 'path'), 'path'), content, {
          storage: optString(body, 'storage'),
          mTimestamp: optNumber(body, 'mTimestamp'),
        });
        return ok();
      }
      case 'GET /_sim/state':
        return ok({ state: ctx.state.state, job: ctx.state.job ?? null, transfer: ctx.state.transfer ?? null, usbPresent: ctx.usbPresent });
      case 'POST /_sim/state': {
        const body = await readJson(ex);
        printer.setState(required(optString(body, 'state'), 'state'), {
          file: optString(body, 'file'),
          progress: optNumber(body, 'progress'),
        });
        return ok();
      }
      case 'GET /_sim/faults':
        return ok(ctx.faults.list());
      case 'POST /_sim/faults': {
        const body: unknown = await readJson(ex);
        for (const fault of Array.isArray(body) ? body : [body]) printer.inject(fault as SimFault);
        return ok();
      }
      case 'DELETE /_sim/faults':
        printer.clearFaults();
        return ok();
      case 'POST /_sim/usb': {
        const body = await readJson(ex);
        printer.setUsbPresent(required(optBool(body, 'present'), 'present'));
        return ok();
      }
      case 'POST /_sim/transfer': {
        const body = await readJson(ex);
        printer.setForeignTransfer(required(optBool(body, 'running'), 'running'), {
          path: optString(body, 'path'),
          size: optNumber(body, 'size'),
        });
        return ok();
      }
      case 'POST /_sim/clock': {
        const body = await readJson(ex);
        printer.setClock({ skewSec: optNumber(body, 'skewSec'), unset: optBool(body, 'unset') });
        return ok();
      }
      default:
        return ex.sendJson(404, { error: `no control endpoint ${route}` }, {}, { chunked: false });
    }
  } catch (err) {
    ex.sendJson(400, { error: err instanceof Error ? err.message : String(err) }, {}, { chunked: false });
  }
}
