// Reads the config text into top-level entries that remember their lines (YAML, or JSON as YAML).

import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLError } from 'yaml';
import type { ConfigProblem } from './problems.js';
import { describeValue, type RawEntry } from './values.js';

export interface ReadDocument {
  /** Present when the text is a mapping, even if some entries have problems. */
  entries?: RawEntry[];
  problems: ConfigProblem[];
}

const TOP_LEVEL_HINT = 'write one printer per top-level key: "mk4-1:" then printer_type, host, username, password indented below';

/** Parses YAML (or JSON, which is YAML) and splits the top-level mapping into entries with lines. */
export function readYamlEntries(text: string): ReadDocument {
  const lines = new LineCounter();
  // Duplicate keys are reported by our own rules, with both lines, instead of as a syntax error.
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const lineAt = (offset: number): number => lines.linePos(offset).line;
  const first = doc.errors[0];
  if (first) return { problems: [syntaxProblem(first, lines)] };

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null && text.trim() === '')) {
    return { problems: [{ line: 1, message: 'the file is empty', hint: TOP_LEVEL_HINT }] };
  }
  if (!isMap(contents)) {
    const got = isSeq(contents) ? 'a list' : isScalar(contents) ? describeValue(contents.value) : 'something else';
    const line = contents.range ? lineAt(contents.range[0]) : 1;
    return {
      problems: [{ line, message: `the top level must be a mapping of printer names to settings (got ${got})`, hint: TOP_LEVEL_HINT }],
    };
  }

  const problems: ConfigProblem[] = [];
  const entries: RawEntry[] = [];
  for (const pair of contents.items) {
    const keyLine = nodeLine(pair.key, lineAt) ?? 1;
    if (!isScalar(pair.key)) {
      problems.push({ line: keyLine, message: 'a printer name must be plain text', hint: TOP_LEVEL_HINT });
      continue;
    }
    const name = pair.key.value === null ? '' : String(pair.key.value);
    let value: unknown = null;
    try {
      value = isNode(pair.value) ? pair.value.toJS(doc as Document<Node, boolean>, { maxAliasCount: 100 }) : null;
    } catch {
      // Unresolved or excessive aliases: the library's message would repeat document text.
      problems.push({
        printer: name,
        line: keyLine,
        message: 'uses a YAML alias (*name) that cannot be resolved',
        hint: 'define the anchor (&name) before using it, or write the values out',
      });
      continue;
    }
    problems.push(...duplicateKeys(pair.value, name, lineAt));
    entries.push({ name, value, lineOf: (keys) => lineOfKeys(pair, keys, lineAt) ?? keyLine });
  }
  return { entries, problems };
}

/** A syntax error as a problem: own words for codes whose library message can quote the text. */
function syntaxProblem(error: YAMLError, lines: LineCounter): ConfigProblem {
  const pos = lines.linePos(error.pos[0]);
  const safe = [
    'MISSING_CHAR',
    'BAD_INDENT',
    'BLOCK_AS_IMPLICIT_KEY',
    'MULTILINE_IMPLICIT_KEY',
    'MULTIPLE_DOCS',
    'KEY_OVER_1024_CHARS',
    'BLOCK_IN_FLOW',
  ];
  const own: Record<string, [string, string]> = {
    TAB_AS_INDENT: ['a tab is used for indentation', 'indent with spaces'],
    BAD_DQ_ESCAPE: ['invalid escape sequence in a "double-quoted" value', "use 'single quotes' for values with backslashes"],
  };
  const [what, hint] = safe.includes(error.code)
    ? [error.message.replace(/\.$/, ''), 'check the indentation, colons and quotes on this line']
    : (own[error.code] ?? ['unexpected text', 'check the indentation, colons and quotes on this line']);
  return { line: pos.line, message: `YAML syntax error at column ${pos.col}: ${what}`, hint };
}

function nodeLine(node: unknown, lineAt: (offset: number) => number): number | undefined {
  return isNode(node) && node.range ? lineAt(node.range[0]) : undefined;
}

/** Line of the deepest key of `keys` found under this entry; the entry's own line for []. */
function lineOfKeys(pair: Pair, keys: readonly string[], lineAt: (offset: number) => number): number | undefined {
  let line = nodeLine(pair.key, lineAt);
  let node: unknown = pair.value;
  for (const key of keys) {
    if (!isMap(node)) break;
    const item = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!item) break;
    line = nodeLine(item.key, lineAt) ?? line;
    node = item.value;
  }
  return line;
}

/** Keys written twice inside one printer's settings (the later one would silently win). */
function duplicateKeys(node: unknown, printer: string, lineAt: (offset: number) => number): ConfigProblem[] {
  if (!isMap(node)) return [];
  const seen = new Map<string, number | undefined>();
  const problems: ConfigProblem[] = [];
  for (const item of node.items) {
    if (!isScalar(item.key)) continue;
    const key = String(item.key.value);
    const line = nodeLine(item.key, lineAt);
    if (seen.has(key)) {
      const firstLine = seen.get(key);
      problems.push({
        printer,
        ...(line === undefined ? {} : { line }),
        message: `key "${key}" is written twice${firstLine === undefined ? '' : ` (first on line ${firstLine})`}`,
        hint: 'keep one of them',
      });
    } else seen.set(key, line);
  }
  return problems;
}
