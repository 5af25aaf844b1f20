// Include/exclude patterns: which source paths each pattern keeps, and which patterns are refused.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob, pathFilter, type GlobMatcher } from '../../src/source/glob.js';

function matcher(pattern: string): GlobMatcher {
  const compiled = compileGlob(pattern);
  if (!compiled.ok) throw new Error(`${pattern}: ${compiled.message}`);
  return compiled.match;
}

describe('glob patterns', { timeout: 5000 }, () => {
  const table: Array<[pattern: string, path: string, matches: boolean]> = [
    ['*.bgcode', 'benchy.bgcode', true],
    ['*.bgcode', 'parts/deep/clip.bgcode', true], // no "/": a file name at any depth
    ['*.bgcode', 'benchy.gcode', false],
    ['*.BGCODE', 'parts/Clip.bgcode', true], // case is ignored
    ['benchy?.gcode', 'benchy2.gcode', true],
    ['benchy?.gcode', 'benchy.gcode', false],
    ['benchy?.gcode', 'benchy/.gcode', false],
    ['parts/*.gcode', 'parts/a.gcode', true],
    ['parts/*.gcode', 'parts/sub/a.gcode', false], // * stays within one name
    ['parts/*.gcode', 'other/parts/a.gcode', false], // with "/": from the source folder
    ['parts/**/*.gcode', 'parts/a.gcode', true], // ** spans zero folders
    ['parts/**/*.gcode', 'parts/x/y/a.gcode', true],
    ['parts/**', 'parts/x/y/a.gcode', true],
    ['parts/**', 'parts.gcode', false],
    ['**/test/*', 'a/b/test/c.gcode', true],
    ['**/test/*', 'test/c.gcode', true],
    ['old/', 'old/a.gcode', true], // trailing "/": a folder, at any depth
    ['old/', 'x/old/y/a.gcode', true],
    ['old/', 'older/a.gcode', false],
    ['old/', 'old.gcode', false],
    ['/benchy.gcode', 'benchy.gcode', true], // leading "/": top level only
    ['/benchy.gcode', 'parts/benchy.gcode', false],
    ['./parts/a.gcode', 'parts/a.gcode', true],
    ['*.{gcode,bgcode}', 'x/a.bgcode', true],
    ['*.{gcode,bgcode}', 'a.gco', false],
    ['{mk4,xl}/**', 'xl/a.gcode', true],
    ['{mk4,xl}/**', 'mini/a.gcode', false],
    ['[ab]*.gcode', 'b1.gcode', true],
    ['[ab]*.gcode', 'c1.gcode', false],
    ['[!ab]*.gcode', 'c1.gcode', true],
    ['[a-c]*.gcode', 'B.gcode', true],
    ['cable clip ×8.gcode', 'parts/clips/cable clip ×8.gcode', true],
    ['a+b (1).gcode', 'a+b (1).gcode', true], // regex characters are literal
    ['a+b (1).gcode', 'aab (1).gcode', false],
    ['**', 'any/thing.gcode', true],
  ];
  for (const [pattern, path, matches] of table) {
    it(`"${pattern}" ${matches ? 'matches' : 'does not match'} ${path}`, () => assert.equal(matcher(pattern)(path), matches));
  }

  const refused: Array<[pattern: string, why: RegExp]> = [
    ['', /empty/],
    ['  ', /empty/],
    ['/', /no file or folder/],
    ['parts\\a.gcode', /backslash/],
    ['../x/*.gcode', /\.\./],
    ['*.{gcode', /"\{"/],
    ['[abc.gcode', /"\["/],
  ];
  for (const [pattern, why] of refused) {
    it(`refuses "${pattern}" with a reason`, () => {
      const compiled = compileGlob(pattern);
      assert.equal(compiled.ok, false);
      if (!compiled.ok) assert.match(compiled.message, why);
    });
  }

  it('keeps a path that matches an include and no exclude; no include keeps everything', () => {
    const keep = pathFilter([matcher('*.bgcode'), matcher('mk4/**')], [matcher('old/')]);
    assert.deepEqual(['a.bgcode', 'a.gcode', 'mk4/b.gcode', 'old/c.bgcode', 'mk4/old/d.gcode'].filter(keep), ['a.bgcode', 'mk4/b.gcode']);
    const all = pathFilter([], [matcher('*.gcode')]);
    assert.deepEqual(['a.bgcode', 'b.gcode'].filter(all), ['a.bgcode']);
  });
});
