// The import rules of docs/architecture.md, as .dependency-cruiser.cjs encodes
// them (`npm run deps` holds the repository to them): each rule is shown
// refusing a small house that breaks it, and letting through its allowed case.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cruise, type IForbiddenRuleType } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { forbidden } = require('../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[] };

const houses: string[] = [];
afterAll(() => houses.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The rules broken by a house of `files` (path → source), as `from → to: rule`. */
async function violations(files: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'house-'));
  houses.push(dir);
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), source);
  }
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const result = await cruise(['.'], { ruleSet: { forbidden }, validate: true, tsPreCompilationDeps: true, baseDir: dir });
    if (typeof result.output === 'string') throw new Error('dependency-cruiser answered text');
    return result.output.summary.violations.map((v) => `${v.from} → ${v.to}: ${v.rule.name}`).sort();
  } finally {
    process.chdir(cwd);
  }
}

const exporting = 'export const value = 1;\n';
const importing = (from: string) => `import { value } from '${from}';\nexport const used = value;\n`;

describe('the import rules', () => {
  it('host-bridge never imports the simulator', async () => {
    expect(await violations({ 'sim/board/board.ts': exporting, 'host-bridge/link.ts': importing('../sim/board/board') })).toEqual([
      'host-bridge/link.ts → sim/board/board.ts: host-bridge-talks-to-any-board',
    ]);
  });

  it('the firmware imports only the firmware; its tests may use protocols/, never sim/', async () => {
    expect(
      await violations({
        'protocols/frame.ts': exporting,
        'sim/clock/clock.ts': exporting,
        'firmware/power/battery.ts': importing('../../protocols/frame'),
        'firmware/power/battery.test.ts': importing('../../protocols/frame'),
        'firmware/power/clock.test.ts': importing('../../sim/clock/clock'),
      }),
    ).toEqual([
      'firmware/power/battery.ts → protocols/frame.ts: firmware-imports-only-firmware',
      'firmware/power/clock.test.ts → sim/clock/clock.ts: firmware-tests-not-on-the-simulator',
    ]);
  });

  it('no firmware module imports a host-only statechart definition', async () => {
    expect(await violations({ 'firmware/statecharts/host/pay.machine.ts': exporting, 'firmware/payments/session.ts': importing('../statecharts/host/pay.machine') })).toEqual([
      'firmware/payments/session.ts → firmware/statecharts/host/pay.machine.ts: firmware-never-imports-host-only-statecharts',
    ]);
  });

  it('protocols/ is pure: no Node API and nothing of the project', async () => {
    expect(
      await violations({
        'sim/clock/clock.ts': exporting,
        'protocols/crc.ts': "import { crc32 } from 'node:zlib';\nexport const crc = crc32;\n",
        'protocols/frame.ts': importing('../sim/clock/clock'),
      }),
    ).toEqual(['protocols/crc.ts → zlib: protocols-no-node', 'protocols/frame.ts → sim/clock/clock.ts: protocols-import-nothing-of-the-project']);
  });

  it('the board knows no device models; they attach to it', async () => {
    expect(await violations({ 'sim/power/cell.ts': exporting, 'sim/board/board.ts': importing('../power/cell'), 'sim/power/model.ts': importing('../board/board') })).toEqual([
      'sim/board/board.ts → sim/power/cell.ts: board-knows-no-device-models',
    ]);
  });

  it('hil/ reaches the simulator only from its rigs', async () => {
    expect(await violations({ 'sim/board/board.ts': exporting, 'hil/rigs/virtual/rig.ts': importing('../../../sim/board/board'), 'hil/scenarios/boot.ts': importing('../../sim/board/board') })).toEqual([
      'hil/scenarios/boot.ts → sim/board/board.ts: hil-sim-only-in-rigs',
    ]);
  });

  it('nothing imports the CLI, and product code never imports test support', async () => {
    expect(
      await violations({
        'cli/cli.ts': exporting,
        'testing/until.ts': exporting,
        'sim/run.ts': importing('../cli/cli'),
        'host-bridge/link.ts': importing('../testing/until'),
        'host-bridge/link.test.ts': importing('../testing/until'),
      }),
    ).toEqual([
      'host-bridge/link.ts → testing/until.ts: test-support-only-in-tests',
      'sim/run.ts → cli/cli.ts: nothing-imports-the-cli',
      'sim/run.ts → cli/cli.ts: sim-imports-sim-protocols-and-the-build',
    ]);
  });

  it('no import circles', async () => {
    expect(await violations({ 'sim/clock/a.ts': "import { b } from './b';\nexport const a = b;\n", 'sim/clock/b.ts': "import { a } from './a';\nexport const b = () => a;\n" })).toEqual([
      'sim/clock/a.ts → sim/clock/b.ts: no-circular',
    ]);
  });
});
