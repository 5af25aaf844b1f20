// What `npm pack` ships, and that every runtime dependency runs on the Node.js versions package.json promises.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const T = { timeout: 60_000 };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  exports: Record<string, unknown>;
  license: string;
};

/** The lowest major version a `>=N`, `>= N.x`, `^N` or `N || ...` range admits (its first alternative). */
function lowestMajor(range: string): number {
  const m = /^\s*(?:>=|\^|~)?\s*(\d+)/.exec(range.split('||')[0] ?? '');
  if (!m?.[1]) throw new Error(`cannot read the node range ${JSON.stringify(range)}`);
  return Number(m[1]);
}

test('every runtime dependency accepts the oldest Node.js in engines', T, () => {
  const ours = lowestMajor(pkg.engines.node);
  assert.equal(ours, 20);
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; engines?: { node?: string } }>;
  };
  const runtime = Object.entries(lock.packages).filter(([where, p]) => where !== '' && p.dev !== true);
  assert.ok(runtime.length > 0, 'the lockfile lists runtime dependencies');
  for (const [where, p] of runtime) {
    const node = p.engines?.node;
    if (node !== undefined) assert.ok(lowestMajor(node) <= ours, `${where} needs node ${node}`);
  }
});

test('the package ships the library, schemas, README, LICENSE and CHANGELOG, and no tests, bench or source maps', T, () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = spawnSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 50_000 });
  assert.equal(out.status, 0, out.stderr);
  const files = (JSON.parse(out.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const needed of [
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'package.json',
    'dist/src/index.js',
    'dist/src/index.d.ts',
    'dist/src/bin.js',
  ]) {
    assert.ok(files.includes(needed), `${needed} is shipped`);
  }
  assert.ok(files.includes('dist/src/simulator/index.js'), 'the simulator entry is shipped');
  assert.ok(
    files.some((f) => f.startsWith('schema/')),
    'the schemas are shipped',
  );
  assert.deepEqual(
    files.filter((f) => f.endsWith('.map')),
    [],
    'no source map points at a .ts file that is not shipped',
  );
  assert.deepEqual(
    files.filter((f) => /^(dist\/(test|bench)|src|test|bench)\//.test(f)),
    [],
    'no tests, bench or TypeScript sources',
  );
  assert.deepEqual(
    files.filter((f) => /^docs\/(decisions|performance|reliability|architecture)\.md$/.test(f)),
    [],
    'no notes for developers',
  );
});

test('license file and package.json agree, and the simulator is a subpath export', T, () => {
  assert.equal(pkg.license, 'MIT');
  assert.match(readFileSync(path.join(root, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) \d{4} link-sync contributors\n/);
  assert.deepEqual(pkg.exports['./simulator'], { types: './dist/src/simulator/index.d.ts', default: './dist/src/simulator/index.js' });
});
