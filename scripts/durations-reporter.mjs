// node:test reporter that writes how long each test file took, as JSON ({ "dist/test/x.test.js": ms }),
// so the next run can start the slowest files first.

export default async function* durations(source) {
  const perFile = {};
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      const ms = event.data.details?.duration_ms ?? 0;
      perFile[event.data.file] = (perFile[event.data.file] ?? 0) + ms;
    }
  }
  yield JSON.stringify(perFile);
}
