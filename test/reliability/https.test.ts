// https:// printers: a self-signed certificate is refused with a hint, and accepted with
// --allow-self-signed. The simulator speaks plain HTTP, so a TLS relay made at test time fronts it.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Socket, type Server } from 'node:net';
import path from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { startFarm, type SimFarm, type SimPrinter } from '../../src/simulator/index.js';
import { runCli } from '../helpers/cli.js';
import { configYaml, gcode, tempDir, writeTree } from '../helpers/fixtures.js';

function findOpenssl(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'openssl is not installed, so no certificate can be made for the https test';
  }
}
const skip = findOpenssl();

/** Terminates TLS with the given certificate and relays the bytes to a plain-HTTP port. */
async function tlsRelay(key: Buffer, cert: Buffer, targetPort: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createTlsServer({ key, cert }, (secure) => {
    const plain = new Socket();
    for (const s of [secure, plain]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        secure.destroy();
        plain.destroy();
      });
    }
    plain.connect(targetPort, '127.0.0.1', () => {
      secure.pipe(plain);
      plain.pipe(secure);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('https printers', { timeout: 60_000, skip }, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  let relay: { port: number; close: () => Promise<void> };
  let config: string;
  let master: string;
  let printer: SimPrinter;

  before(async () => {
    work = tempDir('link-sync-https-');
    const key = path.join(work.dir, 'key.pem');
    const cert = path.join(work.dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'],
      { stdio: 'ignore' },
    );
    farm = await startFarm([{ name: 'secure-mk4', model: 'MK4', password: 'tls-secret-Pa55word' }]);
    printer = farm.printers[0]!;
    relay = await tlsRelay(readFileSync(key), readFileSync(cert), printer.port);
    master = path.join(work.dir, 'master');
    writeTree(master, { 'benchy.gcode': gcode('benchy', 5_000) });
    config = path.join(work.dir, 'printers.yml');
    writeFileSync(config, configYaml(farm.printers).replace(printer.url, `https://127.0.0.1:${relay.port}`), { mode: 0o600 });
  });
  after(async () => {
    await relay?.close();
    await farm?.close();
    work?.cleanup();
  });

  const run = (...extra: string[]) =>
    runCli(['-c', config, '-s', master, '--go', '--retry-delay', '0.01', ...extra], {
      cwd: work.dir,
      env: { XDG_STATE_HOME: path.join(work.dir, 'state') },
    });

  test('refuses a self-signed certificate, saying which option accepts it (exit 3)', async () => {
    const out = await run();
    assert.equal(out.code, 3, out.stderr);
    assert.match(
      out.stderr,
      /secure-mk4: UNREACHABLE: (printer secure-mk4: )?TLS failed for https:\/\/127\.0\.0\.1:\d+ \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
    assert.match(out.stderr, /run with --allow-self-signed/);
    assert.deepEqual(printer.requests(), [], 'nothing reached the printer');
  });

  test('syncs over https with --allow-self-signed', async () => {
    const out = await run('--allow-self-signed');
    assert.equal(out.code, 0, out.stderr);
    assert.equal(printer.readFile('benchy.gcode')?.toString(), gcode('benchy', 5_000));
    assert.doesNotMatch(out.stdout + out.stderr, /tls-secret-Pa55word/);
  });
});
