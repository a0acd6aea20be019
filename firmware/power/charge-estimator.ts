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

export class ChargeEstimator {
  readonly capacityUas: number;
  /** The ledger's figure (µAs); NaN until the first sample when nothing was saved. */
  ledgerUas: number;
  /** The voltage's figure (µAs) from the last sample, less what was spent since. */
  voltageUas: number;
  // Short private names: terser keeps property names as written. The settings
  // are copied, so that the object they came in need not stay in RAM.
  /** Board time of the last update (s). */
  private t: number;
  /** EstimatorSettings.baselineUa. */
  private readonly b: number;
  /** EstimatorSettings.voltsToleranceV. */
  private readonly v: number;
  /** EstimatorSettings.recalibrateFraction. */
  private readonly r: number;

  /** `savedLedgerUas`: the ledger kept across a reset, if any. */
  constructor(settings: EstimatorSettings, nowS: number, savedLedgerUas?: number) {
    this.b = settings.baselineUa;
    this.v = settings.voltsToleranceV;
    this.r = settings.recalibrateFraction;
    this.capacityUas = settings.capacityMah * 3600000;
    this.ledgerUas = savedLedgerUas === undefined ? NaN : savedLedgerUas;
    this.voltageUas = this.capacityUas;
    this.t = nowS;
  }

  /** A voltage sample (V). True when the ledger was moved up to it (a charger, most likely). */
  sample(volts: number, nowS: number): boolean {
    // For its catching up (one method fewer to keep in RAM).
    this.remainingUas(nowS);
    this.voltageUas = this.capacityUas * chargeFractionAt(volts - this.v);
    // NaN compares false: the first sample without a saved ledger anchors it.
    if (!(this.voltageUas <= this.ledgerUas + this.r * this.capacityUas)) {
      this.ledgerUas = this.voltageUas;
      return true;
    }
    return false;
  }

  /** Charge the firmware spent (µAs): off both figures. */
  spend(uas: number): void {
    this.ledgerUas -= uas;
    this.voltageUas -= uas;
  }

  /** The estimate (µAs), never below zero; first the baseline current since the last update, off both figures. */
  remainingUas(nowS: number): number {
    if (nowS > this.t) this.spend(this.b * (nowS - this.t));
    this.t = nowS;
    // x === x is false only for NaN: no ledger yet, the voltage alone speaks.
    return Math.max(0, this.ledgerUas === this.ledgerUas ? Math.min(this.voltageUas, this.ledgerUas) : this.voltageUas);
  }
}
