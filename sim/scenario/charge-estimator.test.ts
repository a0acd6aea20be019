import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../clock/seeded-random';
import { chargeFractionAt } from '../../firmware/power/charge-curve';
import * as estimator from '../../firmware/power/charge-estimator';
import { voltsFor as voltsAtPercent } from '../../firmware/power/testing/scheduler-harness';

// The estimate of the charge left: the lower of the voltage's figure and the
// ledger's, the ledger moved up only when the voltage shows clearly more.

const SETTINGS = { capacityMah: 120, baselineUa: 20, voltsToleranceV: 0.025, recalibrateFraction: 0.05 };
const CAPACITY_UAS = 120 * 3_600_000;
const PERCENT_UAS = CAPACITY_UAS / 100;

const voltsFor = (percent: number) => voltsAtPercent(percent, SETTINGS.voltsToleranceV);

describe('the charge curve', () => {
  it('is the app battery curve (firmware/power/battery.ts) without the rounding', async () => {
    // A computed specifier keeps the host type-check out of the app's Espruino-only module.
    const battery = (await import('../../firmware/power/' + 'battery')) as { lipoPercent(volts: number): number };
    for (let millivolts = 2900; millivolts <= 4300; millivolts++) {
      const volts = millivolts / 1000;
      expect(Math.round(chargeFractionAt(volts) * 100)).toBe(battery.lipoPercent(volts));
    }
  });
});

describe('the charge estimator', () => {
  it('anchors the ledger at the first sample and takes every spend off both figures', () => {
    estimator.startEstimator({ ...SETTINGS, baselineUa: 0 }, 0);
    estimator.sampleCharge(voltsFor(50), 0);
    expect(estimator.remainingUas(0)).toBeCloseTo(50 * PERCENT_UAS, 0);
    estimator.spendCharge(1_000_000);
    expect(estimator.remainingUas(0)).toBeCloseTo(50 * PERCENT_UAS - 1_000_000, 0);
  });

  it('follows a voltage that reads lower than the ledger, and comes back to the ledger when it recovers', () => {
    estimator.startEstimator({ ...SETTINGS, baselineUa: 0 }, 0);
    estimator.sampleCharge(voltsFor(50), 0);
    estimator.sampleCharge(voltsFor(45), 60);
    expect(estimator.remainingUas(60)).toBeCloseTo(45 * PERCENT_UAS, 0);
    estimator.sampleCharge(voltsFor(53), 120);
    expect(estimator.remainingUas(120)).toBeCloseTo(50 * PERCENT_UAS, 0);
  });

  it('believes a higher voltage only beyond 5 % of the capacity: then it moves the ledger up (a charger)', () => {
    estimator.startEstimator({ ...SETTINGS, baselineUa: 0 }, 0);
    estimator.sampleCharge(voltsFor(50), 0);
    estimator.spendCharge(20 * PERCENT_UAS);
    expect(estimator.sampleCharge(voltsFor(34.9), 60)).toBe(false);
    expect(estimator.remainingUas(60)).toBeCloseTo(30 * PERCENT_UAS, 0);
    expect(estimator.sampleCharge(voltsFor(35.1), 120)).toBe(true);
    expect(estimator.remainingUas(120)).toBeCloseTo(35.1 * PERCENT_UAS, 0);
  });

  it('takes the baseline current off over time', () => {
    estimator.startEstimator(SETTINGS, 0);
    estimator.sampleCharge(voltsFor(50), 0);
    expect(estimator.remainingUas(3600)).toBeCloseTo(50 * PERCENT_UAS - 20 * 3600, 0);
  });

  it('starts from a saved ledger, and never above what the voltage says', () => {
    estimator.startEstimator({ ...SETTINGS, baselineUa: 0 }, 0, 40 * PERCENT_UAS);
    estimator.sampleCharge(voltsFor(42), 0);
    expect(estimator.remainingUas(0)).toBeCloseTo(40 * PERCENT_UAS, 0);
    estimator.startEstimator({ ...SETTINGS, baselineUa: 0 }, 0, 40 * PERCENT_UAS);
    estimator.sampleCharge(voltsFor(20), 0);
    expect(estimator.remainingUas(0)).toBeCloseTo(20 * PERCENT_UAS, 0);
  });

  it('reads what a sample would give without taking it: the figures stay as they were', () => {
    estimator.startEstimator(SETTINGS, 0);
    estimator.sampleCharge(voltsFor(50), 0);
    expect(estimator.remainingUas(3600, voltsFor(30))).toBeCloseTo(30 * PERCENT_UAS, 0);
    expect(estimator.ledgerUas).toBeCloseTo(50 * PERCENT_UAS, 0);
    expect(estimator.voltageUas).toBeCloseTo(50 * PERCENT_UAS, 0);
    // The baseline since the last update is still to be taken, as if nothing had been read.
    expect(estimator.remainingUas(3600)).toBeCloseTo(50 * PERCENT_UAS - 20 * 3600, 0);
  });

  it('never exceeds the voltage figure nor the ledger, over random samples and spending', () => {
    const random = new SeededRandom('estimator');
    for (let run = 0; run < 50; run++) {
      estimator.startEstimator(SETTINGS, 0);
      estimator.sampleCharge(3.0 + random.next() * 1.25, 0);
      let nowS = 0;
      for (let step = 0; step < 100; step++) {
        nowS += random.int(1, 600);
        if (random.next() < 0.5) estimator.sampleCharge(3.0 + random.next() * 1.25, nowS);
        else estimator.spendCharge(random.int(0, 2_000_000));
        const remaining = estimator.remainingUas(nowS);
        expect(remaining).toBeLessThanOrEqual(Math.max(0, estimator.voltageUas) + 1e-6);
        expect(remaining).toBeLessThanOrEqual(Math.max(0, estimator.ledgerUas) + 1e-6);
        expect(remaining).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
