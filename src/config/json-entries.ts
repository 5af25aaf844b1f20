// Reads a printers.json that JSON.parse already accepted into top-level entries that remember the line
// of every key, as the YAML reader does for printers.yml, without loading the YAML parser.

import type { ConfigProblem } from './problems.js';
import type { RawEntry } from './values.js';

/** Entries in file order (a name written twice gives two entries) and keys written twice in one entry. */
export function readJsonEntries(text: string): { entries: RawEntry[]; problems: ConfigProblem[] } {
  const scanner = new Scanner(text);
  const entries: RawEntry[] = [];
  const problems: ConfigProblem[] = [];
  scanner.space();
  scanner.expect('{');
  scanner.space();
  if (scanner.peek() === '}') return { entries, problems };
  for (;;) {
    scanner.space();
    const nameLine = scanner.line();
    const name = scanner.string();
    scanner.space();
    scanner.expect(':');
    scanner.space();
    const start = scanner.offset();
    // Lines of the keys inside this entry, by key path ("host", "include\0…" for deeper ones).
    const keyLines = new Map<string, number>();
    const seen = new Map<string, number>();
    scanner.value([], (path, line) => {
      const id = path.join('\0');
      if (path.length === 1) {
        const first = seen.get(id);
        if (first !== undefined) {
          problems.push({
            printer: name,
            line,
            message: `key "${path[0]}" is written twice (first on line ${first})`,
            hint: 'keep one of them',
          });
        } else seen.set(id, line);
      }
      if (!keyLines.has(id)) keyLines.set(id, line);
    });
    const value: unknown = JSON.parse(text.slice(start, scanner.offset()));
    entries.push({
      name,
      value,
      lineOf: (keys) => {
        let line = nameLine;
        for (let depth = 1; depth <= keys.length; depth++) {
          const found = keyLines.get(keys.slice(0, depth).join('\0'));
          if (found === undefined) break;
          line = found;
        }
        return line;
      },
    });
    scanner.space();
    if (scanner.peek() === ',') {
      scanner.expect(',');
      continue;
    }
    scanner.expect('}');
    return { entries, problems };
  }
}

/** Walks valid JSON text; reports each object key with its path and line. */
class Scanner {
  private i = 0;
  private lineNo = 1;

  constructor(private readonly text: string) {}

  offset(): number {
    return this.i;
  }

  line(): number {
    return this.lineNo;
  }

  peek(): string | undefined {
    return this.text[this.i];
  }

  space(): void {
    for (;;) {
      const c = this.text[this.i];
      if (c === '\n') this.lineNo++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') return;
      this.i++;
    }
  }

  expect(char: string): void {
    if (this.text[this.i] !== char) throw new Error(`JSON scan: expected ${char} at ${this.i}`);
    this.i++;
  }

  /** A string token, decoded (JSON strings hold no raw line breaks). */
  string(): string {
    const start = this.i;
    this.expect('"');
    while (this.text[this.i] !== '"') this.i += this.text[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.text.slice(start, this.i)) as string;
  }

  value(path: string[], onKey: (path: string[], line: number) => void): void {
    const c = this.text[this.i];
    if (c === '{') {
      this.i++;
      this.space();
      if (this.peek() === '}') return void this.i++;
      for (;;) {
        this.space();
        const line = this.lineNo;
        const key = this.string();
        onKey([...path, key], line);
        this.space();
        this.expect(':');
        this.space();
        this.value([...path, key], onKey);
        this.space();
        if (this.peek() === ',') this.i++;
        else return this.expect('}');
      }
    }
    if (c === '[') {
      this.i++;
      this.space();
      if (this.peek() === ']') return void this.i++;
      for (;;) {
        this.space();
        this.value(path, onKey);
        this.space();
        if (this.peek() === ',') this.i++;
        else return this.expect(']');
      }
    }
    if (c === '"') return void this.string();
    // A number, true, false or null: up to the next delimiter.
    while (this.i < this.text.length && !',}] \t\r\n'.includes(this.text[this.i]!)) this.i++;
  }
}
