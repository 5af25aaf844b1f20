// The layering of src/ (docs/architecture.md), checked by `npm run lint`. Each layer imports only itself and the layers below:
// bin → cli → run flow (run/, watch/, pull/) → plan · execute · record · report → printer · source · config → types · errors.
// The simulator stands apart: it imports nothing from the client, and only the CLI (simulate, demo) imports it.

const BASE = '^src/(types|errors|version)\\.ts$';
const LOW = '^src/(printer|source|config)/';
const MIDDLE = '^src/(plan|execute|record|report|local|backup)/';
const FLOW = '^src/(run|watch|pull)/';
const CLI = '^src/cli/';

module.exports = {
  forbidden: [
    {
      name: 'cli-only-from-bin',
      comment: 'cli/ is the command line: only bin.ts (and cli/ itself) may import it, so the library never loads commander.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${CLI}|^src/bin\\.ts$` },
      to: { path: CLI },
    },
    {
      name: 'nothing-imports-bin',
      comment: 'bin.ts is the process entry point.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/bin\\.ts$' },
    },
    {
      name: 'flow-only-from-above',
      comment: 'The run flow (sync, per printer) composes the layers below it; they never call back up into it.',
      severity: 'error',
      from: { path: `${BASE}|${LOW}|${MIDDLE}` },
      to: { path: FLOW },
    },
    {
      name: 'plan-execute-record-report-only-from-above',
      comment: 'printer, source, config, types and errors do not import plan, execute, record or report.',
      severity: 'error',
      from: { path: `${BASE}|${LOW}` },
      to: { path: MIDDLE },
    },
    {
      name: 'printer-source-config-only-from-above',
      comment: 'types, errors and version are the bottom layer.',
      severity: 'error',
      from: { path: BASE },
      to: { path: LOW },
    },
    {
      name: 'simulator-stands-alone',
      comment: 'The simulator is a printer, not a client: it imports nothing from the rest of src/.',
      severity: 'error',
      from: { path: '^src/simulator/' },
      to: { path: '^src/', pathNot: '^src/simulator/' },
    },
    {
      name: 'client-does-not-load-the-simulator',
      comment: 'Only the CLI commands simulate and demo start simulated printers.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${CLI}|^src/simulator/` },
      to: { path: '^src/simulator/' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle between modules blurs which one is the lower layer (cycles through type-only imports cost nothing at run time).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
