/**
 * The energy trace: one row per instant at which anything changed (a
 * consumer's state, the charger's phase, the rail), with the total current,
 * the battery node's voltage and the state of charge right after the change.
 * Changes at the same virtual instant share one row. The CSV is plain text
 * with fixed decimals, so the same run gives the same bytes.
 */
import type { ChargerPhase } from './charger';
import { CONSUMERS, type ConsumerName } from './current-catalogue';

export interface TraceRow {
  timeUs: number;
  /** Effective state of each consumer, in CONSUMERS order. */
  states: readonly string[];
  currentUa: number;
  volts: number;
  socPercent: number;
  charger: ChargerPhase;
  railOn: boolean;
}

export class EnergyTrace {
  readonly consumers: readonly ConsumerName[] = CONSUMERS;
  readonly rows: TraceRow[] = [];

  record(row: TraceRow): void {
    const last = this.rows[this.rows.length - 1];
    if (last && last.timeUs === row.timeUs) {
      this.rows[this.rows.length - 1] = row;
      if (this.rows.length >= 2 && sameChange(this.rows[this.rows.length - 2]!, row)) this.rows.pop();
      return;
    }
    if (last && sameChange(last, row)) return;
    this.rows.push(row);
  }

  toCsv(): string {
    const header = ['time_s', ...this.consumers.map((c) => `${c}_state`), 'current_ua', 'voltage_v', 'soc_pct', 'charger', 'rail'];
    const lines = [header.join(',')];
    for (const r of this.rows) {
      lines.push(
        [
          (r.timeUs / 1e6).toFixed(6),
          ...r.states,
          r.currentUa.toFixed(3),
          r.volts.toFixed(4),
          r.socPercent.toFixed(4),
          r.charger,
          r.railOn ? 'on' : 'off',
        ].join(','),
      );
    }
    return lines.join('\n') + '\n';
  }
}

/** True when nothing but the slowly drifting voltage and charge differs. */
function sameChange(a: TraceRow, b: TraceRow): boolean {
  if (a.currentUa !== b.currentUa || a.charger !== b.charger || a.railOn !== b.railOn) return false;
  for (let i = 0; i < a.states.length; i++) if (a.states[i] !== b.states[i]) return false;
  return true;
}
