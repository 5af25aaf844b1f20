// One config problem (where, what, how to fix) and the single ConfigError that reports them all.

import { ConfigError } from '../errors.js';

export interface ConfigProblem {
  /** 1-based line in the file, when known. */
  line?: number;
  /** The printer the problem belongs to; absent for problems with the file as a whole. */
  printer?: string;
  /** What is wrong, naming the key; never a secret value. */
  message: string;
  /** How to fix it. */
  hint?: string;
}

/** `printers.yml:7: printer "mk4-2": host "htp://x" is not a valid URL` (no hint). */
export function describeProblem(file: string, problem: ConfigProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  const who = problem.printer === undefined ? '' : `printer ${JSON.stringify(problem.printer)}: `;
  return `${where}: ${who}${problem.message}`;
}

/** The description followed by the fix in parentheses: one self-contained line. */
export function problemLine(file: string, problem: ConfigProblem): string {
  const text = describeProblem(file, problem);
  return problem.hint === undefined ? text : `${text} (${problem.hint})`;
}

/** A problem with a default shows once, not once per printer that took it. */
export function dedupeProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (p.printer !== undefined) return true;
    const key = `${p.line}|${p.message}|${p.hint}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** File order: by line, problems without a line last, otherwise as found. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => (a.problem.line ?? Infinity) - (b.problem.line ?? Infinity) || a.index - b.index)
    .map((x) => x.problem);
}

/**
 * One error for all problems. A single problem reads as one line with its own hint; several get a
 * count line first and one line each (hint included), so nothing is lost when only the message is shown.
 */
export function configErrorFor(file: string, problems: readonly ConfigProblem[], cause?: unknown): ConfigError {
  const sorted = sortProblems(problems);
  const lines = sorted.map((p) => problemLine(file, p));
  const details = { errors: lines, ...(cause === undefined ? {} : { cause }) };
  const only = sorted[0];
  if (sorted.length === 1 && only !== undefined) {
    return new ConfigError(describeProblem(file, only), { ...details, ...(only.hint === undefined ? {} : { hint: only.hint }) });
  }
  const count = `${file}: ${sorted.length} problems in the printer config`;
  return new ConfigError([count, ...lines.map((l) => `  ${l}`)].join('\n'), {
    ...details,
    heading: count,
    hint: 'fix each line above, then run again',
  });
}
