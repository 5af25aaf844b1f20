// docs/simulator.md carries the same deviation table as deviations.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './openapi.js';
import { renderDeviationsMarkdown } from './deviations-table.js';

test('docs/simulator.md shows the deviation table rendered from deviations.ts', { timeout: 5000 }, () => {
  const doc = readFileSync(path.join(repoRoot(), 'docs', 'simulator.md'), 'utf8');
  assert.ok(
    doc.includes(renderDeviationsMarkdown()),
    'docs/simulator.md is out of date: replace the block between the deviations markers with renderDeviationsMarkdown() from test/simulator/conformance/deviations-table.ts',
  );
});
