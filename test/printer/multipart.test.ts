// The multipart/form-data envelope: exact length known up front, progress in file bytes, names
// quoted as browsers do, and read back whole by the simulator's streaming reader at any chunking.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { UploadBody } from '../../src/printer/api.js';
import { multipartBody, quoteFormName } from '../../src/printer/multipart.js';
import { MultipartReader, boundaryOf } from '../../src/simulator/legacy/multipart.js';

const T = { timeout: 10_000 };

function memoryBody(content: Buffer, chunk = 7): UploadBody & { opened: number } {
  const b = {
    size: content.length,
    opened: 0,
    open(): Readable {
      b.opened++;
      const parts: Buffer[] = [];
      for (let i = 0; i < content.length; i += chunk) parts.push(content.subarray(i, i + chunk));
      return Readable.from(parts);
    },
  };
  return b;
}

async function readAll(body: UploadBody): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body.open()) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('announces exactly as many bytes as it sends', T, async () => {
  const file = Buffer.from('G28\nG1 X1 ; ünï\n'.repeat(50));
  const form = multipartBody(
    [
      { name: 'path', value: '/a b/ç' },
      { name: 'print', value: 'false' },
    ],
    { field: 'file', filename: 'x+y ü.gcode', contentType: 'application/octet-stream', body: memoryBody(file) },
    'BOUNDARY42',
  );
  const bytes = await readAll(form.body);
  assert.equal(bytes.length, form.body.size);
  assert.equal(form.contentType, 'multipart/form-data; boundary=BOUNDARY42');
  assert.ok(bytes.toString('utf8').endsWith('\r\n--BOUNDARY42--\r\n'));
});

test("counts progress in the file's own bytes, from 0 to its size", T, () => {
  const form = multipartBody(
    [{ name: 'print', value: 'false' }],
    { field: 'file', filename: 'a.gcode', contentType: 'application/octet-stream', body: memoryBody(Buffer.alloc(100)) },
    'B',
  );
  const head = form.body.size - 100 - '\r\n--B--\r\n'.length;
  const table: Array<[number, number]> = [
    [0, 0],
    [head, 0],
    [head + 1, 1],
    [head + 100, 100],
    [form.body.size, 100],
  ];
  for (const [sent, want] of table) assert.equal(form.fileBytes(sent), want, `after ${sent} bytes`);
});

test('opens the file only when the body is read', T, async () => {
  const file = memoryBody(Buffer.from('G1\n'));
  const form = multipartBody([], { field: 'file', filename: 'a.gcode', contentType: 'application/octet-stream', body: file });
  const stream = form.body.open();
  assert.equal(file.opened, 0);
  stream.destroy();
  await readAll(form.body);
  assert.equal(file.opened, 1);
});

test('quotes names as browsers do', T, () => {
  const table: Array<[string, string]> = [
    ['plain.gcode', '"plain.gcode"'],
    ['say "hi".gcode', '"say %22hi%22.gcode"'],
    ['line\r\nbreak', '"line%0D%0Abreak"'],
    ['ünï cödé+.gcode', '"ünï cödé+.gcode"'],
  ];
  for (const [name, quoted] of table) assert.equal(quoteFormName(name), quoted);
});

test('reads back fields and file bytes whatever the chunk boundaries', T, async () => {
  // Near misses only: a boundary may not occur in the content itself (RFC 2046).
  const file = Buffer.from('\r\n--BOUNDAR not a boundary --BOUNDARY nor this\r\n-\r\n--'.repeat(3));
  const form = multipartBody(
    [
      { name: 'path', value: '/parts/ü' },
      { name: 'select', value: 'false' },
    ],
    { field: 'file', filename: 'x+y ünï; a=b.gcode', contentType: 'application/octet-stream', body: memoryBody(file) },
    'BOUNDARY',
  );
  const bytes = await readAll(form.body);
  assert.equal(boundaryOf(form.contentType), 'BOUNDARY');
  for (const size of [1, 2, 3, 5, 11, 64, bytes.length]) {
    const got: Buffer[] = [];
    let filename: string | undefined;
    const reader = new MultipartReader('BOUNDARY', {
      onFile: (head) => {
        filename = head.filename;
        return true;
      },
      onFileData: (chunk) => {
        got.push(Buffer.from(chunk));
        return true;
      },
    });
    for (let i = 0; i < bytes.length; i += size) assert.notEqual(reader.write(bytes.subarray(i, i + size)), 'stop');
    assert.equal(reader.complete, true, `chunks of ${size}`);
    assert.equal(filename, 'x+y ünï; a=b.gcode');
    assert.deepEqual(Buffer.concat(got), file, `file bytes with chunks of ${size}`);
    assert.deepEqual(Object.fromEntries(reader.fields), { path: '/parts/ü', select: 'false' });
  }
});
