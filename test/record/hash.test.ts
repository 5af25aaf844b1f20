// Hashing local files for the record: streamed, shared between printers, and refused when the file moved.

import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { fileBody } from '../../src/execute/upload-body.js';
import type { BodyReader } from '../../src/printer/api.js';
import { HashCache, hashSourceFile, hashingBody } from '../../src/record/hash.js';
import type { SourceFile } from '../../src/types.js';
import { tempDir } from '../helpers/fixtures.js';

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads everything through one small reused buffer, as the transport does with its own two. */
async function drainReader(reader: BodyReader, chunk = 5): Promise<Buffer> {
  const into = Buffer.alloc(chunk);
  const parts: Buffer[] = [];
  try {
    for (let n = await reader.read(into); n > 0; n = await reader.read(into)) parts.push(Buffer.from(into.subarray(0, n)));
  } finally {
    reader.close();
  }
  return Buffer.concat(parts);
}

describe('hashing local files', { timeout: 10000 }, () => {
  let tmp: { dir: string; cleanup: () => void };
  const sourceFile = (name: string, content: string | Buffer): SourceFile => {
    const absPath = path.join(tmp.dir, name);
    writeFileSync(absPath, content);
    const stat = statSync(absPath);
    return { relPath: name, absPath, size: stat.size, mtimeMs: stat.mtimeMs };
  };
  /** A file last written long ago: a rewrite now moves its mtime, however coarse the clock. */
  const oldFile = (name: string, content: string | Buffer): SourceFile => {
    const absPath = path.join(tmp.dir, name);
    writeFileSync(absPath, content);
    utimesSync(absPath, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const stat = statSync(absPath);
    return { relPath: name, absPath, size: stat.size, mtimeMs: stat.mtimeMs };
  };
  beforeEach(() => (tmp = tempDir('link-sync-hash-')));
  afterEach(() => tmp.cleanup());

  it('hashes a file larger than one read chunk', async () => {
    const content = Buffer.alloc(700 * 1024, 7);
    assert.equal(await hashSourceFile(sourceFile('big.gcode', content)), sha(content));
  });

  it('hashes an empty file', async () => {
    assert.equal(await hashSourceFile(sourceFile('empty.gcode', '')), sha(''));
  });

  it('gives no hash for a file that changed since the scan or vanished', async () => {
    const file = sourceFile('a.gcode', 'G28\n');
    writeFileSync(file.absPath, 'G28\nG1\n');
    assert.equal(await hashSourceFile(file), undefined);
    const touched = sourceFile('b.gcode', 'G28\n');
    utimesSync(touched.absPath, 1000, 1000);
    assert.equal(await hashSourceFile(touched), undefined);
    assert.equal(await hashSourceFile({ ...touched, absPath: path.join(tmp.dir, 'missing.gcode') }), undefined);
  });

  it('reads each file once however many printers ask', async () => {
    const cache = new HashCache();
    const a = sourceFile('a.gcode', 'A');
    const b = sourceFile('b.gcode', 'B');
    const [first, second] = await Promise.all([cache.getAll([a, b]), cache.getAll([a, b])]);
    assert.deepEqual(
      first,
      new Map([
        ['a.gcode', sha('A')],
        ['b.gcode', sha('B')],
      ]),
    );
    assert.deepEqual(second, first);
    assert.equal(cache.filesRead, 2);
  });

  it('hashes an upload body as it is read, again on each reopening', async () => {
    let opened = 0;
    const body = hashingBody({
      size: 6,
      open: () => {
        opened++;
        return Readable.from([Buffer.from('abc'), Buffer.from(opened === 1 ? 'def' : 'xyz')]);
      },
    });
    assert.equal(body.sha256(), undefined);
    assert.equal((await drain(body.open())).toString(), 'abcdef');
    assert.equal(body.sha256(), sha('abcdef'));
    assert.equal((await drain(body.open())).toString(), 'abcxyz');
    assert.equal(body.sha256(), sha('abcxyz'));
  });

  it('has the hash once the announced bytes went through, before the stream ends', async () => {
    const body = hashingBody({ size: 3, open: () => Readable.from([Buffer.from('abc')]) });
    const stream = body.open();
    await new Promise<void>((resolve) => stream.once('data', () => resolve()));
    assert.equal(body.sha256(), sha('abc'));
  });

  it('claims no hash for a body longer than announced', async () => {
    const body = hashingBody({ size: 2, open: () => Readable.from([Buffer.from('ab'), Buffer.from('c')]) });
    await drain(body.open());
    assert.equal(body.sha256(), undefined);
  });

  it('passes a read error on and keeps no hash', async () => {
    const body = hashingBody({
      size: 3,
      open: () =>
        new Readable({
          read() {
            this.destroy(new Error('disk gone'));
          },
        }),
    });
    await assert.rejects(drain(body.open()), /disk gone/);
    assert.equal(body.sha256(), undefined);
  });

  it('hashes a file body read into reused buffers, again on each reopening', async () => {
    const file = sourceFile('reader.gcode', 'G28\nG1 X10\nM84\n');
    const body = hashingBody(fileBody(file));
    assert.ok(body.openReader, 'a file body offers a reader, and the hashing body keeps it');
    assert.equal((await drainReader(body.openReader())).toString(), 'G28\nG1 X10\nM84\n');
    assert.equal(body.sha256(), sha('G28\nG1 X10\nM84\n'));
    assert.equal((await drainReader(body.openReader(), 3)).toString(), 'G28\nG1 X10\nM84\n');
    assert.equal(body.sha256(), sha('G28\nG1 X10\nM84\n'));
  });

  it('hashes an empty file body read through a reader', async () => {
    const body = hashingBody(fileBody(sourceFile('empty-reader.gcode', '')));
    assert.equal((await drainReader(body.openReader!())).length, 0);
    assert.equal(body.sha256(), sha(''));
  });

  it('claims no hash when the file grew past its announced size while read', async () => {
    const file = sourceFile('grow.gcode', 'abcdef');
    const body = hashingBody(fileBody(file));
    const reader = body.openReader!();
    writeFileSync(file.absPath, 'abcdefghijkl');
    // The read that reaches the announced size finds the file changed, and hands nothing over.
    await assert.rejects(drainReader(reader), /grow\.gcode changed in the source folder during the sync/);
    assert.equal(body.sha256(), undefined);
  });

  it('refuses the last bytes of a file rewritten in place while read (same size, new content)', async () => {
    const file = oldFile('rewrite.gcode', 'a'.repeat(20));
    const reader = fileBody(file).openReader!();
    const into = Buffer.alloc(5);
    assert.equal(await reader.read(into), 5, 'the first bytes are read as usual');
    writeFileSync(file.absPath, 'b'.repeat(20));
    const read = async (): Promise<number> => reader.read(into);
    assert.equal(await read(), 5);
    assert.equal(await read(), 5);
    await assert.rejects(read(), /rewrite\.gcode changed in the source folder during the sync/);
    reader.close();
  });

  it('streams (the legacy upload) refuse a file rewritten while read, too', async () => {
    const file = oldFile('stream.gcode', 'a'.repeat(200_000));
    const stream = fileBody(file).open();
    const chunks: Buffer[] = [];
    const done = (async () => {
      for await (const chunk of stream) {
        chunks.push(chunk as Buffer);
        if (chunks.length === 1) writeFileSync(file.absPath, 'b'.repeat(200_000));
      }
    })();
    await assert.rejects(done, /stream\.gcode changed in the source folder during the sync/);
    assert.ok(Buffer.concat(chunks).length < 200_000, 'the last bytes were never handed over');
  });

  it('an unchanged file streams whole', async () => {
    const file = sourceFile('whole.gcode', 'x'.repeat(150_000));
    const chunks: Buffer[] = [];
    for await (const chunk of fileBody(file).open()) chunks.push(chunk as Buffer);
    assert.equal(Buffer.concat(chunks).toString(), 'x'.repeat(150_000));
  });

  it('says a file removed since the scan vanished, and opens nothing', () => {
    const file = sourceFile('gone.gcode', 'abc');
    rmSync(file.absPath);
    assert.throws(() => fileBody(file).openReader!(), /gone\.gcode vanished from the source folder during the sync/);
  });

  it('refuses to open a reader on a file that changed since the scan', () => {
    const file = sourceFile('changed.gcode', 'abc');
    writeFileSync(file.absPath, 'abcd');
    assert.throws(() => fileBody(file).openReader!(), /changed\.gcode changed in the source folder/);
  });
});
