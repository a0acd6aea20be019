/**
 * A single Li-Po cell, small on purpose: capacity, state of charge, an
 * open-circuit voltage curve, and an internal resistance that makes the
 * terminal voltage sag under load. (A later power model drives `loadCurrentMa`
 * and calls `drainFor`.)
 *
 * OCV curve: interior points are the 20 °C open-circuit-voltage table of a
 * Li-ion polymer phone cell published in the Linux kernel's device-tree
 * bindings (Documentation/devicetree/bindings/power/supply/sc27xx-fg.yaml,
 * example `ocv-capacity-table-0`, and arch/arm64/boot/dts/sprd/sp9860g-1h10.dts,
 * which also gives its internal resistance, 250000 µΩ). The end points are
 * moved to the usual 4.20 V end-of-charge and 3.00 V cut-off of a 4.2 V Li-Po,
 * so the curve spans 3.0–4.2 V.
 */
export interface LiPoCellOptions {
  capacityMah?: number;
  /** 0..1. */
  stateOfCharge?: number;
  internalResistanceOhm?: number;
}

/** [state of charge %, open-circuit volts], ascending. */
const OCV_TABLE: ReadonlyArray<readonly [number, number]> = [
  [0, 3.0],
  [5, 3.605],
  [10, 3.68],
  [15, 3.724],
  [20, 3.752],
  [25, 3.765],
  [30, 3.77],
  [35, 3.773],
  [40, 3.777],
  [45, 3.787],
  [50, 3.805],
  [55, 3.835],
  [60, 3.864],
  [65, 3.889],
  [70, 3.917],
  [75, 3.949],
  [80, 3.983],
  [85, 4.022],
  [90, 4.066],
  [95, 4.113],
  [100, 4.2],
];

export class LiPoCell {
  readonly capacityMah: number;
  internalResistanceOhm: number;
  /** Current drawn from the cell now (mA, positive = discharge). */
  loadCurrentMa = 0;
  private soc: number;

  constructor(options: LiPoCellOptions = {}) {
    this.capacityMah = options.capacityMah ?? 120;
    this.internalResistanceOhm = options.internalResistanceOhm ?? 0.25;
    this.soc = clamp01(options.stateOfCharge ?? 1);
  }

  /** 0..1. */
  get stateOfCharge(): number {
    return this.soc;
  }

  setStateOfCharge(fraction: number): void {
    this.soc = clamp01(fraction);
  }

  setPercent(percent: number): void {
    this.setStateOfCharge(percent / 100);
  }

  get remainingMah(): number {
    return this.soc * this.capacityMah;
  }

  isEmpty(): boolean {
    return this.soc <= 0;
  }

  openCircuitVolts(): number {
    const pct = this.soc * 100;
    for (let i = 1; i < OCV_TABLE.length; i++) {
      const [p1, v1] = OCV_TABLE[i]!;
      if (pct <= p1) {
        const [p0, v0] = OCV_TABLE[i - 1]!;
        return v0 + ((pct - p0) / (p1 - p0)) * (v1 - v0);
      }
    }
    return OCV_TABLE[OCV_TABLE.length - 1]![1];
  }

  /** Voltage at the terminals with `loadCurrentMa` flowing (sags by I·R). */
  terminalVolts(loadCurrentMa = this.loadCurrentMa): number {
    return Math.max(0, this.openCircuitVolts() - (loadCurrentMa / 1000) * this.internalResistanceOhm);
  }

  drainMah(mah: number): void {
    this.setStateOfCharge(this.soc - mah / this.capacityMah);
  }

  chargeMah(mah: number): void {
    this.setStateOfCharge(this.soc + mah / this.capacityMah);
  }

  /** Takes `currentMa` for `durationMs` out of the cell (negative current charges it). */
  drainFor(currentMa: number, durationMs: number): void {
    this.drainMah((currentMa * durationMs) / 3_600_000);
  }
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
