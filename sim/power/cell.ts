/**
 * A single Li-Po cell: capacity, state of charge, an open-circuit voltage
 * curve, and an internal resistance that makes the terminal voltage sag under
 * load (and rise while charging). The power model (power-model.ts) sets
 * `loadCurrentMa` to the net current at every change and integrates the charge
 * with `integrateCurrentUa`; without a power model, stimuli set the state of
 * charge directly (`setPercent`).
 *
 * OCV curve: interior points are the 20 °C open-circuit-voltage table of a
 * Li-ion polymer phone cell published in the Linux kernel's device-tree
 * bindings (Documentation/devicetree/bindings/power/supply/sc27xx-fg.yaml,
 * example `ocv-capacity-table-0`, and arch/arm64/boot/dts/sprd/sp9860g-1h10.dts,
 * which also gives its internal resistance, 250000 µΩ). The end points are
 * moved to the usual 4.20 V end-of-charge and 3.00 V cut-off of a 4.2 V Li-Po,
 * so the curve spans 3.0–4.2 V.
 *
 * Not modelled: temperature, ageing, the polarisation (RC) of a real cell
 * (so the CV phase of a charge is shorter than on a bench), self-discharge.
 */
export interface LiPoCellOptions {
  capacityMah?: number;
  /** 0..1. */
  stateOfCharge?: number;
  internalResistanceOhm?: number;
}

/** [state of charge %, open-circuit volts], ascending in both columns. */
export const LIPO_OCV_TABLE: ReadonlyArray<readonly [number, number]> = [
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

/** One straight piece of the OCV curve: OCV = volts0 + slopeVoltsPerUnit · (soc − soc0). */
export interface OcvSegment {
  soc0: number;
  soc1: number;
  volts0: number;
  volts1: number;
  slopeVoltsPerUnit: number;
}

/** Hears changes made from outside the power model (a stimulus setting the charge). */
export interface CellObserver {
  beforeChange(): void;
  afterChange(): void;
}

/** µAs in one mAh. */
export const UAS_PER_MAH = 3_600_000;

export class LiPoCell {
  readonly capacityMah: number;
  internalResistanceOhm: number;
  /** Current drawn from the cell now (mA, positive = discharge, negative = charging). */
  loadCurrentMa = 0;
  private soc: number;
  private readonly observers = new Set<CellObserver>();

  constructor(options: LiPoCellOptions = {}) {
    this.capacityMah = options.capacityMah ?? 120;
    this.internalResistanceOhm = options.internalResistanceOhm ?? 0.25;
    this.soc = clamp01(options.stateOfCharge ?? 1);
  }

  /** 0..1. */
  get stateOfCharge(): number {
    return this.soc;
  }

  get capacityUas(): number {
    return this.capacityMah * UAS_PER_MAH;
  }

  setStateOfCharge(fraction: number): void {
    this.notify(() => (this.soc = clamp01(fraction)));
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
    return openCircuitVoltsAt(this.soc);
  }

  /** Voltage at the terminals with `loadCurrentMa` flowing (sags by I·R; rises while charging). */
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

  /**
   * The power model's integration step: `currentUa` (positive = discharge)
   * for `durationUs`. Observers are not told: the model is the one integrating.
   */
  integrateCurrentUa(currentUa: number, durationUs: number): void {
    this.soc = clamp01(this.soc - (currentUa * durationUs) / 1e6 / this.capacityUas);
  }

  /** Sets the state of charge without telling observers (the power model's exact CV step). */
  placeStateOfCharge(fraction: number): void {
    this.soc = clamp01(fraction);
  }

  observe(observer: CellObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private notify(change: () => void): void {
    for (const o of this.observers) o.beforeChange();
    change();
    for (const o of this.observers) o.afterChange();
  }
}

export function openCircuitVoltsAt(stateOfCharge: number): number {
  // ocvSegmentAt's arithmetic in the same order (the same doubles), without making the segment:
  // the firmware reads the battery every minute
  const i = segmentIndex(stateOfCharge, true);
  const lower = LIPO_OCV_TABLE[i - 1]!;
  const upper = LIPO_OCV_TABLE[i]!;
  const slope = (upper[1] - lower[1]) / ((upper[0] - lower[0]) / 100);
  return lower[1] + slope * (clamp01(stateOfCharge) - lower[0] / 100);
}

/**
 * The segment holding `stateOfCharge`; at a breakpoint, the one above it when
 * `upward` (the direction the charge is moving), else the one below.
 */
export function ocvSegmentAt(stateOfCharge: number, upward: boolean): OcvSegment {
  const i = segmentIndex(stateOfCharge, upward);
  const [p0, v0] = LIPO_OCV_TABLE[i - 1]!;
  const [p1, v1] = LIPO_OCV_TABLE[i]!;
  return { soc0: p0 / 100, soc1: p1 / 100, volts0: v0, volts1: v1, slopeVoltsPerUnit: (v1 - v0) / ((p1 - p0) / 100) };
}

/** Index of the upper end of the segment ocvSegmentAt gives. */
function segmentIndex(stateOfCharge: number, upward: boolean): number {
  const pct = clamp01(stateOfCharge) * 100;
  const last = LIPO_OCV_TABLE.length - 1;
  let i = 1;
  while (i < last && (upward ? pct >= LIPO_OCV_TABLE[i]![0] : pct > LIPO_OCV_TABLE[i]![0])) i++;
  return i;
}

/** The state of charge whose OCV is `volts` (the curve's inverse), or undefined outside 3.0–4.2 V. */
export function stateOfChargeAtOcv(volts: number): number | undefined {
  const first = LIPO_OCV_TABLE[0]!;
  const last = LIPO_OCV_TABLE[LIPO_OCV_TABLE.length - 1]!;
  if (volts < first[1] || volts > last[1]) return undefined;
  for (let i = 1; i < LIPO_OCV_TABLE.length; i++) {
    const [p1, v1] = LIPO_OCV_TABLE[i]!;
    if (volts <= v1) {
      const [p0, v0] = LIPO_OCV_TABLE[i - 1]!;
      return (p0 + ((volts - v0) / (v1 - v0)) * (p1 - p0)) / 100;
    }
  }
  return 1;
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}
