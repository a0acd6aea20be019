import { describe, expect, it } from 'vitest';
import { checkFirmwareSource, formatProblem } from './build';

// What firmware code may import, as the bundle enforces it
// (statechart-import-guard.ts, feature-import-guard.ts). What any file under
// firmware/ may import at all is a rule of `npm run deps` (.dependency-cruiser.cjs).

/** The problems of a one-line module at `fileName` that imports `specifier` and uses it. */
async function importing(fileName: string, line: string): Promise<string[]> {
  const result = await checkFirmwareSource(`${line}\n(globalThis as any).x = imported;\n`, { fileName });
  return result.problems.map(formatProblem);
}

describe('the statechart import guard', () => {
  it('refuses xstate, naming where machines are authored', async () => {
    expect(await importing('firmware/payments/xstate.fixture.ts', "import { setup as imported } from 'xstate';")).toEqual([
      "firmware/payments/xstate.fixture.ts:1:35: bundle: 'xstate' cannot run on the strap (it needs Map, Set, Symbol and about 39 KB): author machines in firmware/statecharts/host/*.machine.ts and run their generated tables with createTableActor",
    ]);
  });

  it('refuses anything under statecharts/host/ (authoring helpers, oracles), not only machines', async () => {
    expect(await importing('firmware/payments/oracle.fixture.ts', "import { FakeClock as imported } from '../statecharts/host/testing/fake-clock';")).toEqual([
      "firmware/payments/oracle.fixture.ts:1:39: bundle: '../statecharts/host/testing/fake-clock' is under firmware/statecharts/host/, which is host only (xstate authoring, oracles, fixtures): firmware code imports the runtime, the tables and the models",
    ]);
    expect(await importing('firmware/power/machine.fixture.ts', "import { powerModeMachine as imported } from '../statecharts/host/power-mode.machine';")).toEqual([
      "firmware/power/machine.fixture.ts:1:46: bundle: '../statecharts/host/power-mode.machine' is an xstate machine, which stays on the host: import its generated table '../statecharts/tables/power-mode.table' and run it with createTableActor",
    ]);
  });

  it('lets firmware code import the tables and the models both sides share', async () => {
    expect(await importing('firmware/payments/model.fixture.ts', "import { paymentSessionUpdate as imported } from '../statecharts/payment-session.model';")).toEqual([]);
    expect(await importing('firmware/power/table.fixture.ts', "import { powerModeTable as imported } from '../statecharts/tables/power-mode.table';")).toEqual([]);
  });
});

describe('the feature import guard', () => {
  it("refuses a feature's import of another feature's code", async () => {
    expect(await importing('firmware/payments/power.fixture.ts', "import { readBattery as imported } from '../power/battery';")).toEqual([
      "firmware/payments/power.fixture.ts:1:41: bundle: '../power/battery' is in firmware/power/: firmware/payments/ is a feature: it may import another feature's types (import type), never its code; boot/ passes it what it needs",
    ]);
  });

  it("lets a feature name another feature's types", async () => {
    const result = await checkFirmwareSource(
      "import type { BatteryReading } from '../power/battery';\nconst reading: BatteryReading = { percent: 1, volts: 3.7 };\n(globalThis as any).x = reading;\n",
      { fileName: 'firmware/console/types.fixture.ts' },
    );
    expect(result.problems.map(formatProblem)).toEqual([]);
  });

  it('refuses a shared layer importing a feature, and anyone but main.ts importing boot/', async () => {
    expect(await importing('firmware/ui/power.fixture.ts', "import { readBattery as imported } from '../power/battery';")).toEqual([
      "firmware/ui/power.fixture.ts:1:41: bundle: '../power/battery' is in firmware/power/: firmware/ui/ is a shared layer: it imports only board/, statecharts/, drivers/, ui/",
    ]);
    expect(await importing('firmware/console/boot.fixture.ts', "import { FIRMWARE_NAME as imported } from '../boot/version';")).toEqual([
      "firmware/console/boot.fixture.ts:1:43: bundle: '../boot/version' is in firmware/boot/: firmware/console/ is a feature: it may import another feature's types (import type), never its code; boot/ passes it what it needs",
    ]);
  });

  it('lets boot/ import every feature, and features the shared layers', async () => {
    expect(await importing('firmware/boot/power.fixture.ts', "import { readBattery as imported } from '../power/battery';")).toEqual([]);
    expect(await importing('firmware/payments/ui.fixture.ts', "import { flash as imported } from '../ui/led';")).toEqual([]);
  });
});
