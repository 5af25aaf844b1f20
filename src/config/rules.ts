// Named rules that look at several keys or several printers at once: credentials, unique names, unique hosts, group names.

import type { PrinterAuth } from './types.js';
import type { ConfigProblem } from './problems.js';

/** The credential keys of one entry that hold text (wrongly typed ones are reported by the schema). */
export interface CredentialFields {
  username?: string;
  password?: string;
  password_env?: string;
  api_key?: string;
  api_key_env?: string;
}

export interface AuthOutcome {
  auth?: PrinterAuth;
  /** Key → message; the caller adds the printer name and line. */
  problems: Array<{ key?: keyof CredentialFields; message: string; hint: string }>;
  /** A *_env variable unset or empty: a problem of the environment, for a run that needs this printer only. */
  missing: AuthOutcome['problems'];
}

const CREDENTIALS_HINT = 'add username: maker with password: ... or password_env: VARIABLE; or add api_key: ... or api_key_env: VARIABLE';

/**
 * Rule "one credential": exactly one of password, password_env, api_key, api_key_env; a password
 * needs a username. Then *_env must name a variable that is set and not empty, reported apart in
 * `missing`. Values are never quoted.
 */
export function credentialsRule(fields: CredentialFields, env: Record<string, string | undefined>): AuthOutcome {
  const problems: AuthOutcome['problems'] = [];
  const has = (key: keyof CredentialFields): boolean => fields[key] !== undefined;
  const passwordGiven = has('password') || has('password_env');
  const keyGiven = has('api_key') || has('api_key_env');

  if (has('password') && has('password_env')) {
    problems.push({ key: 'password_env', message: 'has both password and password_env', hint: 'keep one of them' });
  }
  if (has('api_key') && has('api_key_env')) {
    problems.push({ key: 'api_key_env', message: 'has both api_key and api_key_env', hint: 'keep one of them' });
  }
  if (passwordGiven && keyGiven) {
    problems.push({
      key: has('api_key') ? 'api_key' : 'api_key_env',
      message: 'has both a password and an API key',
      hint: 'keep one: username + password for the PrusaLink login, or api_key',
    });
  }
  if (!passwordGiven && !keyGiven) {
    problems.push({ message: 'has no credentials', hint: CREDENTIALS_HINT });
  }
  if (passwordGiven && !has('username')) {
    problems.push({
      key: has('password') ? 'password' : 'password_env',
      message: 'has a password but no username',
      hint: 'add username: maker, the PrusaLink default user, or the user set on the printer',
    });
  }
  if (has('username') && !passwordGiven && keyGiven) {
    problems.push({
      key: 'username',
      message: 'has a username but no password',
      hint: 'remove username (an API key needs none), or use password instead of api_key',
    });
  }

  const missing: AuthOutcome['missing'] = [];
  const password = secretFrom(fields, 'password', env, missing);
  const apiKey = secretFrom(fields, 'api_key', env, missing);
  if (problems.length > 0 || missing.length > 0) return { problems, missing };
  if (password !== undefined && fields.username !== undefined) {
    return { auth: { kind: 'digest', username: fields.username, password }, problems, missing };
  }
  if (apiKey !== undefined) return { auth: { kind: 'api-key', apiKey }, problems, missing };
  return { problems, missing };
}

/** The secret written in the file or read from the named variable; a missing variable is a problem. */
function secretFrom(
  fields: CredentialFields,
  key: 'password' | 'api_key',
  env: Record<string, string | undefined>,
  problems: AuthOutcome['problems'],
): string | undefined {
  const envKey = key === 'password' ? 'password_env' : 'api_key_env';
  const variable = fields[envKey];
  if (variable === undefined) return fields[key];
  const value = env[variable];
  if (value === undefined) {
    problems.push({
      key: envKey,
      message: `${envKey}: environment variable ${variable} is not set`,
      hint: `export ${variable}=... before running link-sync`,
    });
    return undefined;
  }
  if (value === '') {
    problems.push({
      key: envKey,
      message: `${envKey}: environment variable ${variable} is empty`,
      hint: `give ${variable} the printer's ${key === 'password' ? 'password' : 'API key'}`,
    });
    return undefined;
  }
  return value;
}

/**
 * Rule "unique names": -p/-x match names case-insensitively, so "MK4-1" and "mk4-1" would be one
 * printer to the command line. Reports every later spelling, pointing at the first.
 */
export function uniqueNamesRule(entries: ReadonlyArray<{ name: string; line?: number }>): ConfigProblem[] {
  const first = new Map<string, { name: string; line?: number }>();
  const problems: ConfigProblem[] = [];
  for (const entry of entries) {
    const key = entry.name.toLowerCase();
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, entry);
      continue;
    }
    const where = earlier.line === undefined ? '' : ` on line ${earlier.line}`;
    const message =
      earlier.name === entry.name
        ? `printer name is written twice${earlier.line === undefined ? '' : ` (first${where})`}`
        : `printer name differs only in case from "${earlier.name}"${where}`;
    problems.push({
      printer: entry.name,
      ...(entry.line === undefined ? {} : { line: entry.line }),
      message,
      hint: 'give each printer its own name: -p and -x match names case-insensitively',
    });
  }
  return problems;
}

/**
 * Rule "one entry per printer": two names for the same address would sync one printer twice at
 * once, and a printer runs one transfer at a time.
 */
export function uniqueHostsRule(printers: ReadonlyArray<{ name: string; baseUrl: string; line?: number }>): ConfigProblem[] {
  const first = new Map<string, { name: string; line?: number }>();
  const problems: ConfigProblem[] = [];
  for (const printer of printers) {
    const earlier = first.get(printer.baseUrl);
    if (earlier === undefined) {
      first.set(printer.baseUrl, printer);
      continue;
    }
    problems.push({
      printer: printer.name,
      ...(printer.line === undefined ? {} : { line: printer.line }),
      message: `host ${printer.baseUrl} is also the host of printer "${earlier.name}"${earlier.line === undefined ? '' : ` on line ${earlier.line}`}`,
      hint: 'list each printer once; a printer takes one transfer at a time',
    });
  }
  return problems;
}

/**
 * Rule "a group is not a printer": -p/-x take both names, so a group spelt like a printer
 * (case-insensitively) would make `-p NAME` mean two things.
 */
export function groupNamesRule(printers: ReadonlyArray<{ name: string; groups?: readonly string[]; line?: number }>): ConfigProblem[] {
  const printerNames = new Map(printers.map((p) => [p.name.toLowerCase(), p.name] as const));
  const problems: ConfigProblem[] = [];
  for (const printer of printers) {
    for (const group of printer.groups ?? []) {
      const clash = printerNames.get(group.toLowerCase());
      if (clash === undefined) continue;
      problems.push({
        printer: printer.name,
        ...(printer.line === undefined ? {} : { line: printer.line }),
        message: `group "${group}" has the name of printer "${clash}"`,
        hint: 'rename the group: -p and -x accept both printer and group names',
      });
    }
  }
  return problems;
}
