import { afterEach, describe, expect, it } from 'vitest';
import { shedLevelAfter, type PowerModeContext } from '../statecharts/power-mode.model';
import { PAYMENT, SECURITY, SYNC, TELEMETRY, USER_FACING, type TaskClass } from './task-classes';
import { recordedTask, startHarness, voltsFor, type Harness } from './testing/scheduler-harness';

// Shedding by the power mode's shed level (power-mode.model.ts): thresholds
// 30 / 20 / 10 / 5 % for telemetry / sync / user-facing / security, 5 %
// hysteresis on the way back, a charger restoring everything.

const CLASSES: TaskClass[] = [PAYMENT, SECURITY, USER_FACING, SYNC, TELEMETRY];
const NAMES = ['payment', 'security', 'user-facing', 'sync', 'telemetry'];

let harness: Harness | undefined;
afterEach(() => {
  harness?.close();
  harness = undefined;
});

/** The cell at `percent` (as the estimator will read it), sampled now. */
function cellAt(h: Harness, percent: number): void {
  h.board.volts = voltsFor(percent);
  h.scheduler.sample();
}

/** Which classes a new (small, non-radio) task is refused for, by name. */
function refusedClasses(h: Harness): string[] {
  return CLASSES.filter((cls) => h.scheduler.submit(recordedTask(h, 'probe', { cls, energyUas: 10, deadlineMs: 1000, radio: false }).spec) === 'shed').map((cls) => NAMES[cls]!);
}

describe('shedding', () => {
  it('sheds telemetry, then sync, then user-facing, then security as the charge falls, and never payment', () => {
    const modeCalls: string[] = [];
    harness = startHarness({ powerActions: (name) => (name === 'shedBackgroundWork' ? modeCalls.push('saver') : name === 'shedAllButPayment' ? modeCalls.push('reserve only') : 0) });
    const seen: Array<[number, number, string, string[]]> = [];
    for (const percent of [40, 29, 19, 9, 4, 0.5]) {
      cellAt(harness, percent);
      const status = harness.scheduler.status();
      seen.push([percent, status.shed, status.mode, refusedClasses(harness)]);
    }
    expect(seen).toEqual([
      [40, 0, 'normal', []],
      [29, 1, 'normal', ['telemetry']],
      [19, 2, 'saver', ['sync', 'telemetry']],
      [9, 3, 'saver', ['user-facing', 'sync', 'telemetry']],
      [4, 4, 'reserveOnly', ['security', 'user-facing', 'sync', 'telemetry']],
      [0.5, 4, 'reserveOnly', ['security', 'user-facing', 'sync', 'telemetry']],
    ]);
    expect(modeCalls).toEqual(['saver', 'reserve only']);
  });

  it('sheds the queued tasks of a class when the cell crosses its threshold, keeping the others', () => {
    harness = startHarness();
    const telemetry = recordedTask(harness, 'telemetry', { cls: TELEMETRY, energyUas: 100, deadlineMs: 3_600_000, radio: true });
    const sync = recordedTask(harness, 'sync', { cls: SYNC, energyUas: 3000, deadlineMs: 3_600_000, radio: true });
    const userFacing = recordedTask(harness, 'user-facing', { cls: USER_FACING, energyUas: 100, deadlineMs: 3_600_000, radio: true });
    for (const task of [telemetry, sync, userFacing]) expect(harness.scheduler.submit(task.spec)).toBe('');
    cellAt(harness, 19);
    expect(harness.log).toEqual(['telemetry shed (shed)', 'sync shed (shed)']);
    expect(harness.scheduler.status().tasks).toBe(1);
    // The user-facing one still runs in the next window.
    harness.board.advance(15 * 60_000);
    expect(userFacing.outcome).toBe('done');
  });
});

describe('restoring with hysteresis', () => {
  it('keeps a class shed until the charge is 5 % above its threshold, however the cell hovers', () => {
    harness = startHarness();
    cellAt(harness, 29);
    const shedLevels: number[] = [];
    for (const percent of [31, 29.5, 33, 30.5, 34.9]) {
      cellAt(harness, percent);
      shedLevels.push(harness.scheduler.status().shed);
    }
    expect(shedLevels).toEqual([1, 1, 1, 1, 1]);
    cellAt(harness, 35.2);
    expect(harness.scheduler.status().shed).toBe(0);
    expect(refusedClasses(harness)).toEqual([]);
  });

  it('leaves saver mode only at 25 %, and reserve-only at 10 % (to saver) or 25 % (to normal)', () => {
    harness = startHarness();
    const modes: string[] = [];
    for (const percent of [19, 24, 25.5, 4, 9, 10.5, 4, 26]) {
      cellAt(harness, percent);
      modes.push(percent + ': ' + harness.scheduler.status().mode + ' ' + harness.scheduler.status().shed);
    }
    expect(modes).toEqual(['19: saver 2', '24: saver 2', '25.5: normal 1', '4: reserveOnly 4', '9: reserveOnly 4', '10.5: saver 3', '4: reserveOnly 4', '26: normal 1']);
  });

  it('restores every class at once when a charger is on, straight from reserve-only to normal', () => {
    let charging = false;
    harness = startHarness({ charging: () => charging });
    cellAt(harness, 4);
    expect(harness.scheduler.status()).toMatchObject({ mode: 'reserveOnly', shed: 4 });
    charging = true;
    cellAt(harness, 4.5);
    expect(harness.scheduler.status()).toMatchObject({ mode: 'normal', shed: 0 });
    expect(refusedClasses(harness)).toEqual([]);
    // Unplugged while still low: shed again at the next sample.
    charging = false;
    cellAt(harness, 4.5);
    expect(harness.scheduler.status()).toMatchObject({ mode: 'reserveOnly', shed: 4 });
  });

  it('follows one rule for the mode and the rungs (the model function, table by table)', () => {
    const context: PowerModeContext = { telP: 30, savP: 20, usrP: 10, resP: 5, hysP: 5, shed: 0, pct: 100, chg: false };
    const rows: Array<[number, number, number]> = [
      [0, 31, 0], [0, 30, 1], [0, 20, 2], [0, 10, 3], [0, 5, 4], [0, 0, 4],
      [1, 34, 1], [1, 35, 0], [2, 24, 2], [2, 26, 1], [2, 36, 0], [4, 9, 4], [4, 10, 3], [4, 15, 2], [4, 40, 0],
    ];
    expect(rows.map(([level, percent]) => shedLevelAfter({ ...context, shed: level }, percent, false))).toEqual(rows.map((row) => row[2]));
    expect(shedLevelAfter({ ...context, shed: 4 }, 1, true)).toBe(0);
  });
});
