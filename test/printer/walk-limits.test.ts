// The walk's limits: a listing deeper, longer or larger than any printer can hold is a protocol error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrinterError } from '../../src/errors.js';
import type { PrinterApi, RemoteEntry } from '../../src/printer/api.js';
import type { NameRules } from '../../src/types.js';
import { DetectingPrinterApi } from '../../src/printer/prusalink/detect.js';
import { LEGACY_PI_RULES } from '../../src/printer/prusalink/legacy.js';
import { BUDDY_RULES } from '../../src/printer/rules.js';
import { MAX_WALK_DEPTH, MAX_WALK_ENTRIES, walkRemote } from '../../src/printer/walk.js';
import { testClient, withServer } from '../helpers/test-server.js';

const T = { timeout: 5_000 };
/** Against a server: large answers to build, send and read. */
const NET = { timeout: 30_000 };

/** Every folder holds one more folder, named by `name(depth)`. */
function endlessApi(name: (depth: number) => string): PrinterApi & { listed: number } {
  const unused = (): never => {
    throw new Error('not used by the walker');
  };
  const api = {
    name: 'deep',
    listed: 0,
    list: async (_storage: string, dirUrl: string): Promise<RemoteEntry[]> => {
      api.listed++;
      const depth = dirUrl === '' ? 0 : dirUrl.split('/').length;
      return [{ type: 'folder', name: name(depth), urlName: name(depth), readOnly: false }];
    },
    identify: unused,
    status: unused,
    storages: unused,
    stat: unused,
    upload: unused,
    download: unused,
    createFolder: unused,
    remove: unused,
    transfer: unused,
    close: () => undefined,
  };
  return api;
}

test(`stops a listing that goes on more than ${MAX_WALK_DEPTH} folders deep`, T, async () => {
  const api = endlessApi(() => 'deeper');
  const err = await walkRemote(api, 'usb', '', BUDDY_RULES).catch((e: unknown) => e);
  assert.ok(err instanceof PrinterError);
  assert.equal(err.kind, 'protocol');
  assert.match(err.message, /more than 64 folders deep/);
  assert.equal(api.listed, MAX_WALK_DEPTH + 1, 'the root and one listing per level, none beyond the limit');
});

test('stops a listing whose path grows longer than any printer can hold', T, async () => {
  const api = endlessApi((depth) => `${'x'.repeat(200)}${depth}`);
  const err = await walkRemote(api, 'usb', '', BUDDY_RULES).catch((e: unknown) => e);
  assert.ok(err instanceof PrinterError);
  assert.match(err.message, /longer than 4096 bytes/);
  assert.ok(api.listed < 25);
});

/** A printer on 127.0.0.1 that answers the API's reads from `routes` (JSON text by path), 404 otherwise. */
function servePrinter(routes: (path: string) => string | undefined, requested: string[] = []) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    requested.push(path);
    const body = routes(path) ?? '{"title":"Not Found","message":"Not found"}';
    res.writeHead(routes(path) === undefined ? 404 : 200, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  };
}

const LEGACY_VERSION = '{"api":"0.1","text":"PrusaLink 0.6.1","original":"PrusaLink I3MK3S"}';

/** Walks the printer at `url` and gives the protocol error it must end with. */
async function walkFails(url: string, storage: string, rules: NameRules): Promise<PrinterError> {
  const api = new DetectingPrinterApi(testClient(url));
  const err = await walkRemote(api, storage, '', rules).catch((e: unknown) => e);
  api.close();
  assert.ok(err instanceof PrinterError, String(err));
  assert.equal(err.kind, 'protocol');
  assert.match(err.hint ?? '', /nothing was changed on this printer/);
  return err;
}

test(`stops a legacy /api/files tree nested far deeper than ${MAX_WALK_DEPTH} folders without running out of stack`, NET, async () => {
  const depth = 50_000;
  const tree = `{"files":[${'{"name":"a","type":"folder","children":['.repeat(depth)}${']}'.repeat(depth)}]}`;
  await withServer(
    servePrinter((path) => (path === '/api/version' ? LEGACY_VERSION : path === '/api/files' ? tree : undefined)),
    async (url) => {
      const err = await walkFails(url, 'local', LEGACY_PI_RULES);
      assert.match(err.message, /^printer p1: listing of \/api\/files: its file listing goes on more than 64 folders deep \(local\/a\/a\//);
    },
  );
});

test(`stops a printer that lists more than ${MAX_WALK_ENTRIES} entries in all, before it has listed every folder`, NET, async () => {
  const folders = 10;
  const perFolder = 50_000;
  const files = Array.from({ length: perFolder }, (_, i) => `{"name":"f${i}.gcode","type":"PRINT_FILE","size":1}`).join(',');
  const folderListing = `{"type":"FOLDER","children":[${files}]}`;
  const root = `{"type":"FOLDER","children":[${Array.from({ length: folders }, (_, i) => `{"name":"d${i}","type":"FOLDER"}`).join(',')}]}`;
  const requested: string[] = [];
  await withServer(
    servePrinter((path) => {
      if (path === '/api/v1/storage') return '{"storage_list":[{"path":"/usb/","name":"usb","read_only":false,"available":true}]}';
      if (path === '/api/v1/files/usb') return root;
      return /^\/api\/v1\/files\/usb\/d\d+$/.test(path) ? folderListing : undefined;
    }, requested),
    async (url) => {
      const err = await walkFails(url, 'usb', BUDDY_RULES);
      assert.match(err.message, /^printer p1: its file listing goes on past 200000 entries \(200010 listed on usb\)/);
      const listed = requested.filter((p) => p.startsWith('/api/v1/files/usb/'));
      assert.equal(listed.length, 4, 'no folder listed past the limit');
    },
  );
});

test(`stops a legacy /api/files tree of more than ${MAX_WALK_ENTRIES} entries`, NET, async () => {
  const files = Array.from({ length: MAX_WALK_ENTRIES + 1 }, (_, i) => `{"name":"f${i}.gcode","size":1}`).join(',');
  const tree = `{"files":[{"name":"d","type":"folder","children":[${files}]}]}`;
  await withServer(
    servePrinter((path) => (path === '/api/version' ? LEGACY_VERSION : path === '/api/files' ? tree : undefined)),
    async (url) => {
      const err = await walkFails(url, 'local', LEGACY_PI_RULES);
      assert.match(
        err.message,
        /^printer p1: listing of \/api\/files: its file listing goes on past 200000 entries \(200002 listed on local\)/,
      );
    },
  );
});
