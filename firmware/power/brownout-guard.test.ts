import { afterEach, describe, expect, it } from 'vitest';
import { SE_PEAK_MA } from './energy-figures';
import { DEFAULT_CONFIG } from './scheduler-config';
import { PAYMENT, SECURITY } from './task-classes';
import { recordedTask, startHarness, type Harness } from './testing/scheduler-harness';

// The brownout guard: an SE operation starts only when the measured voltage,
// less the tolerance, less the SE's peak current through the cell's internal
// resistance, stays above the brownout threshold.

const TAP = { cls: PAYMENT, energyUas: 23550, deadlineMs: 3000, radio: false, se: true, maxAttempts: 1 } as const;
// The rest voltage below which the default guard refuses: 3.0 V + 0.025 V + 26.1 mA × 0.5 Ω.
const GUARD_VOLTS = DEFAULT_CONFIG.brownoutVolts + DEFAULT_CONFIG.voltsToleranceV + (SE_PEAK_MA / 1000) * DEFAULT_CONFIG.internalResistanceOhm;

let harness: Harness | undefined;
afterEach(() => {
  harness?.close();
  harness = undefined;
});

describe('the brownout guard', () => {
  it('refuses a payment whose SE operation would sag the cell below the brownout threshold, with the reason', () => {
    harness = startHarness();
    harness.board.volts = GUARD_VOLTS - 0.002;
    const tap = recordedTask(harness, 'tap', TAP);
    expect(harness.scheduler.submit(tap.spec)).toBe('brownout');
    expect([tap.outcome, tap.reason, tap.runsAtMs]).toEqual(['refused', 'brownout', []]);
    expect(harness.scheduler.seOperationSafe()).toBe(false);
  });

  it('lets the payment through again once a charger has lifted the cell', () => {
    harness = startHarness();
    harness.board.volts = GUARD_VOLTS - 0.002;
    expect(harness.scheduler.submit(recordedTask(harness, 'tap 1', TAP).spec)).toBe('brownout');
    // Charging: the voltage climbs (a few minutes at 60 mA into the 120 mAh cell).
    harness.board.volts = 3.62;
    harness.board.advance(60_000);
    const tap = recordedTask(harness, 'tap 2', TAP);
    expect(harness.scheduler.submit(tap.spec)).toBe('');
    expect([tap.outcome, tap.runsAtMs]).toEqual(['done', [60_000]]);
    expect(harness.log).toEqual(['tap 1 refused (brownout)', 'tap 2 run @60000', 'tap 2 done']);
  });

  it('counts the internal resistance: a cell that passes at 0.5 Ω is refused at 2 Ω', () => {
    harness = startHarness();
    harness.board.volts = 3.06;
    expect(harness.scheduler.seOperationSafe()).toBe(true);
    harness.close();
    harness = startHarness({ config: { internalResistanceOhm: 2 } });
    harness.board.volts = 3.06;
    expect(harness.scheduler.seOperationSafe()).toBe(false);
    // 3.06 − 0.025 − 0.0261 A × 2 Ω = 2.98 V: below the 3.0 V threshold.
    expect(harness.scheduler.submit(recordedTask(harness, 'tap', TAP).spec)).toBe('brownout');
  });

  it('checks a bigger peak (the haptic motor) against the same cell', () => {
    harness = startHarness();
    // 3.06 − 0.025 − 26.1 mA × 0.5 Ω = 3.022 V; with the motor's 74 mA, 2.998 V.
    harness.board.volts = 3.06;
    expect(harness.scheduler.seOperationSafe()).toBe(true);
    expect(harness.scheduler.seOperationSafe(74)).toBe(false);
  });

  it('holds an SE task of another class until the cell recovers, instead of refusing it', () => {
    // No shedding here, so that only the guard decides; the task's own peak (400 mA × 0.5 Ω = 0.2 V) trips it at 3.225 V.
    harness = startHarness({ thresholds: { telP: -1, savP: -1, usrP: -1, resP: -1, hysP: 0 } });
    harness.board.volts = 3.2;
    harness.board.advance(60_000);
    const rekey = recordedTask(harness, 'rekey', { cls: SECURITY, energyUas: 5000, deadlineMs: 600_000, radio: false, se: true, peakMa: 400 });
    expect(harness.scheduler.submit(rekey.spec)).toBe('');
    harness.board.advance(120_000);
    expect(rekey.runsAtMs).toEqual([]);
    harness.board.volts = 3.7;
    harness.board.advance(60_000);
    expect([rekey.outcome, rekey.runsAtMs]).toEqual(['done', [240_000]]);
  });
});
