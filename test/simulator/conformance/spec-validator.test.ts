// The validator itself: the reference doc's sample bodies pass, and each point it relaxes stays as narrow as deviations.ts says.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SPEC_DIR_ENV, SpecValidator, spec, specPath, specSkipReason } from './openapi.js';
import { DEVIATIONS, type Endpoint, type Personality } from './deviations.js';

const T = { timeout: 10_000 };
/** The tests that read the spec itself; skipped with the reason when it is not found. */
const S = { ...T, skip: specSkipReason() ?? false };

function load(): SpecValidator {
  return spec();
}

const buddyFolder = {
  type: 'FOLDER',
  ro: false,
  m_timestamp: 1717400000,
  name: 'PARTS',
  children: [
    {
      name: 'BENCHY~1.BGC',
      ro: false,
      type: 'PRINT_FILE',
      m_timestamp: 1717419830,
      refs: { icon: '/thumb/s/usb/PARTS/BENCHY~1.BGC', thumbnail: '/thumb/l/usb/PARTS/BENCHY~1.BGC', download: '/usb/PARTS/BENCHY~1.BGC' },
      display_name: 'benchy_0.4n_0.2mm_PLA_MK4S_45m.bgcode',
    },
    { name: 'JIGS', ro: false, type: 'FOLDER', m_timestamp: 1717300000, display_name: 'jigs' },
  ],
};
const piFolder = {
  type: 'FOLDER',
  name: 'parts',
  read_only: false,
  m_timestamp: 1717400000,
  size: 1843211,
  display_name: 'parts',
  children: [
    {
      type: 'PRINT_FILE',
      name: 'benchy.gcode',
      read_only: false,
      m_timestamp: 1717419830,
      size: 1843211,
      display_name: 'benchy.gcode',
      refs: { download: '/api/files/local/benchy.gcode/raw', icon: null, thumbnail: null },
    },
  ],
};

const PASSING: { name: string; endpoint: Endpoint; personality: Personality; body: unknown }[] = [
  {
    name: 'Buddy version',
    endpoint: 'GET /api/version',
    personality: 'buddy',
    body: {
      api: '2.0.0',
      server: '2.1.2',
      nozzle_diameter: 0.4,
      text: 'PrusaLink',
      hostname: 'mk4-bay3',
      capabilities: { 'upload-by-put': true },
    },
  },
  {
    name: 'Pi version',
    endpoint: 'GET /api/version',
    personality: 'pi',
    body: {
      api: '2.0.0',
      server: '0.8.1',
      original: 'PrusaLink I3MK3S',
      text: 'PrusaLink 0.8.1',
      firmware: '3.14.1-8237',
      sdk: '0.8.1',
      capabilities: { 'upload-by-put': true },
      hostname: 'prusalink',
    },
  },
  {
    name: 'Buddy storage',
    endpoint: 'GET /api/v1/storage',
    personality: 'buddy',
    body: { storage_list: [{ path: '/usb/', name: 'usb', type: 'USB', read_only: false, available: true }] },
  },
  {
    name: 'Pi storage',
    endpoint: 'GET /api/v1/storage',
    personality: 'pi',
    body: {
      storage_list: [
        {
          type: 'LOCAL',
          path: '/local',
          available: true,
          free_space: 5120000000,
          total_space: 15000000000,
          read_only: false,
          name: 'PrusaLink gcodes',
          print_files: 123456,
          system_files: 0,
        },
        { type: 'SDCARD', path: '/sdcard', available: false },
      ],
    },
  },
  { name: 'Buddy folder', endpoint: 'GET /api/v1/files/{storage}/{path}', personality: 'buddy', body: buddyFolder },
  {
    name: 'Buddy root without m_timestamp',
    endpoint: 'GET /api/v1/files/{storage}',
    personality: 'buddy',
    body: { ...buddyFolder, m_timestamp: undefined, name: 'usb' },
  },
  { name: 'Pi folder with null refs', endpoint: 'GET /api/v1/files/{storage}/{path}', personality: 'pi', body: piFolder },
  {
    name: 'Buddy single file',
    endpoint: 'GET /api/v1/files/{storage}/{path}',
    personality: 'buddy',
    body: { ...buddyFolder.children[0], size: 1843211 },
  },
  {
    name: 'Buddy status with one storage object and transferred',
    endpoint: 'GET /api/v1/status',
    personality: 'buddy',
    body: {
      printer: { state: 'IDLE' },
      storage: { path: '/usb/', name: 'usb', read_only: false },
      transfer: { id: 3, time_transferring: 1, progress: 5, transferred: 100 },
    },
  },
  {
    name: 'Pi status with a storage array',
    endpoint: 'GET /api/v1/status',
    personality: 'pi',
    body: { printer: { state: 'READY' }, storage: [{ path: '/local', name: 'PrusaLink gcodes', read_only: false }] },
  },
  {
    name: 'Buddy error',
    endpoint: 'error body (JSON)',
    personality: 'buddy',
    body: { title: '409: Conflict', message: 'File already exists' },
  },
];

const FAILING: { name: string; endpoint: Endpoint; personality: Personality; body: unknown; mentions: string }[] = [
  {
    name: 'Pi version without firmware',
    endpoint: 'GET /api/version',
    personality: 'pi',
    body: { api: '2.0.0', text: 'PrusaLink 0.8.1' },
    mentions: 'firmware',
  },
  { name: 'Buddy version without api', endpoint: 'GET /api/version', personality: 'buddy', body: { text: 'PrusaLink' }, mentions: 'api' },
  {
    name: 'Buddy folder with read_only instead of ro',
    endpoint: 'GET /api/v1/files/{storage}/{path}',
    personality: 'buddy',
    body: { ...buddyFolder, ro: undefined, read_only: false },
    mentions: 'ro',
  },
  {
    name: 'Pi folder with ro instead of read_only',
    endpoint: 'GET /api/v1/files/{storage}/{path}',
    personality: 'pi',
    body: { ...piFolder, read_only: undefined, ro: false },
    mentions: 'read_only',
  },
  {
    name: 'Buddy sub-folder without m_timestamp',
    endpoint: 'GET /api/v1/files/{storage}/{path}',
    personality: 'buddy',
    body: { ...buddyFolder, m_timestamp: undefined },
    mentions: 'm_timestamp',
  },
  {
    name: 'Buddy root whose child folder lacks m_timestamp',
    endpoint: 'GET /api/v1/files/{storage}',
    personality: 'buddy',
    body: { ...buddyFolder, m_timestamp: undefined, children: [{ name: 'JIGS', ro: false, type: 'FOLDER' }] },
    mentions: 'm_timestamp',
  },
  {
    name: 'Pi root without m_timestamp',
    endpoint: 'GET /api/v1/files/{storage}',
    personality: 'pi',
    body: { ...piFolder, m_timestamp: undefined },
    mentions: 'm_timestamp',
  },
  {
    name: 'Buddy refs with null icon',
    endpoint: 'GET /api/v1/files/{storage}/{path}',
    personality: 'buddy',
    body: { ...buddyFolder.children[0], refs: { icon: null } },
    mentions: 'string',
  },
  {
    name: 'Buddy storage as an array',
    endpoint: 'GET /api/v1/status',
    personality: 'buddy',
    body: { printer: { state: 'IDLE' }, storage: [] },
    mentions: 'object',
  },
  {
    name: 'Pi storage as one object',
    endpoint: 'GET /api/v1/status',
    personality: 'pi',
    body: { printer: { state: 'IDLE' }, storage: { path: '/local', name: 'x', read_only: false } },
    mentions: 'array',
  },
  {
    name: 'Pi state UNKNOWN',
    endpoint: 'GET /api/v1/status',
    personality: 'pi',
    body: { printer: { state: 'UNKNOWN' } },
    mentions: 'allowed',
  },
  {
    name: 'Pi listing with a string size',
    endpoint: 'GET /api/v1/files/{storage}/{path}',
    personality: 'pi',
    body: { ...piFolder, children: [{ ...piFolder.children[0], size: '12' }] },
    mentions: 'integer',
  },
  {
    name: 'error body with text instead of message',
    endpoint: 'error body (JSON)',
    personality: 'pi',
    body: { title: 'x', text: 'y' },
    mentions: 'message',
  },
];

test('the OpenAPI spec is found where LINK_SYNC_OPENAPI_DIR or ../shared/spec says', S, () => {
  assert.doesNotThrow(() => load(), `the conformance suite reads ${specPath().file}`);
});

test('a spec folder named by LINK_SYNC_OPENAPI_DIR is required, ../shared/spec is optional', T, () => {
  const saved = process.env[SPEC_DIR_ENV];
  try {
    process.env[SPEC_DIR_ENV] = '/nonexistent/spec';
    assert.deepEqual(specPath(), { file: '/nonexistent/spec/openapi.yaml', required: true });
    assert.equal(specSkipReason(), undefined, 'a named folder that lacks the spec must fail, not skip');
    delete process.env[SPEC_DIR_ENV];
    assert.equal(specPath().required, false);
    assert.match(specPath().file, /[\\/]shared[\\/]spec[\\/]openapi\.yaml$/);
  } finally {
    if (saved === undefined) delete process.env[SPEC_DIR_ENV];
    else process.env[SPEC_DIR_ENV] = saved;
  }
});

test('a missing spec fails with a message that names where it was looked for', T, () => {
  assert.throws(
    () => SpecValidator.load('/nonexistent/shared/spec/openapi.yaml'),
    /OpenAPI spec not found at \/nonexistent\/shared\/spec\/openapi\.yaml/,
  );
});

test('every relaxation in deviations.ts points at something that exists in the spec', S, () => {
  const v = load();
  for (const d of DEVIATIONS) {
    for (const endpoint of d.endpoints) {
      if (endpoint.startsWith('HEAD') || endpoint.startsWith('PUT') || endpoint.startsWith('DELETE') || endpoint === 'authentication')
        continue;
      for (const p of d.personalities) assert.doesNotThrow(() => v.validate(endpoint, p, {}), `${d.id} on ${endpoint} (${p})`);
    }
  }
});

test('deviation ids are unique and every row names its source section', T, () => {
  const ids = DEVIATIONS.map((d) => d.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const d of DEVIATIONS) assert.match(d.source, /^§\d+/, d.id);
});

for (const c of PASSING) {
  test(`accepts the reference doc's ${c.name}`, S, () => {
    const verdict = load().validate(c.endpoint, c.personality, JSON.parse(JSON.stringify(c.body)));
    assert.deepEqual(verdict.errors, []);
  });
}

for (const c of FAILING) {
  test(`rejects ${c.name}`, S, () => {
    const verdict = load().validate(c.endpoint, c.personality, JSON.parse(JSON.stringify(c.body)));
    assert.equal(verdict.ok, false);
    assert.ok(
      verdict.errors.some((e) => e.includes(c.mentions)),
      verdict.errors.join('\n'),
    );
  });
}

test('HEAD headers: Buddy Currently-Printing, Pi Python booleans, nothing else', S, () => {
  const v = load();
  assert.deepEqual(v.validateHeadHeaders('buddy', { 'read-only': 'false', 'currently-printing': 'true' }).errors, []);
  assert.deepEqual(v.validateHeadHeaders('pi', { 'read-only': 'False', 'currently-printed': 'True' }).errors, []);
  assert.equal(v.validateHeadHeaders('buddy', { 'read-only': 'false', 'currently-printed': 'true' }).ok, false);
  assert.equal(v.validateHeadHeaders('buddy', { 'read-only': 'False', 'currently-printing': 'true' }).ok, false);
  assert.equal(v.validateHeadHeaders('pi', { 'read-only': 'False', 'currently-printing': 'True' }).ok, false);
});
