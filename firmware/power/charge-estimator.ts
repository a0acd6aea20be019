import { chargeFractionAt } from './charge-curve';

// What is left in the cell, from the two things the firmware knows: the
// voltage NRF.getBattery() measures, and a ledger of its own spending.
//
//  voltage estimate  capacity × curve(measured − tolerance), as of the last
//                    sample, less what was spent since (the curve only speaks
//                    at samples);
//  ledger estimate   an anchor (the first voltage estimate, or the one saved
//                    before a reset) less every task's estimate charged since,
//                    less a baseline current over time for what tasks do not count.
//
// The estimate is the lower of the two. Each covers the other's blind spot:
// the voltage is coarse on the flat middle of a Li-Po curve, reads high for a
// while after charging and says nothing between samples; the ledger cannot
// see a charger, the cell's real state, or spending it was not told about.
// The ledger is moved up to the voltage estimate only when that is clearly
// higher (recalibrateFraction of the capacity): a charger, not noise. So the
// estimate never exceeds what the voltage supports, and between samples it
// falls with every charge the firmware spends.

export interface EstimatorSettings {
  capacityMah: number;
  baselineUa: number;
  voltsToleranceV: number;
  recalibrateFraction: number;
}

// One estimator per strap, so its state is module variables and its operations
// module functions: no object, prototype or `__proto__` to keep in Espruino's RAM.

/** The capacity (µAs). */
export let capacityUas = 0;
/** The ledger's figure (µAs); NaN until the first sample when nothing was saved. */
export let ledgerUas = NaN;
/** The voltage's figure (µAs) from the last sample, less what was spent since. */
export let voltageUas = 0;
// Board time of the last update (s), and the settings copied (so that the object
// they came in need not stay in RAM): baselineUa, voltsToleranceV, recalibrateFraction.
let atS = 0;
let baselineUa = 0;
let toleranceV = 0;
let recalibrate = 0;

/** (Re)starts the estimator at `nowS`; `savedLedgerUas`: the ledger kept across a reset, if any. */
export function startEstimator(settings: EstimatorSettings, nowS: number, savedLedgerUas?: number): void {
  baselineUa = settings.baselineUa;
  toleranceV = settings.voltsToleranceV;
  recalibrate = settings.recalibrateFraction;
  capacityUas = settings.capacityMah * 3600000;
  ledgerUas = savedLedgerUas === undefined ? NaN : savedLedgerUas;
  voltageUas = capacityUas;
  atS = nowS;
}

/** A voltage sample (V). True when the ledger was moved up to it (a charger, most likely). */
export function sampleCharge(volts: number, nowS: number): boolean {
  // For its catching up.
  remainingUas(nowS);
  voltageUas = capacityUas * chargeFractionAt(volts - toleranceV);
  // NaN compares false: the first sample without a saved ledger anchors it.
  if (!(voltageUas <= ledgerUas + recalibrate * capacityUas)) {
    ledgerUas = voltageUas;
    return true;
  }
  return false;
}

/** Charge the firmware spent (µAs): off both figures. */
export function spendCharge(uas: number): void {
  ledgerUas -= uas;
  voltageUas -= uas;
}

/**
 * The estimate (µAs), never below zero; first the baseline current since the last update, off both figures.
 * Given `volts`, the estimate a sample of them at `nowS` would give, every figure left as it was (a status
 * between two samples must not move the estimate before the next real one).
 */
export function remainingUas(nowS: number, volts?: number): number {
  if (volts !== undefined) {
    const ledger = ledgerUas;
    const voltage = voltageUas;
    const at = atS;
    sampleCharge(volts, nowS);
    const left = remainingUas(nowS);
    ledgerUas = ledger;
    voltageUas = voltage;
    atS = at;
    return left;
  }
  if (nowS > atS) spendCharge(baselineUa * (nowS - atS));
  atS = nowS;
  // x === x is false only for NaN: no ledger yet, the voltage alone speaks.
  return Math.max(0, ledgerUas === ledgerUas ? Math.min(voltageUas, ledgerUas) : voltageUas);
}
