// Slots held across several steps (printers listing and planning at once): never more than the
// bound, handed on in order, and a slot given back twice frees it once.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSlots } from '../../src/source/limit.js';

/** Lets every queued promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createSlots', { timeout: 5000 }, () => {
  it('holds at most the bound and hands slots on in the order asked', async () => {
    const slots = createSlots(2);
    const got: string[] = [];
    const releases = new Map<string, () => void>();
    for (const name of ['a', 'b', 'c', 'd']) {
      void slots.take().then((release) => {
        got.push(name);
        releases.set(name, release);
      });
    }
    await settle();
    assert.deepEqual(got, ['a', 'b']);
    releases.get('b')!();
    await settle();
    assert.deepEqual(got, ['a', 'b', 'c']);
    releases.get('a')!();
    await settle();
    assert.deepEqual(got, ['a', 'b', 'c', 'd']);
  });

  it('frees a slot once however often it is given back', async () => {
    const slots = createSlots(1);
    const first = await slots.take();
    first();
    first();
    const second = await slots.take();
    let thirdIn = false;
    void slots.take().then(() => (thirdIn = true));
    await settle();
    assert.equal(thirdIn, false, 'the double release must not have opened a second slot');
    second();
    await settle();
    assert.equal(thirdIn, true);
  });
});
