// Runs the compiled test files (dist/**/*.test.js) under node:test; helper modules beside them are not run as tests.
// Usage: node scripts/test.mjs [folder or file ...]   (default: dist/test)

import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function testFiles(target) {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target, { recursive: true })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(target, name))
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
