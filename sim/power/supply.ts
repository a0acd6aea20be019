/**
 * The battery node: the cell, the charger feeding it and the supervisor
 * watching it, advanced exactly under a constant load.
 *
 * Between two changes of the load the node follows closed forms:
 *  - discharging, precondition, constant current, charge complete: the cell
 *    current is constant, so the state of charge moves linearly and the node
 *    voltage is OCV(soc) + constant; a threshold is crossed where the inverse
 *    OCV curve says;
 *  - constant voltage: the node is held at VREG, the cell takes
 *    (VREG − OCV)/R, and on each straight piece of the OCV curve the gap
 *    x = VREG − OCV decays as x₀·e^(−t/τ) with τ = R·Q/k (k the piece's
 *    slope, Q the capacity): both the state of charge and the time to reach
 *    the termination current are exact.
 * `timeToNextUs` tells the power model when the next phase change or
 * supervisor threshold comes, so it can wake at that instant.
 */
import { ocvSegmentAt, openCircuitVoltsAt, stateOfChargeAtOcv, type LiPoCell } from './cell';
import type { ChargerPhase, ChargerSettings, SupervisorSettings } from './charger';

export type SupplyChange = { kind: 'charger'; phase: ChargerPhase } | { kind: 'rail'; good: boolean };

/** Comparisons at a threshold allow this much float error (V). */
const VOLTS_EPSILON = 1e-9;
/** ... and this much for currents (µA). */
const UA_EPSILON = 1e-6;

export class Supply {
  phase: ChargerPhase = 'unplugged';
  railGood = true;

  constructor(
    readonly cell: LiPoCell,
    readonly charger: ChargerSettings,
    readonly supervisor: SupervisorSettings,
  ) {}

  plug(): void {
    if (this.phase === 'unplugged') this.phase = 'cc';
  }

  unplug(): void {
    this.phase = 'unplugged';
  }

  /** What the charger delivers into the node (µA). */
  chargerOutputUa(loadUa: number): number {
    switch (this.phase) {
      case 'unplugged':
      case 'done':
        return 0;
      case 'precondition':
        return this.charger.preconditionCurrentUa;
      case 'cc':
        return this.charger.chargeCurrentUa;
      case 'cv':
        return this.cvCellChargeUa() + loadUa;
    }
  }

  /** Current out of the cell (µA; negative while it charges). */
  cellDischargeUa(loadUa: number): number {
    return loadUa - this.chargerOutputUa(loadUa);
  }

  /** Voltage of the battery node (what NRF.getBattery() measures). */
  terminalVolts(loadUa: number): number {
    if (this.phase === 'cv') return this.charger.regulationVolts;
    return this.ocv() - (this.cellDischargeUa(loadUa) / 1e6) * this.cell.internalResistanceOhm;
  }

  /** Moves the cell `dtUs` on under `loadUa` (no phase changes: the caller stops at `timeToNextUs`). */
  integrate(dtUs: number, loadUa: number): void {
    if (dtUs <= 0) return;
    if (this.phase === 'cv') this.integrateConstantVoltage(dtUs);
    else this.cell.integrateCurrentUa(this.cellDischargeUa(loadUa), dtUs);
  }

  /** Brings the phase and the rail in line with the node now. */
  evaluate(loadUa: number): SupplyChange[] {
    const changes: SupplyChange[] = [];
    for (let i = 0; i < 6; i++) {
      const next = this.nextPhase(loadUa);
      if (next === this.phase) break;
      this.phase = next;
      changes.push({ kind: 'charger', phase: next });
    }
    const volts = this.terminalVolts(loadUa);
    if (this.railGood && volts < this.supervisor.offBelowVolts - VOLTS_EPSILON) {
      this.railGood = false;
      changes.push({ kind: 'rail', good: false });
    } else if (!this.railGood && volts >= this.supervisor.onAtVolts - VOLTS_EPSILON) {
      this.railGood = true;
      changes.push({ kind: 'rail', good: true });
    }
    return changes;
  }

  /** µs (fractional) until the phase or the rail would change under `loadUa`; Infinity when never. */
  timeToNextUs(loadUa: number): number {
    if (this.phase === 'cv') {
      return this.railGood ? this.timeToTerminationUs(loadUa) : 0;
    }
    const dischargeUa = this.cellDischargeUa(loadUa);
    const offsetVolts = -(dischargeUa / 1e6) * this.cell.internalResistanceOhm;
    const socPerUs = -dischargeUa / 1e6 / this.cell.capacityUas;
    const crossing = (volts: number, rising: boolean) => this.timeToOcv(volts - offsetVolts, socPerUs, rising);
    let t = Infinity;
    if (this.railGood) t = Math.min(t, crossing(this.supervisor.offBelowVolts, false));
    else t = Math.min(t, crossing(this.supervisor.onAtVolts, true));
    if (this.phase === 'cc') t = Math.min(t, crossing(this.charger.regulationVolts, true));
    if (this.phase === 'precondition') t = Math.min(t, crossing(this.charger.preconditionVolts, true));
    if (this.phase === 'done') t = Math.min(t, crossing(this.charger.rechargeVolts, false));
    return t;
  }

  // ---------------------------------------------------------------- helpers

  private ocv(): number {
    return openCircuitVoltsAt(this.cell.stateOfCharge);
  }

  private cvCellChargeUa(): number {
    return (Math.max(0, this.charger.regulationVolts - this.ocv()) / this.cell.internalResistanceOhm) * 1e6;
  }

  private nextPhase(loadUa: number): ChargerPhase {
    const c = this.charger;
    const ocv = this.ocv();
    const rOhm = this.cell.internalResistanceOhm;
    const nodeWith = (chargerUa: number) => ocv + ((chargerUa - loadUa) / 1e6) * rOhm;
    switch (this.phase) {
      case 'unplugged':
        return 'unplugged';
      case 'precondition':
        return nodeWith(c.preconditionCurrentUa) >= c.preconditionVolts - VOLTS_EPSILON ? 'cc' : 'precondition';
      case 'cc': {
        const node = nodeWith(c.chargeCurrentUa);
        if (node < c.preconditionVolts - c.preconditionHysteresisVolts) return 'precondition';
        return node >= c.regulationVolts - VOLTS_EPSILON ? 'cv' : 'cc';
      }
      case 'cv': {
        const outputUa = this.cvCellChargeUa() + loadUa;
        if (outputUa > c.chargeCurrentUa + UA_EPSILON) return 'cc';
        return outputUa <= c.terminationCurrentUa + UA_EPSILON ? 'done' : 'cv';
      }
      case 'done':
        return nodeWith(0) < c.rechargeVolts - VOLTS_EPSILON ? 'cc' : 'done';
    }
  }

  /** µs until the OCV reaches `ocvVolts` moving at `socPerUs` (in the stated direction), else Infinity. */
  private timeToOcv(ocvVolts: number, socPerUs: number, rising: boolean): number {
    if (rising ? socPerUs <= 0 : socPerUs >= 0) return Infinity;
    const target = stateOfChargeAtOcv(ocvVolts);
    if (target === undefined) return Infinity;
    const t = (target - this.cell.stateOfCharge) / socPerUs;
    return t >= 0 ? t : 0;
  }

  private tauUs(slopeVoltsPerUnit: number): number {
    return (this.cell.internalResistanceOhm * this.cell.capacityUas) / slopeVoltsPerUnit;
  }

  private integrateConstantVoltage(dtUs: number): void {
    const vreg = this.charger.regulationVolts;
    let remaining = dtUs;
    for (let guard = 0; remaining > 0 && guard < 64; guard++) {
      const soc = this.cell.stateOfCharge;
      const x = vreg - openCircuitVoltsAt(soc);
      if (x <= 0 || soc >= 1) return;
      const seg = ocvSegmentAt(soc, true);
      const tau = this.tauUs(seg.slopeVoltsPerUnit);
      const xEnd = vreg - seg.volts1;
      const tSeg = xEnd > 0 ? tau * Math.log(x / xEnd) : Infinity;
      if (tSeg >= remaining) {
        const xNow = x * Math.exp(-remaining / tau);
        this.cell.placeStateOfCharge(seg.soc0 + (vreg - xNow - seg.volts0) / seg.slopeVoltsPerUnit);
        return;
      }
      this.cell.placeStateOfCharge(seg.soc1);
      remaining -= tSeg;
    }
  }

  /** µs until the charger's output (cell current + load) falls to ITERM. */
  private timeToTerminationUs(loadUa: number): number {
    const vreg = this.charger.regulationVolts;
    const targetX = ((this.charger.terminationCurrentUa - loadUa) / 1e6) * this.cell.internalResistanceOhm;
    if (targetX <= 0) return Infinity;
    let soc = this.cell.stateOfCharge;
    let x = vreg - openCircuitVoltsAt(soc);
    let t = 0;
    for (let guard = 0; guard < 64; guard++) {
      if (x <= targetX) return t;
      const seg = ocvSegmentAt(soc, true);
      const tau = this.tauUs(seg.slopeVoltsPerUnit);
      const xEnd = vreg - seg.volts1;
      if (targetX >= xEnd) return t + tau * Math.log(x / targetX);
      t += tau * Math.log(x / xEnd);
      x = xEnd;
      soc = seg.soc1;
      if (soc >= 1) return Infinity;
    }
    return Infinity;
  }
}
