// The host a user writes becomes scheme://host[:port], or a message that never repeats credentials.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseHost } from '../../src/config/host.js';

describe('host normalisation', { timeout: 5000 }, () => {
  const good: Array<[input: string, baseUrl: string]> = [
    ['http://192.168.0.1', 'http://192.168.0.1'],
    ['http://192.168.0.1/', 'http://192.168.0.1'],
    ['192.168.0.1', 'http://192.168.0.1'],
    ['  192.168.0.1  ', 'http://192.168.0.1'],
    ['https://mk4.farm.example', 'https://mk4.farm.example'],
    ['HTTPS://MK4.Local/', 'https://mk4.local'],
    ['mk4-bay3', 'http://mk4-bay3'],
    ['mk4-bay3.local', 'http://mk4-bay3.local'],
    ['mk4:8080', 'http://mk4:8080'],
    ['192.168.0.11:8080', 'http://192.168.0.11:8080'],
    ['http://mk4:80', 'http://mk4'],
    ['https://mk4:443/', 'https://mk4'],
    ['https://mk4:8443', 'https://mk4:8443'],
    ['[::1]', 'http://[::1]'],
    ['[::1]:8080', 'http://[::1]:8080'],
    ['http://[FE80::1]:8080/', 'http://[fe80::1]:8080'],
    ['localhost', 'http://localhost'],
  ];
  for (const [input, baseUrl] of good) {
    it(`accepts "${input}" as ${baseUrl}`, () => assert.deepEqual(normaliseHost(input), { ok: true, baseUrl }));
  }

  const bad: Array<[input: string, says: string]> = [
    ['', 'empty'],
    ['htp://x', 'is not a valid URL'],
    ['ftp://mk4', 'scheme "ftp"'],
    ['http:/mk4', 'is not a valid URL'],
    ['http://', 'not a valid URL'],
    ['mk4/api/v1', 'must not contain a path'],
    ['http://mk4/farm/', 'must not contain a path'],
    ['mk4?x=1', 'must not contain a query'],
    ['mk4?', 'must not contain a query'],
    ['mk4#top', 'must not contain a fragment'],
    ['mk4:0', 'port 0'],
    ['mk4:99999', 'port 99999'],
    ['mk4:abc', 'not a valid URL'],
    ['fe80::1', 'IPv6 address without brackets'],
    ['mk 4', 'contains a space'],
    ['mk4\\farm', 'backslash'],
    ['999.1.1.1', 'not a valid URL'],
  ];
  for (const [input, says] of bad) {
    it(`refuses "${input}" saying "${says}"`, () => {
      const result = normaliseHost(input);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.match(result.message, new RegExp(says.replace(/[.?*+()[\]\\]/g, '\\$&')));
        assert.ok(result.hint.length > 0);
      }
    });
  }

  for (const input of ['http://maker:s3cr3t-PASS@mk4', 'maker:s3cr3t-PASS@mk4', 'https://s3cr3t-PASS@mk4:443']) {
    it(`refuses credentials in "${input.replace('s3cr3t-PASS', '***')}" without repeating them`, () => {
      const result = normaliseHost(input);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.match(result.message, /user name or password/);
        assert.doesNotMatch(`${result.message} ${result.hint}`, /s3cr3t|maker/);
      }
    });
  }
});
