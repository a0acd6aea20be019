/**
 * The bench rig's LED and haptic probes on a PPK2's digital inputs: each line
 * of the strap wired to one of D0–D7 (PPK2_LOGIC=LED1=0,LED2=1,LED3=2,HAPTIC=3,
 * hil/README.md "On a bench board"), read from the sample stream with the
 * current, so edges carry the same clock as the energy trace. A line reads
 * high when its pin drives high: the Puck.js's LEDs and the motor driver are
 * active high.
 */
import type { LedEdge, LedName } from '../../rig/rig';
import type { LogicChange } from './ppk2';

export type ProbedLine = LedName | 'HAPTIC';
export type LogicMap = Partial<Record<ProbedLine, number>>;

const LINES: readonly ProbedLine[] = ['LED1', 'LED2', 'LED3', 'HAPTIC'];
const LEDS: readonly LedName[] = ['LED1', 'LED2', 'LED3'];

/** `LED1=0,LED2=1,HAPTIC=3` → which PPK2 input each line is on; a bad entry throws naming it. */
export function parseLogicMap(text: string): LogicMap {
  const map: LogicMap = {};
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^([A-Z0-9]+)=D?([0-7])$/.exec(entry);
    const line = match?.[1] as ProbedLine | undefined;
    if (!match || !line || !LINES.includes(line)) throw new Error(`PPK2_LOGIC: ${JSON.stringify(entry)} is not <line>=<input 0-7> with a line among ${LINES.join(', ')}`);
    if (map[line] !== undefined) throw new Error(`PPK2_LOGIC: ${line} is given twice`);
    map[line] = Number(match[2]);
  }
  return map;
}

export class LogicProbe {
  constructor(
    private readonly changes: () => readonly LogicChange[],
    private readonly map: LogicMap,
  ) {}

  /** All three LEDs are wired: the rig can offer `led`. */
  get hasLeds(): boolean {
    return LEDS.every((led) => this.map[led] !== undefined);
  }

  get hasHaptic(): boolean {
    return this.map.HAPTIC !== undefined;
  }

  edges(sinceMs: number): LedEdge[] {
    const edges: LedEdge[] = [];
    for (const led of LEDS) {
      const bit = this.map[led];
      if (bit !== undefined) for (const e of this.lineEdges(bit)) if (e.timeMs >= sinceMs) edges.push({ led, on: e.high, timeMs: e.timeMs });
    }
    return edges.sort((a, b) => a.timeMs - b.timeMs);
  }

  levels(): Record<LedName, boolean> {
    const last = this.changes().at(-1)?.logic ?? 0;
    const level = (led: LedName) => this.map[led] !== undefined && ((last >> this.map[led]!) & 1) === 1;
    return { LED1: level('LED1'), LED2: level('LED2'), LED3: level('LED3') };
  }

  /** Each time the motor line was high since `sinceMs`, and for how long. */
  pulses(sinceMs: number): { onMs: number; timeMs: number }[] {
    const bit = this.map.HAPTIC;
    if (bit === undefined) return [];
    const runs: { onMs: number; timeMs: number }[] = [];
    let onAt: number | undefined;
    for (const e of this.lineEdges(bit)) {
      if (e.high) onAt = e.timeMs;
      else if (onAt !== undefined) {
        if (onAt >= sinceMs) runs.push({ timeMs: onAt, onMs: e.timeMs - onAt });
        onAt = undefined;
      }
    }
    return runs;
  }

  /** The times one input changed level (the stream's first sample counts as a change only when high). */
  private lineEdges(bit: number): { timeMs: number; high: boolean }[] {
    const edges: { timeMs: number; high: boolean }[] = [];
    let level = false;
    for (const change of this.changes()) {
      const high = ((change.logic >> bit) & 1) === 1;
      if (high !== level) edges.push({ timeMs: change.timeMs, high });
      level = high;
    }
    return edges;
  }
}
