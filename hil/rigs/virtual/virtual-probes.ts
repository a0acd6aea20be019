/**
 * The probes of a virtual board, shared by the in-process rig and the board
 * process behind the pty rig: LED and motor edges from the board's pin bus
 * (at the pins sim/board/io/puckjs-pins.ts and sim/strap/wiring.ts name), and
 * current from the power model under the board (its exact charge ledger and
 * energy trace), so "measured" here is what the model says flowed.
 */
import type { PinBus } from '../../../sim/board/buses/pin-bus';
import { PUCKJS_LEDS } from '../../../sim/board/io/puckjs-pins';
import { STRAP_CURRENTS, currentOf } from '../../../sim/power/current-catalogue';
import type { PowerModel } from '../../../sim/power/power-model';
import { renderTraceSvg } from '../../../sim/power/trace-svg';
import { STRAP_PINS } from '../../../sim/strap/wiring';
import type { CurrentWindow, EnergyExport, LedEdge, LedName, StandbyExpectation } from '../../rig/rig';

const LED_AT_PIN: ReadonlyMap<number, LedName> = new Map(Object.entries(PUCKJS_LEDS).map(([led, pin]) => [pin, led as LedName]));

export class LedRecorder {
  private readonly recorded: LedEdge[] = [];

  constructor(private readonly pins: PinBus) {
    pins.onChange((change) => {
      const led = LED_AT_PIN.get(change.pin);
      if (led) this.recorded.push({ led, on: change.level, timeMs: change.timeMs });
    });
  }

  edges(sinceMs: number): LedEdge[] {
    return this.recorded.filter((e) => e.timeMs >= sinceMs);
  }

  levels(): Record<LedName, boolean> {
    return { LED1: this.pins.level(PUCKJS_LEDS.LED1), LED2: this.pins.level(PUCKJS_LEDS.LED2), LED3: this.pins.level(PUCKJS_LEDS.LED3) };
  }
}

/** The haptic motor's drive pin (HAPTIC): each run of the motor. */
export class HapticRecorder {
  private readonly runs: { onMs: number; timeMs: number }[] = [];
  private onAt: number | undefined;

  constructor(pins: PinBus) {
    pins.onChange((change) => {
      if (change.pin !== STRAP_PINS.HAPTIC) return;
      if (change.level && this.onAt === undefined) this.onAt = change.timeMs;
      else if (!change.level && this.onAt !== undefined) {
        this.runs.push({ timeMs: this.onAt, onMs: change.timeMs - this.onAt });
        this.onAt = undefined;
      }
    });
  }

  pulses(sinceMs: number): { onMs: number; timeMs: number }[] {
    return this.runs.filter((r) => r.timeMs >= sinceMs);
  }
}

/** A point to measure from: board time and the charge drawn so far. */
export interface ChargeMark {
  timeMs: number;
  chargeUas: number;
}

export class PowerProbe {
  constructor(private readonly power: PowerModel) {}

  mark(): ChargeMark {
    return { timeMs: this.power.nowUs() / 1000, chargeUas: this.power.chargeUas() };
  }

  /** Average and peak current from `from` to now. */
  windowSince(from: ChargeMark): CurrentWindow {
    const to = this.mark();
    const seconds = (to.timeMs - from.timeMs) / 1000;
    const averageUa = seconds > 0 ? (to.chargeUas - from.chargeUas) / seconds : this.power.currentUa();
    return { fromMs: from.timeMs, toMs: to.timeMs, averageUa, peakUa: this.peakUa(from.timeMs * 1000, to.timeMs * 1000) };
  }

  /** The trace rows between two board times (plus the row in force at the start) as CSV, and their plot. */
  export(fromMs: number, toMs: number, title: string): EnergyExport {
    const trace = this.power.trace;
    if (!trace) throw new Error('the power model keeps no trace');
    const fromUs = Math.round(fromMs * 1000);
    const toUs = Math.max(fromUs + 1, Math.round(toMs * 1000));
    const [header, ...rows] = trace.toCsv().trimEnd().split('\n');
    const times = trace.rows.map((r) => r.timeUs);
    const first = Math.max(0, lastIndexAtOrBefore(times, fromUs));
    const kept = rows.filter((_, i) => i >= first && times[i]! <= toUs);
    return { csv: [header, ...kept].join('\n') + '\n', svg: renderTraceSvg(trace.rows, this.power.catalogue, { title, fromUs, toUs }) };
  }

  private peakUa(fromUs: number, toUs: number): number {
    const rows = this.power.trace?.rows ?? [];
    const times = rows.map((r) => r.timeUs);
    let peak = 0;
    for (let i = Math.max(0, lastIndexAtOrBefore(times, fromUs)); i < rows.length && rows[i]!.timeUs <= toUs; i++) peak = Math.max(peak, rows[i]!.currentUa);
    return peak;
  }
}

/**
 * Standby with the console attached, from the current catalogue: LDO, CPU
 * asleep, the button watched, the UART kept awake by the host, the NFC
 * controller in hard power-down (card emulation off); plus a margin for the
 * heartbeat (LED2 for 20 ms and a few ms of CPU a minute) and, while card
 * emulation is on, the controller listening in its standby and the SE asleep.
 */
export function virtualStandbyExpectation(): StandbyExpectation {
  const floorUa =
    currentOf(STRAP_CURRENTS, 'regulator', 'on') +
    currentOf(STRAP_CURRENTS, 'mcu', 'sleep') +
    currentOf(STRAP_CURRENTS, 'gpiote', 'watching') +
    currentOf(STRAP_CURRENTS, 'uart', 'attached') +
    currentOf(STRAP_CURRENTS, 'nfcc', 'hpd');
  const listeningUa = currentOf(STRAP_CURRENTS, 'nfcc', 'standby') - currentOf(STRAP_CURRENTS, 'nfcc', 'hpd') + currentOf(STRAP_CURRENTS, 'se', 'deep-power-down');
  return {
    minUa: floorUa,
    maxUa: floorUa + 15 + listeningUa,
    basis: `sleep floor ${floorUa} µA from sim/power/current-catalogue.ts (LDO, CPU sleep, button watch, UART attached, NFC controller in hard power-down) + ≤ 15 µA of heartbeats + ${listeningUa} µA while card emulation is on (the controller listening in standby, the SE asleep)`,
  };
}

function lastIndexAtOrBefore(sorted: readonly number[], value: number): number {
  let found = -1;
  for (let i = 0; i < sorted.length && sorted[i]! <= value; i++) found = i;
  return found;
}
