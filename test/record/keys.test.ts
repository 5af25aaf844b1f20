// Naming records: printer keys, safe file names, file keys folded like the printer, default folder.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isUnderRoot, printerKey, recordFileName, recordKey } from '../../src/record/keys.js';
import { defaultStateDir } from '../../src/record/paths.js';
import { StateError } from '../../src/errors.js';

describe('record names', { timeout: 5000 }, () => {
  it('keys a printer by its serial, falling back to its host', () => {
    assert.equal(printerKey('CZPX4720X004XC78534', 'http://10.0.0.5'), 'serial:CZPX4720X004XC78534');
    assert.equal(printerKey(undefined, 'http://MK4.local/'), 'host:http://mk4.local');
    assert.equal(printerKey('  ', 'http://10.0.0.5:8080'), 'host:http://10.0.0.5:8080');
  });

  const names: Array<[string, RegExp]> = [
    ['serial:CZPX4720X004XC78534', /^serial-CZPX4720X004XC78534-[0-9a-f]{16}\.json$/],
    ['host:http://10.0.0.5:8080', /^host-10.0.0.5_8080-[0-9a-f]{16}\.json$/],
    ['host:http://[fd00::3]', /^host-_fd00_3-[0-9a-f]{16}\.json$/],
    ['serial:../../etc/passwd', /^serial-.._.._etc_passwd-[0-9a-f]{16}\.json$/],
    [`serial:${'X'.repeat(300)}`, /^serial-X{41}-[0-9a-f]{16}\.json$/],
  ];
  for (const [key, pattern] of names) {
    it(`names the record of ${key.slice(0, 40)} safely`, () => {
      const name = recordFileName(key);
      assert.match(name, pattern);
      assert.doesNotMatch(name, /[/\\:*?"<>|]/);
    });
  }

  it('gives keys that differ only in case their own files', () => {
    assert.notEqual(recordFileName('serial:abc'), recordFileName('serial:ABC'));
  });

  it('folds file keys on a printer that ignores case, and only there', () => {
    assert.equal(recordKey('Farm', 'Parts/Benchy.gcode', { caseInsensitive: true }), 'farm/parts/benchy.gcode');
    assert.equal(recordKey('', 'Parts/Benchy.gcode', { caseInsensitive: false }), 'Parts/Benchy.gcode');
    assert.equal(isUnderRoot('farm/a.gcode', 'Farm', { caseInsensitive: true }), true);
    assert.equal(isUnderRoot('farmhouse/a.gcode', 'farm', { caseInsensitive: true }), false);
    assert.equal(isUnderRoot('anything/a.gcode', '', { caseInsensitive: false }), true);
  });
});

describe('default state folder', { timeout: 5000 }, () => {
  const table: Array<[string, Record<string, string>, NodeJS.Platform, string]> = [
    ['XDG_STATE_HOME when set', { XDG_STATE_HOME: '/xdg/state', HOME: '/home/fred' }, 'linux', '/xdg/state/link-sync'],
    ['~/.local/state without it', { HOME: '/home/fred' }, 'linux', '/home/fred/.local/state/link-sync'],
    [
      '~/.local/state when XDG_STATE_HOME is relative',
      { XDG_STATE_HOME: 'state', HOME: '/home/fred' },
      'linux',
      '/home/fred/.local/state/link-sync',
    ],
    [
      'LOCALAPPDATA on Windows',
      { LOCALAPPDATA: 'C:\\Users\\fred\\AppData\\Local' },
      'win32',
      'C:\\Users\\fred\\AppData\\Local\\link-sync\\state',
    ],
  ];
  for (const [name, env, platform, expected] of table) {
    it(`uses ${name}`, () => assert.equal(defaultStateDir({ env, platform, home: '/unused' }), expected));
  }

  it('asks for --state-dir when no home folder is known', () => {
    assert.throws(
      () => defaultStateDir({ env: {}, home: '', platform: 'linux' }),
      (error: unknown) => error instanceof StateError && /--state-dir/.test(error.hint ?? ''),
    );
  });
});
