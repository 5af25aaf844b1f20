// Reads the compact dry run back as one line per printer: a shared plan ("a, b (same plan): ...",
// then indented details) becomes "a: ..." and "b: ..." lines, so tests can match per printer.

export function perPrinter(stdout: string): string {
  const out: string[] = [];
  let group: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const shared = /^(.+) \(same plan\): (.*)$/.exec(line);
    if (shared) {
      group = shared[1]!.split(', ');
      for (const name of group) out.push(`${name}: ${shared[2]}`);
    } else if (group && line.startsWith('    ')) {
      for (const name of group) out.push(`${name}: ${line.trim()}`);
    } else {
      group = undefined;
      out.push(line);
    }
  }
  return out.join('\n');
}
