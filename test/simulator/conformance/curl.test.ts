// Stock `curl --digest` can list, upload, overwrite and delete on a simulated Buddy: the simulator speaks digest as real clients do.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { asRecord, childrenOf, optionsFor, tempDir, withPrinter } from './fixtures.js';

const hasCurl = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;

interface CurlResult {
  status: number;
  body: string;
}

/**
 * Runs curl against 127.0.0.1 only (proxies disabled) and returns the HTTP status and body. An upload
 * still says `Expect: 100-continue`; neither firmware nor the simulator answers it, so curl's wait for
 * the 100 is cut from 1 s to 50 ms.
 */
function curl(args: string[]): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'curl',
      ['-sS', '--noproxy', '*', '--max-time', '20', '--expect100-timeout', '0.05', '-w', '\n%{http_code}', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`curl exited ${String(code)}: ${err}`));
      const cut = out.lastIndexOf('\n');
      resolve({ status: Number(out.slice(cut + 1)), body: out.slice(0, cut) });
    });
  });
}

test('curl --digest lists, uploads, overwrites and deletes on a Buddy', {
  timeout: 60_000,
  skip: hasCurl ? false : 'curl is not installed',
}, async () => {
  const tmp = tempDir('conformance-curl');
  try {
    await withPrinter(optionsFor('buddy'), async (printer) => {
      const base = printer.url.replace('localhost', '127.0.0.1');
      assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
      const auth = ['--digest', '-u', `maker:${printer.credentials.password}`];
      printer.seed('existing.gcode', 'G28\n');

      const list = await curl([...auth, '-H', 'Accept: application/json', `${base}/api/v1/files/usb`]);
      assert.equal(list.status, 200, list.body);
      assert.deepEqual(
        childrenOf(JSON.parse(list.body)).map((c) => c.display_name),
        ['existing.gcode'],
      );

      const file = path.join(tmp.dir, 'cube.gcode');
      writeFileSync(file, 'G28\nG1 X10\n');
      const up = await curl([...auth, '-T', file, '-H', 'Content-Type: text/x.gcode', `${base}/api/v1/files/usb/parts/cube.gcode`]);
      assert.equal(up.status, 201, up.body);
      assert.equal(printer.readFile('parts/cube.gcode')?.toString(), 'G28\nG1 X10\n');

      writeFileSync(file, 'G28\nG1 X20 Y20\n');
      const refused = await curl([...auth, '-T', file, `${base}/api/v1/files/usb/parts/cube.gcode`]);
      assert.equal(refused.status, 409, refused.body);
      const over = await curl([...auth, '-T', file, '-H', 'Overwrite: ?1', `${base}/api/v1/files/usb/parts/cube.gcode`]);
      assert.equal(over.status, 201, over.body);
      assert.equal(asRecord(JSON.parse(over.body)).size, Buffer.byteLength('G28\nG1 X20 Y20\n'));
      assert.equal(printer.readFile('parts/cube.gcode')?.toString(), 'G28\nG1 X20 Y20\n');

      const del = await curl([...auth, '-X', 'DELETE', `${base}/api/v1/files/usb/parts/cube.gcode`]);
      assert.equal(del.status, 204, del.body);
      assert.equal(
        printer.files().some((f) => f.path === 'parts/cube.gcode'),
        false,
      );

      const wrong = await curl(['--digest', '-u', 'maker:wrong', `${base}/api/v1/files/usb`]);
      assert.equal(wrong.status, 401);
    });
  } finally {
    tmp.cleanup();
  }
});
