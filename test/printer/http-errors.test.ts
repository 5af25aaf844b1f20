// Status codes and printer error bodies → PrinterError kinds and messages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorText, kindForStatus, socketError, statusError } from '../../src/printer/http-errors.js';

const T = { timeout: 5_000 };

test('maps each status to what the caller should do', T, () => {
  const rows: Array<[number, string, string]> = [
    [401, '', 'auth'],
    [403, 'Bad X-Api-Key.', 'auth'],
    [404, '', 'not-found'],
    [409, 'Another transfer in progress', 'transfer-busy'],
    [409, 'File already exists', 'file-in-use'],
    [409, 'File is busy', 'file-in-use'],
    [409, 'SD Card Read Only', 'storage'],
    [507, 'USB drive full', 'storage'],
    [413, 'Not enough space in storage.', 'storage'],
    [411, '', 'rejected'],
    [414, '', 'rejected'],
    [415, 'Not a GCODE', 'rejected'],
    [422, '', 'rejected'],
    [431, '', 'rejected'],
    [501, '', 'rejected'],
    [400, '', 'http'],
    [500, '', 'http'],
    [503, '', 'http'],
  ];
  for (const [status, text, kind] of rows) assert.equal(kindForStatus(status, text), kind, `${status} ${text}`);
});

test('extracts the printer message from JSON and text error bodies', T, () => {
  const rows: Array<[string, string | undefined, string]> = [
    ['{"title": "409: Conflict","message":"File already exists"}', 'application/json', 'File already exists'],
    ['409: Conflict\n\nFile already exists\n', 'text/plain', 'File already exists'],
    ['{"title":"File Already Exists","message":"File already exists.","url":"http://x/error"}', 'application/json', 'File already exists.'],
    ['File Already Exists\nFile already exists.\n', 'text/plain', 'File already exists.'],
    ['Bad X-Api-Key.', 'text/plain', 'Bad X-Api-Key.'],
    ['<html><body>401 Unauthorized</body></html>', 'text/html', ''],
    ['', undefined, ''],
    ['{"title":"Only a title"}', 'application/json', 'Only a title'],
  ];
  for (const [body, type, text] of rows) assert.equal(errorText(Buffer.from(body), type), text, body);
  assert.ok(errorText(Buffer.from('x'.repeat(1000)), 'text/plain').length <= 200, 'long bodies are clipped');
});

test('names the printer, the action, the status and the printer text in the message', T, () => {
  const err = statusError('mk4-1', 'upload of parts/a.gcode', 409, 'File already exists');
  assert.equal(err.message, 'printer mk4-1: upload of parts/a.gcode refused: 409 File already exists');
  assert.equal(err.kind, 'file-in-use');
  assert.equal(err.status, 409);
  assert.equal(err.printer, 'mk4-1');
  assert.ok(err.hint);
  assert.equal(statusError('p', 'listing of usb', 500, '').message, 'printer p: listing of usb refused: 500');
});

test('classifies socket failures as unreachable and parser failures as protocol', T, () => {
  const refused = socketError('p', 'reading /api/version', 'http://127.0.0.1:9', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }));
  assert.equal(refused.kind, 'unreachable');
  assert.match(refused.message, /ECONNREFUSED/);
  const garbage = socketError('p', 'x', 'http://h', Object.assign(new Error('x'), { code: 'HPE_INVALID_CONSTANT' }));
  assert.equal(garbage.kind, 'protocol');
  const tls = socketError('p', 'x', 'https://h', Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }));
  assert.equal(tls.kind, 'unreachable');
  assert.match(tls.hint ?? '', /self-signed/);
});
