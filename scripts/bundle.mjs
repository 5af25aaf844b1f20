// Bundles the command line into dist/cli/ (link-sync.mjs and lazily loaded chunks), so a run starts
// from a few files instead of about a hundred modules: `node scripts/bundle.mjs [OUTDIR]`.
// The library (dist/src, from tsc) stays unbundled; see docs/decisions.md for the trade-off.

import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes the bundle to `outdir` (default dist/cli); resolves the entry file's path. */
export async function bundleCli(outdir = join(root, 'dist/cli')) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  // Chunk names carry a content hash: without this, every build would leave the last one's chunks behind.
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  await build({
    entryPoints: { 'link-sync': join(root, 'src/bin.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The simulator, the demo and the live view stay in chunks of their own, loaded only when used.
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: true,
    logLevel: 'warning',
    // Bundled CommonJS dependencies (yaml, commander) call require() for Node's own modules.
    banner: { js: "import { createRequire as __linkSyncRequire } from 'node:module'; const require = __linkSyncRequire(import.meta.url);" },
    // The bundle lives away from package.json: the version is written in.
    define: { LINK_SYNC_BUNDLED_VERSION: JSON.stringify(version) },
  });
  return join(outdir, 'link-sync.mjs');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleCli(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
