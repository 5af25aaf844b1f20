// Runs the compiled test files (dist/**/*.test.js) under node:test; helper modules beside them are not run as tests.
// Usage: node scripts/test.mjs [folder or file ...]   (default: dist/test)

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** dist/test/a/b.test.js is run only while test/a/b.test.ts exists: tsc never deletes the output of a removed or moved test. */
function hasSource(file) {
  const rel = path.relative('dist', file);
  return !rel.startsWith('..') && existsSync(rel.replace(/\.js$/, '.ts'));
}

function testFiles(target) {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { recursive: true })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(target, name))
    .filter(hasSource)
    .sort();
}

const targets = process.argv.slice(2);
const files = (targets.length > 0 ? targets : ['dist/test']).flatMap(testFiles);
if (files.length === 0) {
  console.error(`no *.test.js files under ${targets.join(' ') || 'dist/test'}; run npm run build first`);
  process.exit(1);
}
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=120000', ...files], { stdio: 'inherit' });
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
