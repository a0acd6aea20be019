/**
 * The strap's power model: the state of every consumer, their summed current
 * on the cell, the exact charge ledger, the charger and the supply
 * supervisor, on the shared virtual clock.
 *
 * Currents are piecewise constant, so the model integrates exactly: it moves
 * the cell on at every change (`setState`, a pulse ending, a stimulus) and at
 * its own clock events, which it schedules at the instants the supply will
 * change by itself (the charger reaching CV or terminating, the node crossing
 * a supervisor threshold). Time is kept in whole microseconds.
 *
 * A consumer's effective state is its base state (`setState`) unless a pulse
 * or a sequence (`pulse`, `playSequence`) overrides it for a while; when the
 * supervisor cuts the rail, every consumer on the rail is forced to its off
 * state and listeners hear 'brownout' (and 'recovered' when it comes back).
 *
 *   const power = new PowerModel({ clock });
 *   power.setState('radio', 'tx');
 *   power.pulse('haptic', 'on', 150_000);
 *   power.plugCharger();
 */
import type { EventId, VirtualClock } from '../clock/virtual-clock';
import { LiPoCell } from './cell';
import { ChargeLedger } from './charge-ledger';
import { chargerSettings, supervisorSettings, type ChargerOptions, type ChargerPhase, type SupervisorOptions } from './charger';
import { CONSUMERS, STRAP_CURRENTS, currentOf, type ConsumerName, type CurrentCatalogue } from './current-catalogue';
import { EnergyTrace } from './energy-trace';
import { Supply } from './supply';

export interface PowerModelOptions {
  clock: VirtualClock;
  cell?: LiPoCell;
  catalogue?: CurrentCatalogue;
  charger?: ChargerOptions;
  supervisor?: SupervisorOptions;
  /** Keep the energy trace (default true). */
  trace?: boolean;
}

export interface SupplyEvent {
  kind: 'brownout' | 'recovered';
  timeMs: number;
  volts: number;
}

export interface SequenceStep {
  state: string;
  durationUs: number;
}

interface Overlay {
  steps: SequenceStep[];
  index: number;
  untilUs: number;
  event: EventId;
}

/** Safety net against a supply that never settles within one advance. */
const MAX_SUPPLY_STEPS = 100_000;

export class PowerModel {
  readonly clock: VirtualClock;
  readonly cell: LiPoCell;
  readonly catalogue: CurrentCatalogue;
  readonly ledger: ChargeLedger;
  readonly trace: EnergyTrace | undefined;

  private readonly supply: Supply;
  private readonly base = new Map<ConsumerName, string>();
  private readonly effective = new Map<ConsumerName, string>();
  private readonly overlays = new Map<ConsumerName, Overlay>();
  private readonly supplyListeners = new Set<(event: SupplyEvent) => void>();
  private readonly pending: SupplyEvent[] = [];
  private lastUs: number;
  private loadUa = 0;
  private energyUj = 0;
  private wake: { id: EventId; atUs: number } | undefined;
  private busy = false;
  private disposed = false;
  private readonly unobserveCell: () => void;

  constructor(options: PowerModelOptions) {
    this.clock = options.clock;
    this.cell = options.cell ?? new LiPoCell();
    this.catalogue = options.catalogue ?? STRAP_CURRENTS;
    this.supply = new Supply(this.cell, chargerSettings(options.charger), supervisorSettings(options.supervisor));
    this.lastUs = toUs(this.clock.nowMs());
    for (const c of CONSUMERS) {
      const initial = this.catalogue[c].initial;
      this.base.set(c, initial);
      this.effective.set(c, initial);
      this.loadUa += currentOf(this.catalogue, c, initial);
    }
    this.ledger = new ChargeLedger(this.catalogue, this.lastUs, (c) => this.effective.get(c)!);
    this.trace = options.trace === false ? undefined : new EnergyTrace();
    this.unobserveCell = this.cell.observe({ beforeChange: () => this.sync(), afterChange: () => this.update(() => undefined) });
    this.update(() => undefined);
  }

  // ================================================================ consumers

  /** Sets `consumer`'s state now; an ongoing pulse or sequence on it is cancelled unless `keepPulses`. */
  setState(consumer: ConsumerName, state: string, options: { keepPulses?: boolean } = {}): void {
    currentOf(this.catalogue, consumer, state);
    this.update(() => {
      if (!options.keepPulses) this.dropOverlay(consumer);
      this.base.set(consumer, state);
      this.refresh(consumer);
    });
  }

  /** The state `consumer` is in now (a pulse's state while one runs; off while the rail is cut). */
  state(consumer: ConsumerName): string {
    this.sync();
    return this.effective.get(consumer)!;
  }

  /** The state `consumer` returns to when pulses end. */
  baseState(consumer: ConsumerName): string {
    return this.base.get(consumer)!;
  }

  /**
   * `consumer` in `state` for `durationUs` from now, then back to its base
   * state. A pulse into the state it is already pulsing extends it (CPU
   * windows of events at the same instant merge).
   */
  pulse(consumer: ConsumerName, state: string, durationUs: number): void {
    currentOf(this.catalogue, consumer, state);
    this.update(() => {
      const now = this.lastUs;
      const overlay = this.overlays.get(consumer);
      if (overlay && overlay.steps.length === 1 && overlay.steps[0]!.state === state) {
        const untilUs = Math.max(overlay.untilUs, now + Math.max(0, Math.round(durationUs)));
        if (untilUs !== overlay.untilUs) {
          this.clock.cancel(overlay.event);
          overlay.untilUs = untilUs;
          overlay.event = this.scheduleOverlayEnd(consumer, untilUs);
        }
        return;
      }
      this.startOverlay(consumer, [{ state, durationUs }]);
    });
  }

  /** Plays `steps` on `consumer` from now (e.g. radio TX/RX windows of a BLE connection), then its base state. */
  playSequence(consumer: ConsumerName, steps: readonly SequenceStep[]): void {
    for (const s of steps) currentOf(this.catalogue, consumer, s.state);
    if (steps.length === 0) return;
    this.update(() => this.startOverlay(consumer, steps.slice()));
  }

  /** Ends any pulse or sequence on `consumer` now. */
  clearPulses(consumer: ConsumerName): void {
    this.update(() => {
      this.dropOverlay(consumer);
      this.refresh(consumer);
    });
  }

  // ================================================================ charger and supply

  plugCharger(): void {
    this.update(() => this.supply.plug());
  }

  unplugCharger(): void {
    this.update(() => this.supply.unplug());
  }

  get chargerPhase(): ChargerPhase {
    this.sync();
    return this.supply.phase;
  }

  /** False while the supervisor holds the rail off (brownout). */
  get railOn(): boolean {
    this.sync();
    return this.supply.railGood;
  }

  /** Hears brownouts and recoveries, after the model has settled at that instant. */
  onSupply(listener: (event: SupplyEvent) => void): () => void {
    this.supplyListeners.add(listener);
    return () => this.supplyListeners.delete(listener);
  }

  // ================================================================ readings

  /** Total current of the consumers now (µA). */
  currentUa(): number {
    this.sync();
    return this.loadUa;
  }

  /** The battery node's voltage now (OCV − I·R, or VREG while the charger holds it). */
  terminalVolts(): number {
    this.sync();
    return this.supply.terminalVolts(this.loadUa);
  }

  /** 0..1. */
  stateOfCharge(): number {
    this.sync();
    return this.cell.stateOfCharge;
  }

  /** Charge drawn by one consumer (in one state, or all of its states), or by all, since the model started (µAs, exact). */
  chargeUas(consumer?: ConsumerName, state?: string): number {
    this.sync();
    if (consumer !== undefined && state !== undefined) return this.ledger.chargeUas(consumer, state, this.lastUs);
    return this.ledger.totalChargeUas(this.lastUs, consumer);
  }

  /** Time `consumer` has spent in `state` since the model started (whole µs). */
  dwellUs(consumer: ConsumerName, state: string): number {
    this.sync();
    return this.ledger.dwellUs(consumer, state, this.lastUs);
  }

  /** Energy delivered to the consumers (µJ; the node voltage taken at the start of each constant-current interval). */
  energyUjTotal(): number {
    this.sync();
    return this.energyUj;
  }

  /** The clock's now in whole µs, after integrating up to it. */
  nowUs(): number {
    this.sync();
    return this.lastUs;
  }

  /**
   * Integrates up to now and stops: no more clock events, the cell is left
   * alone (one model per cell). Readings keep answering at the time of disposal.
   */
  dispose(): void {
    if (this.disposed) return;
    this.sync();
    this.disposed = true;
    this.unobserveCell();
    if (this.wake) this.clock.cancel(this.wake.id);
    this.wake = undefined;
    for (const c of CONSUMERS) this.dropOverlay(c);
  }

  /** Integrates up to the clock's now (everything else does this first). */
  sync(): void {
    if (this.busy || this.disposed) return;
    const nowUs = toUs(this.clock.nowMs());
    if (nowUs <= this.lastUs) return;
    this.update(() => undefined);
  }

  // ================================================================ internals

  /** Advances to now, applies `change`, settles the supply, records, replans, then tells listeners. */
  private update(change: () => void): void {
    if (this.disposed) return;
    if (this.busy) {
      change();
      return;
    }
    this.busy = true;
    try {
      this.advanceTo(Math.max(this.lastUs, toUs(this.clock.nowMs())));
      change();
      this.settle();
      this.replan();
    } finally {
      this.busy = false;
    }
    this.flush();
  }

  private advanceTo(targetUs: number): void {
    let steps = 0;
    while (this.lastUs < targetUs) {
      if (++steps > MAX_SUPPLY_STEPS) throw new Error('power: the supply did not settle (runaway transitions)');
      const toNext = this.supply.timeToNextUs(this.loadUa);
      const stepUs = Number.isFinite(toNext) ? Math.min(targetUs - this.lastUs, Math.max(1, Math.ceil(toNext))) : targetUs - this.lastUs;
      this.energyUj += (this.supply.terminalVolts(this.loadUa) * this.loadUa * stepUs) / 1e6;
      this.supply.integrate(stepUs, this.loadUa);
      this.lastUs += stepUs;
      if (Number.isFinite(toNext) && Math.max(1, Math.ceil(toNext)) <= stepUs) this.settle();
    }
  }

  /** Supply phase and rail in line with the load now; the rail forces consumers; cell load and trace updated. */
  private settle(): void {
    for (let i = 0; i < 8; i++) {
      const volts = this.supply.terminalVolts(this.loadUa);
      const changes = this.supply.evaluate(this.loadUa);
      if (changes.length === 0) break;
      for (const change of changes) {
        if (change.kind !== 'rail') continue;
        // the voltage that tripped the supervisor, before the cut rail drops the load
        this.pending.push({ kind: change.good ? 'recovered' : 'brownout', timeMs: this.lastUs / 1000, volts });
        for (const c of CONSUMERS) {
          if (!this.catalogue[c].onRail) continue;
          if (!change.good) this.dropOverlay(c);
          this.refresh(c);
        }
      }
    }
    this.cell.loadCurrentMa = this.supply.cellDischargeUa(this.loadUa) / 1000;
    this.trace?.record({
      timeUs: this.lastUs,
      states: CONSUMERS.map((c) => this.effective.get(c)!),
      currentUa: this.loadUa,
      volts: this.supply.terminalVolts(this.loadUa),
      socPercent: this.cell.stateOfCharge * 100,
      charger: this.supply.phase,
      railOn: this.supply.railGood,
    });
  }

  private refresh(consumer: ConsumerName): void {
    const spec = this.catalogue[consumer];
    const overlay = this.overlays.get(consumer);
    const wanted = spec.onRail && !this.supply.railGood ? spec.off : (overlay?.steps[overlay.index]!.state ?? this.base.get(consumer)!);
    const was = this.effective.get(consumer)!;
    if (wanted === was) return;
    this.effective.set(consumer, wanted);
    // summed afresh (12 terms) so that float error never accumulates over a long run
    let loadUa = 0;
    for (const c of CONSUMERS) loadUa += currentOf(this.catalogue, c, this.effective.get(c)!);
    this.loadUa = loadUa;
    this.ledger.enter(consumer, wanted, this.lastUs);
  }

  private startOverlay(consumer: ConsumerName, steps: SequenceStep[]): void {
    this.dropOverlay(consumer);
    if (this.catalogue[consumer].onRail && !this.supply.railGood) {
      this.refresh(consumer);
      return; // no power: nothing to play
    }
    const untilUs = this.lastUs + Math.max(0, Math.round(steps[0]!.durationUs));
    this.overlays.set(consumer, { steps, index: 0, untilUs, event: this.scheduleOverlayEnd(consumer, untilUs) });
    this.refresh(consumer);
  }

  private scheduleOverlayEnd(consumer: ConsumerName, atUs: number): EventId {
    return this.clock.scheduleAt(atUs / 1000, () => this.overlayStepEnded(consumer), `power:${consumer}`);
  }

  private overlayStepEnded(consumer: ConsumerName): void {
    this.update(() => {
      const overlay = this.overlays.get(consumer);
      if (!overlay) return;
      overlay.index++;
      if (overlay.index >= overlay.steps.length) {
        this.overlays.delete(consumer);
      } else {
        overlay.untilUs = this.lastUs + Math.max(0, Math.round(overlay.steps[overlay.index]!.durationUs));
        overlay.event = this.scheduleOverlayEnd(consumer, overlay.untilUs);
      }
      this.refresh(consumer);
    });
  }

  private dropOverlay(consumer: ConsumerName): void {
    const overlay = this.overlays.get(consumer);
    if (!overlay) return;
    this.clock.cancel(overlay.event);
    this.overlays.delete(consumer);
  }

  /** One clock event at the next instant the supply changes by itself. */
  private replan(): void {
    const toNext = this.supply.timeToNextUs(this.loadUa);
    const atUs = Number.isFinite(toNext) ? this.lastUs + Math.max(1, Math.ceil(toNext)) : undefined;
    if (this.wake?.atUs === atUs) return;
    if (this.wake) this.clock.cancel(this.wake.id);
    this.wake = undefined;
    if (atUs === undefined) return;
    const id = this.clock.scheduleAt(
      atUs / 1000,
      () => {
        if (this.wake?.id === id) this.wake = undefined;
        this.sync();
        this.replan();
      },
      'power:supply',
    );
    this.wake = { id, atUs };
  }

  private flush(): void {
    while (this.pending.length > 0) {
      const event = this.pending.shift()!;
      for (const l of [...this.supplyListeners]) l(event);
    }
  }
}

function toUs(ms: number): number {
  return Math.round(ms * 1000);
}
