/**
 * The import rules of docs/architecture.md ("Folders"), checked by
 * `npm run deps` (part of `npm test`). Tests are held to the same table,
 * with the exceptions written next to each rule.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
const TEST = '\\.test\\.ts$|/testing/';
/** Modules built into Espruino, loaded with require() on the board. */
const ESPRUINO_MODULES = 'Storage|crypto|heatshrink';
/** The one module that knows where the build writes dist/strap.js. */
const BUILD_OUTPUTS = '^firmware/build/outputs\\.ts$';
const HOST_ONLY_STATECHARTS = '^firmware/statecharts/host/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import circles anywhere.', from: {}, to: { circular: true } },
    {
      name: 'protocols-import-nothing-of-the-project',
      severity: 'error',
      comment: 'protocols/ is pure: nothing of the project (and, below, no Node API outside its tests).',
      from: { path: '^protocols/' },
      to: { path: '^(firmware|sim|host-bridge|hil|cli|bench|testing|fuzz)/' },
    },
    {
      name: 'protocols-no-node',
      severity: 'error',
      from: { path: '^protocols/', pathNot: TEST },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'firmware-imports-only-firmware',
      severity: 'error',
      comment: 'The strap code runs on Espruino: one bundle of firmware/ modules and the board\'s own modules (require("Storage")).',
      from: { path: '^firmware/', pathNot: `^firmware/build/|${HOST_ONLY_STATECHARTS}|${TEST}` },
      to: { pathNot: `^firmware/|^(${ESPRUINO_MODULES})$` },
    },
    {
      name: 'firmware-never-imports-host-only-statecharts',
      severity: 'error',
      comment: 'Machine definitions are authored with xstate on the host; the strap runs their lowered tables.',
      from: { path: '^firmware/', pathNot: `^firmware/build/|${HOST_ONLY_STATECHARTS}|${TEST}` },
      to: { path: HOST_ONLY_STATECHARTS },
    },
    {
      name: 'firmware-tests-not-on-the-simulator',
      severity: 'error',
      comment: 'Tests under firmware/ test firmware modules; firmware on the virtual board is tested from sim/.',
      from: { path: '^firmware/' },
      to: { path: '^(sim|host-bridge|hil|cli|bench)/' },
    },
    {
      name: 'sim-imports-sim-protocols-and-the-build',
      severity: 'error',
      comment: 'sim/ may import sim/, protocols/, the build (its outputs) and statechart definitions for oracle tests.',
      from: { path: '^sim/' },
      to: { path: '^(host-bridge|hil|cli|bench)/' },
    },
    {
      name: 'sim-reads-firmware-only-through-the-build',
      severity: 'error',
      from: { path: '^sim/', pathNot: TEST },
      to: { path: '^firmware/', pathNot: `^firmware/build/|${HOST_ONLY_STATECHARTS}` },
    },
    {
      name: 'board-knows-no-device-models',
      severity: 'error',
      comment: 'Devices sit behind buses: sim/board owns the buses; models attach from outside.',
      from: { path: '^sim/board/' },
      to: { path: '^sim/', pathNot: '^sim/(board|clock)/' },
    },
    {
      name: 'host-bridge-talks-to-any-board',
      severity: 'error',
      comment: 'host-bridge/ never imports sim/ (nor hil/, the CLI, firmware/): it talks to a board over a transport.',
      from: { path: '^host-bridge/' },
      to: { path: '^(sim|hil|cli|bench|firmware)/', pathNot: BUILD_OUTPUTS },
    },
    {
      name: 'host-bridge-code-takes-the-bundle-as-a-parameter',
      severity: 'error',
      comment: 'Its tests may find the built bundle through the build outputs module; its code is given the bundle.',
      from: { path: '^host-bridge/', pathNot: TEST },
      to: { path: BUILD_OUTPUTS },
    },
    {
      name: 'hil-sim-only-in-rigs',
      severity: 'error',
      comment: 'hil/ reaches the virtual board only through its rig implementations (and tests).',
      from: { path: '^hil/', pathNot: `^hil/rigs/|${TEST}` },
      to: { path: '^sim/' },
    },
    {
      name: 'hil-not-cli-or-bench',
      severity: 'error',
      from: { path: '^hil/' },
      to: { path: '^(cli|bench)/' },
    },
    {
      name: 'nothing-imports-the-cli',
      severity: 'error',
      from: { path: '^(firmware|sim|protocols|host-bridge|hil|bench|fuzz|testing)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'nothing-imports-bench',
      severity: 'error',
      from: { pathNot: '^bench/' },
      to: { path: '^bench/' },
    },
    {
      name: 'fuzz-imports-sim-host-bridge-protocols',
      severity: 'error',
      comment: 'fuzz/ drives the virtual board (sim/) and the local API (host-bridge/) with inputs built from protocols/; the firmware only through the build.',
      from: { path: '^fuzz/' },
      to: { path: '^(hil|cli|bench)/|^firmware/(?!build/)' },
    },
    {
      name: 'nothing-imports-fuzz',
      severity: 'error',
      from: { pathNot: '^fuzz/' },
      to: { path: '^fuzz/' },
    },
    {
      name: 'test-support-only-in-tests',
      severity: 'error',
      comment: 'testing/ folders are for tests (and benches, and the fuzz suite, whose after-case checks drive the parts as their tests do); product code never imports them.',
      from: { pathNot: `${TEST}|^bench/|^fuzz/` },
      to: { path: '(^|/)testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'] },
  },
};
