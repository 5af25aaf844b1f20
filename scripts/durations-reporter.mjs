// node:test reporter that writes how long each test file took, as JSON ({ "dist/test/x.test.js": ms }),
// so the next run can start the slowest files first.

import path from 'node:path';

/** A test file's key in the timings: its path from the project folder, with forward slashes. */
export function timingKey(file) {
  return path.relative(process.cwd(), file).split(path.sep).join('/');
}

export default async function* durations(source) {
  const perFile = {};
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      const ms = Math.round(event.data.details?.duration_ms ?? 0);
      const key = timingKey(event.data.file);
      perFile[key] = (perFile[key] ?? 0) + ms;
    }
  }
  yield `${JSON.stringify(perFile, null, 2)}\n`;
}
