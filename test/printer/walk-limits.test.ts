// The walk's limits: a listing deeper or longer than any printer can hold is a protocol error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrinterError } from '../../src/errors.js';
import type { PrinterApi, RemoteEntry } from '../../src/printer/api.js';
import { BUDDY_RULES } from '../../src/printer/rules.js';
import { MAX_WALK_DEPTH, walkRemote } from '../../src/printer/walk.js';

const T = { timeout: 5_000 };

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
