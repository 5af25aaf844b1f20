// The bad-input matrix (docs/reliability.md): each row runs the built CLI with one bad input against
// a live simulated farm. Config, usage and source errors: exit 2, stderr is one line naming the thing
// and the fix, and no request at all reaches any printer. Names a printer cannot store: exit 1, one
// line per file and printer, and no mutating request.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startFarm, type SimFarm } from '../../src/simulator/index.js';
import { ExitCode } from '../../src/report/exit-codes.js';
import { gcode, tempDir, writeConfig, writeTree } from '../helpers/fixtures.js';
import { startCli } from './cli-process.js';
import { runCli } from '../helpers/cli.js';
import { MUTATING } from './support.js';

interface Ctx {
  /** This row's own folder (the working folder of the run). */
  dir: string;
  /** A good master folder. */
  master: string;
  /** A good config for the farm. */
  config: string;
}

interface Row {
  id: string;
  name: string;
  args: (ctx: Ctx) => string[];
  setup?: (ctx: Ctx) => void;
  env?: Record<string, string>;
  /** 'error': one "link-sync: error:" line, exit 2, no request at all. 'per-file': exit 1, lines per printer. */
  kind: 'error' | 'per-file';
  says: RegExp;
  /** per-file: the printers that must report it, and how many lines each. */
  printers?: string[];
  linesPerPrinter?: number;
  /** Run as an unprivileged user (so a mode-000 file is unreadable even when the tests run as root). */
  unprivileged?: boolean;
  /** Why the row cannot run here. */
  skip?: string | undefined;
}

const yaml = (dir: string, name: string, text: string): string => {
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
};
const PRINTER = (extra: string) => `mk4:\n  printer_type: MK4\n  host: 10.0.0.2\n${extra}`;
const CREDS = '  username: maker\n  password: "0123-secret"\n';
const BUDDY = ['mk4-a', 'xl-b'];
const ALL = ['mk4-a', 'xl-b', 'mk3s-c'];
const runAsRoot = process.getuid?.() === 0;

const ROWS: Row[] = [
  // The config file
  {
    id: 'B1',
    name: 'config file missing',
    kind: 'error',
    args: (c) => ['-c', 'nowhere.yml', '-s', c.master],
    says: /^nowhere\.yml: config file not found \(create nowhere\.yml or pass -c PATH\)$/,
  },
  {
    id: 'B2',
    name: 'config file unreadable',
    kind: 'error',
    unprivileged: true,
    setup: (c) => {
      // An unprivileged user must reach the folder, only the file is closed to it.
      chmodSync(path.dirname(c.dir), 0o755);
      chmodSync(c.dir, 0o755);
      chmodSync(yaml(c.dir, 'locked.yml', PRINTER(CREDS)), 0o000);
    },
    args: (c) => ['-c', 'locked.yml', '-s', c.master],
    says: /^locked\.yml: cannot be read: permission denied \(make the file readable by the user running link-sync\)$/,
  },
  {
    id: 'B3',
    name: 'config path is a folder',
    kind: 'error',
    args: (c) => ['-c', c.master, '-s', c.master],
    says: /master: is a folder, not a file \(pass -c with the path of the printers file\)$/,
  },
  {
    id: 'B4',
    name: 'YAML syntax error (with its line)',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'bad.yml', `mk4:\n  printer_type: MK4\n  host: 10.0.0.2: 80\n${CREDS}`),
    args: (c) => ['-c', 'bad.yml', '-s', c.master],
    says: /^bad\.yml:3: YAML syntax error at column 9: .*\(check the indentation, colons and quotes on this line\)$/,
  },
  {
    id: 'B5',
    name: 'JSON syntax error (with its line)',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'farm.json', '{\n  "mk4": {"printer_type": "MK4", "host": "10.0.0.2",}\n}\n'),
    args: (c) => ['-c', 'farm.json', '-s', c.master],
    says: /^farm\.json:2: JSON syntax error at column \d+: .*\(check commas, quotes and brackets; JSON allows no comments and no trailing commas\)$/,
  },
  {
    id: 'B6',
    name: 'empty config file',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'empty.yml', ''),
    args: (c) => ['-c', 'empty.yml', '-s', c.master],
    says: /^empty\.yml:1: the file is empty \(add a printer: .*\)$/,
  },
  {
    id: 'B7',
    name: 'wrong type (a number where text belongs)',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'types.yml', PRINTER('  username: maker\n  password: 1234\n')),
    args: (c) => ['-c', 'types.yml', '-s', c.master],
    says: /^types\.yml:5: printer "mk4": password must be text \(got a number\) \(put the value in quotes: password: "\.\.\."\)$/,
  },
  {
    id: 'B8',
    name: 'unknown printer_type',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'model.yml', `mk4:\n  printer_type: MK5\n  host: 10.0.0.2\n${CREDS}`),
    args: (c) => ['-c', 'model.yml', '-s', c.master],
    says: /^model\.yml:2: printer "mk4": printer_type "MK5" is not a known model \(did you mean "MK4"\? accepted: MK4, .*\)$/,
  },
  {
    id: 'B9',
    name: 'bad host',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'host.yml', `mk4:\n  printer_type: MK4\n  host: htp://10.0.0.2\n${CREDS}`),
    args: (c) => ['-c', 'host.yml', '-s', c.master],
    says: /^host\.yml:3: printer "mk4": host "htp:\/\/10\.0\.0\.2" is not a valid URL: scheme "htp" is not http or https \(use http:\/\/.*\)$/,
  },
  {
    id: 'B10',
    name: 'duplicate printer names (differing in case)',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'dup.yml', `${PRINTER(CREDS)}MK4:\n  printer_type: MK4\n  host: 10.0.0.3\n${CREDS}`),
    args: (c) => ['-c', 'dup.yml', '-s', c.master],
    says: /^dup\.yml:6: printer "MK4": printer name differs only in case from "mk4" on line 1 \(give each printer its own name.*\)$/,
  },
  {
    id: 'B11',
    name: 'misspelt key',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'typo.yml', PRINTER('  username: maker\n  pasword: "0123"\n')),
    args: (c) => ['-c', 'typo.yml', '-s', c.master],
    says: /^typo\.yml:5: printer "mk4": unknown key "pasword" \(did you mean "password"\?\)$/,
  },
  {
    id: 'B12',
    name: 'printer without credentials',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'nocreds.yml', PRINTER('')),
    args: (c) => ['-c', 'nocreds.yml', '-s', c.master],
    says: /^nocreds\.yml:1: printer "mk4": has no credentials \(add username: maker with password: .*\)$/,
  },
  {
    id: 'B13',
    name: 'password_env names an unset variable',
    kind: 'error',
    setup: (c) => void yaml(c.dir, 'env.yml', PRINTER('  username: maker\n  password_env: LINK_SYNC_TEST_UNSET\n')),
    args: (c) => ['-c', 'env.yml', '-s', c.master],
    says: /^env\.yml:5: printer "mk4": password_env: environment variable LINK_SYNC_TEST_UNSET is not set \(export LINK_SYNC_TEST_UNSET=\.\.\. before running link-sync\)$/,
  },
  // The command line
  {
    id: 'B14',
    name: 'unknown -p name',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-p', 'mk4-z'],
    says: /^-p: unknown printer "mk4-z" \(did you mean "mk4-a"\? configured printers: mk4-a, xl-b, mk3s-c\)$/,
  },
  {
    id: 'B15',
    name: 'unknown -x name',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-x', 'xl-9'],
    says: /^-x: unknown printer "xl-9" \(.*configured printers: mk4-a, xl-b, mk3s-c\)$/,
  },
  {
    id: 'B16',
    name: '-x leaving no printer',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-x', 'mk4-a', 'xl-b', 'MK3S-C'],
    says: /^-x\/--exclude leaves no printer to sync \(configured printers: mk4-a, xl-b, mk3s-c\)$/,
  },
  {
    id: 'B17',
    name: 'no -s',
    kind: 'error',
    args: (c) => ['-c', c.config, '--go'],
    says: /^missing -s\/--source SOURCE: the local folder to mirror \(see link-sync --help\)$/,
  },
  {
    id: 'B18',
    name: 'unknown option',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '--gp'],
    says: /^unknown option '--gp' \(did you mean --go\?\) \(see link-sync --help\)$/,
  },
  {
    id: 'B19',
    name: 'contradictory flags: --quiet --verbose',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '--quiet', '--verbose'],
    says: /^contradictory flags: --quiet and --verbose \(use one of them; see link-sync --help\)$/,
  },
  {
    id: 'B20',
    name: 'contradictory flags: --no-delete --max-delete',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '--go', '--no-delete', '--max-delete', '5'],
    says: /^contradictory flags: --no-delete and --max-delete \(--no-delete deletes nothing, so use one of them; see link-sync --help\)$/,
  },
  {
    id: 'B21',
    name: 'a count that is not a count (--max-delete -3)',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '--max-delete', '-3'],
    says: /^option '--max-delete <N>' argument '-3' is invalid\. must be a whole number, 0 or more \(see link-sync --help\)$/,
  },
  {
    id: 'B22',
    name: 'a zero timeout',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '--timeout', '0'],
    says: /^option '--timeout <SECONDS>' argument '0' is invalid\. must be more than 0 seconds \(see link-sync --help\)$/,
  },
  {
    id: 'B23',
    name: '-r not an ancestor of -s',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-r', path.join(c.dir, 'elsewhere')],
    says: /^-r ".*elsewhere" is not the source folder or one of its parents \(-r must contain -s \(.*master\); see link-sync --help\)$/,
  },
  {
    id: 'B24',
    name: 'destination escaping the storage (..)',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-d', 'farm/../..'],
    says: /^-d "farm\/\.\.\/\.\.": "\.\." is not allowed \(give a folder inside the printer storage, e.g\. -d \/usb\/farm; see link-sync --help\)$/,
  },
  {
    id: 'B25',
    name: 'destination on the read-only sdcard',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-d', '/sdcard/farm'],
    says: /^-d "\/sdcard\/farm": the sdcard storage is read-only over PrusaLink \(use \/local .* or \/usb; see link-sync --help\)$/,
  },
  {
    id: 'B26',
    name: 'a stray argument (an unquoted path with a space)',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, 'parts'],
    says: /^unexpected argument "parts" \(every value belongs to an option .*quote paths with spaces; see link-sync --help\)$/,
  },
  // The source folder
  {
    id: 'B27',
    name: 'source folder missing',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', path.join(c.dir, 'no-such')],
    says: /^source folder .*no-such does not exist \(check the path given as the source folder, or create it\)$/,
  },
  {
    id: 'B28',
    name: 'source is a file, not a folder',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', path.join(c.master, 'a.gcode')],
    says: /^source folder .*a\.gcode is not a folder \(give the folder that holds the print files, not a file in it\)$/,
  },
  {
    id: 'B29',
    name: 'source folder empty (an unmounted share looks like this)',
    kind: 'error',
    setup: (c) => mkdirSync(path.join(c.dir, 'void')),
    args: (c) => ['-c', c.config, '-s', path.join(c.dir, 'void'), '--go'],
    says: /^source folder .*void holds no print files \(\.gcode, \.bgcode\) \(check -s: an unmounted share or a wrong folder looks empty, .*\)$/,
  },
  {
    id: 'B30',
    name: 'symbolic link loop in the source',
    kind: 'error',
    setup: (c) => symlinkSync('..', path.join(c.master, 'sub', 'loop')),
    args: (c) => ['-c', c.config, '-s', c.master, '--go'],
    says: /^symbolic link loop in the source folder: .*loop leads back to a folder that contains it \(remove the link or point it outside the source folder\)$/,
  },
  {
    // Listed, then gone when read: a link to nothing takes the same path through the scan.
    id: 'B31',
    name: 'a file vanishing during the scan',
    kind: 'error',
    setup: (c) => symlinkSync(path.join(c.dir, 'deleted-meanwhile.gcode'), path.join(c.master, 'gone.gcode')),
    args: (c) => ['-c', c.config, '-s', c.master, '--go'],
    says: /^cannot read gone\.gcode in source folder .*: vanished while scanning, or a link to nothing \(fix or remove it, then run again; nothing was sent to any printer.*\)$/,
  },
  // Names the printer cannot store (found while planning, so the printers are read but never changed)
  {
    id: 'B32',
    name: 'a name too long for the printer',
    kind: 'per-file',
    printers: BUDDY,
    setup: (c) => writeTree(c.master, { [`parts/${'long-descriptive-name-'.repeat(5)}v2.gcode`]: gcode('long', 300) }),
    args: (c) => ['-c', c.config, '-s', c.master, '--go', '-p', ...BUDDY],
    says: /^(mk4-a|xl-b): cannot sync parts\/(long-descriptive-name-){5}v2\.gcode: the path on the printer, .* is 129 bytes; the printer accepts at most 103: shorten the file or folder names$/,
  },
  {
    id: 'B33',
    name: 'names colliding when case is folded',
    kind: 'per-file',
    printers: BUDDY,
    linesPerPrinter: 2,
    setup: (c) => writeTree(c.master, { 'Benchy.gcode': gcode('B', 300), 'benchy.gcode': gcode('b', 300) }),
    args: (c) => ['-c', c.config, '-s', c.master, '--go', '-p', ...BUDDY],
    says: /^(mk4-a|xl-b): cannot sync (B|b)enchy\.gcode: "(B|b)enchy\.gcode" and "(B|b)enchy\.gcode" are one name on this printer, which ignores case; none of them is synced: rename all but one$/,
  },
  {
    id: 'B34',
    name: 'a character the printer refuses in a name',
    kind: 'per-file',
    printers: ALL,
    setup: (c) => writeTree(c.master, { 'what?.gcode': gcode('q', 300) }),
    args: (c) => ['-c', c.config, '-s', c.master, '--go'],
    says: /^(mk4-a|xl-b|mk3s-c): cannot sync what\?\.gcode: "what\?\.gcode" contains the character "\?", which the printer does not allow in names: rename it$/,
  },
  // Local files the run cannot send
  {
    id: 'B37',
    name: 'an empty (0-byte) print file',
    kind: 'per-file',
    printers: ALL,
    setup: (c) => writeTree(c.master, { 'empty.gcode': '' }),
    args: (c) => ['-c', c.config, '-s', c.master, '--go'],
    says: /^(mk4-a|xl-b|mk3s-c): cannot sync empty\.gcode: the file is empty \(0 bytes\) and printers refuse empty files: export it again, or remove it from the source folder$/,
  },
  {
    id: 'B38',
    name: 'a FIFO named like a print file',
    kind: 'error',
    skip: process.platform === 'win32' ? 'no FIFOs on Windows' : undefined,
    setup: (c) => execFileSync('mkfifo', [path.join(c.master, 'pipe.gcode')]),
    args: (c) => ['-c', c.config, '-s', c.master, '--go'],
    says: /^cannot sync pipe\.gcode in source folder .*master: it is a FIFO \(named pipe\), not a regular file \(replace it with the print file or remove it, then run again; nothing was sent to any printer, since skipping it would delete the printers' copy\)$/,
  },
  {
    id: 'B39',
    name: 'a link to a device named like a print file',
    kind: 'error',
    skip: process.platform === 'win32' ? 'no /dev/null on Windows' : undefined,
    setup: (c) => symlinkSync('/dev/null', path.join(c.master, 'null.gcode')),
    args: (c) => ['-c', c.config, '-s', c.master, '--go'],
    says: /^cannot sync null\.gcode in source folder .*master: it is a link to a character device, not a regular file \(replace it .*\)$/,
  },
  {
    id: 'B40',
    name: 'a print file the user cannot read (mode 000; run as another user when the tests run as root)',
    kind: 'error',
    unprivileged: true,
    setup: (c) => {
      // An unprivileged user must reach the folders and the config; only the print file is closed to it.
      chmodSync(path.dirname(c.dir), 0o755);
      chmodSync(c.dir, 0o755);
      chmodSync(c.master, 0o755);
      chmodSync(path.join(c.master, 'sub'), 0o755);
      for (const f of ['a.gcode', 'sub/b.gcode']) chmodSync(path.join(c.master, f), 0o644);
      writeFileSync(path.join(c.master, 'locked.gcode'), gcode('locked', 300), { mode: 0o000 });
      chmodSync(path.join(c.master, 'locked.gcode'), 0o000);
      copyFileSync(c.config, path.join(c.dir, 'open.yml'));
      chmodSync(path.join(c.dir, 'open.yml'), 0o644);
    },
    args: (c) => ['-c', path.join(c.dir, 'open.yml'), '-s', c.master, '--go'],
    says: /^cannot read locked\.gcode in source folder .*master: permission denied \(fix or remove it, then run again; nothing was sent to any printer, .*\)$/,
  },
  {
    id: 'B52',
    name: 'an empty destination (-d "$DEST" with the variable unset)',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-d', '', '--go'],
    says: /^-d\/--destination is empty \(give -d \/ for the storage root, .*; see link-sync --help\)$/,
  },
  {
    id: 'B53',
    name: 'a destination with a character no printer allows in a folder name',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-d', 'farm/what?', '--go'],
    says: /^-d "farm\/what\?": "what\?" contains the character "\?", which no printer allows in a folder name \(choose another folder name; see link-sync --help\)$/,
  },
  // An empty path (`--log-file "$LOG"` with the variable unset) is refused by name, never taken as the working folder.
  {
    id: 'B54',
    name: 'an empty --log-file',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '--log-file', ''],
    says: /^--log-file is empty \(give the file to append to, e\.g\. --log-file sync\.log; see link-sync --help\)$/,
  },
  {
    id: 'B55',
    name: 'a blank --log-file',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '--log-file', ' '],
    says: /^--log-file is empty \(give the file to append to, e\.g\. --log-file sync\.log; see link-sync --help\)$/,
  },
  {
    id: 'B56',
    name: 'status with an empty -c',
    kind: 'error',
    args: () => ['status', '-c', ''],
    says: /^-c\/--config is empty \(give the printers file, e\.g\. -c printers\.yml; see link-sync status --help\)$/,
  },
  {
    id: 'B57',
    name: 'status with an empty --state-dir',
    kind: 'error',
    args: (c) => ['status', '-c', c.config, '--state-dir', ''],
    says: /^--state-dir is empty \(give a folder, or leave --state-dir out; see link-sync status --help\)$/,
  },
  {
    id: 'B58',
    name: 'pull with an empty -c',
    kind: 'error',
    args: (c) => ['pull', '-c', '', '-s', c.master],
    says: /^-c\/--config is empty \(give the printers file, e\.g\. -c printers\.yml; see link-sync pull --help\)$/,
  },
  {
    id: 'B59',
    name: 'pull with an empty --state-dir',
    kind: 'error',
    args: (c) => ['pull', '-c', c.config, '-s', c.master, '--state-dir', ''],
    says: /^--state-dir is empty \(give a folder; see link-sync pull --help\)$/,
  },
  // An empty -r (`-r "$ROOT"` with the variable unset) would put every file elsewhere on the printers.
  {
    id: 'B60',
    name: 'an empty -r',
    kind: 'error',
    args: (c) => ['-c', c.config, '-s', c.master, '-r', '', '--go'],
    says: /^-r\/--relative-to is empty \(give the source folder or one of its parents, or leave -r out to use the source folder; see link-sync --help\)$/,
  },
  {
    id: 'B61',
    name: 'status with an empty --relative-to',
    kind: 'error',
    args: (c) => ['status', '-c', c.config, '-s', c.master, '--relative-to', ''],
    says: /^-r\/--relative-to is empty \(give the source folder or one of its parents, .*; see link-sync status --help\)$/,
  },
  {
    id: 'B62',
    name: 'pull with an empty -r',
    kind: 'error',
    args: (c) => ['pull', '-c', c.config, '-s', c.master, '-r', '', '--go'],
    says: /^-r\/--relative-to is empty \(give the source folder or one of its parents, .*; see link-sync pull --help\)$/,
  },
  {
    id: 'B63',
    name: 'status with an empty -s',
    kind: 'error',
    args: (c) => ['status', '-c', c.config, '-s', ''],
    says: /^-s\/--source is empty \(give the master folder, or leave -s out; see link-sync status --help\)$/,
  },
];

describe('bad-input matrix', { timeout: 300_000 }, () => {
  let farm: SimFarm;
  let work: { dir: string; cleanup: () => void };
  let config: string;

  before(async () => {
    farm = await startFarm([
      { name: 'mk4-a', model: 'MK4' },
      { name: 'xl-b', model: 'XL' },
      { name: 'mk3s-c', model: 'MK3S' },
    ]);
    work = tempDir('link-sync-bad-input-');
    config = writeConfig(work.dir, farm.printers);
  });
  after(async () => {
    await farm.close();
    work.cleanup();
  });

  test('a config with several problems: one problem a line, each line readable, exit 2, nothing contacted', {
    timeout: 30_000,
  }, async () => {
    const dir = path.join(work.dir, 'several');
    mkdirSync(dir);
    const master = path.join(dir, 'master');
    writeTree(master, { 'a.gcode': gcode('a', 500) });
    yaml(dir, 'bad2.yml', 'mk4:\n  printer_type: FOO\n  host: 10.0.0.2\n');
    for (const p of farm.printers) p.clearRequests();
    const out = await runCli(['-c', 'bad2.yml', '-s', master], { cwd: dir, env: { XDG_STATE_HOME: path.join(dir, 'state') } });
    assert.equal(out.code, ExitCode.USAGE, out.stderr);
    const lines = out.stderr.trimEnd().split('\n');
    assert.equal(lines[0], 'link-sync: error: bad2.yml: 2 problems in the printer config');
    assert.equal(lines.length, 3, out.stderr);
    assert.match(lines[1]!, /^ {2}bad2\.yml:\d: printer "mk4": has no credentials/);
    assert.match(lines[2]!, /^ {2}bad2\.yml:\d: printer "mk4": printer_type "FOO" is not a known model/);
    assert.doesNotMatch(out.stderr, /\\n/, 'no escaped line breaks');
    for (const p of farm.printers) assert.deepEqual(p.requests(), [], `${p.name} was contacted`);
  });

  test('has at least 25 rows', () => {
    assert.ok(ROWS.length >= 25, `${ROWS.length} rows`);
    assert.equal(new Set(ROWS.map((r) => r.id)).size, ROWS.length);
  });

  for (const row of ROWS) {
    const skip = row.skip ?? (row.unprivileged && process.platform === 'win32' ? 'file modes do not apply on Windows' : undefined);
    test(`${row.id} ${row.name}`, { timeout: 30_000, skip }, async () => {
      const dir = path.join(work.dir, row.id);
      mkdirSync(dir);
      const master = path.join(dir, 'master');
      // Per-file rows hold only the bad files, so any upload at all would show.
      if (row.kind === 'error') writeTree(master, { 'a.gcode': gcode('a', 500), 'sub/b.gcode': gcode('b', 400) });
      else mkdirSync(master);
      const ctx: Ctx = { dir, master, config };
      row.setup?.(ctx);
      const before = readdirSync(dir);
      for (const p of farm.printers) p.clearRequests();
      const user = row.unprivileged && runAsRoot ? { uid: 65534, gid: 65534 } : undefined;
      const env = { XDG_STATE_HOME: path.join(dir, 'state'), ...row.env };
      // Only a row that must run as another user needs its own process; the rest call main() here.
      const out = user
        ? await startCli(row.args(ctx), { cwd: dir, env, timeoutMs: 25_000, user }).done
        : await runCli(row.args(ctx), { cwd: dir, env, timeoutMs: 25_000 });
      const lines = out.stderr.trimEnd().split('\n');
      if (row.kind === 'error') {
        assert.equal(out.code, ExitCode.USAGE, out.stderr);
        assert.equal(lines.length, 1, `exactly one line:\n${out.stderr}`);
        assert.match(lines[0]!, /^link-sync: error: /);
        assert.match(lines[0]!.replace(/^link-sync: error: /, ''), row.says);
        assert.equal(out.stdout, '');
        for (const p of farm.printers) assert.deepEqual(p.requests(), [], `${p.name} was contacted`);
        // Nothing is written into the working folder (in an empty path's stead, say).
        assert.deepEqual(readdirSync(dir), before);
      } else {
        assert.equal(out.code, ExitCode.ACTIONS_FAILED, out.stderr);
        const problems = lines.filter((l) => / cannot sync /.test(l));
        for (const name of row.printers ?? []) {
          const mine = problems.filter((l) => l.startsWith(`${name}: `));
          assert.equal(mine.length, row.linesPerPrinter ?? 1, `${name}:\n${out.stderr}`);
          for (const line of mine) assert.match(line, row.says);
        }
        for (const p of farm.printers) {
          assert.deepEqual(
            p.requests().filter((r) => MUTATING.has(r.method)),
            [],
            `${p.name} got a mutating request`,
          );
        }
      }
    });
  }
});
