/**
 * The exact charge ledger: for every consumer and state, how long it dwelt
 * there, in whole microseconds of virtual time. A state's current is constant,
 * so its charge is exactly current × dwell; nothing is sampled. The ledger is
 * told of every change at the instant it happens (the power model calls
 * `enter`), and reads include the interval still open.
 */
import { CONSUMERS, currentOf, type ConsumerName, type CurrentCatalogue } from './current-catalogue';

export interface LedgerEntry {
  consumer: ConsumerName;
  state: string;
  currentUa: number;
  dwellUs: number;
  chargeUas: number;
}

/** nAh in one µAs. */
export const NAH_PER_UAS = 1000 / 3600;

export class ChargeLedger {
  private readonly dwell = new Map<ConsumerName, Map<string, number>>();
  private readonly open = new Map<ConsumerName, { state: string; sinceUs: number }>();

  constructor(
    private readonly catalogue: CurrentCatalogue,
    startUs: number,
    initial: (consumer: ConsumerName) => string,
  ) {
    for (const c of CONSUMERS) {
      this.dwell.set(c, new Map());
      this.open.set(c, { state: initial(c), sinceUs: startUs });
    }
  }

  /** `consumer` is in `state` from `atUs` on (closing the interval it was in). */
  enter(consumer: ConsumerName, state: string, atUs: number): void {
    const open = this.open.get(consumer)!;
    if (open.state === state) return;
    this.close(consumer, atUs);
    open.state = state;
  }

  /** Closes every open interval at `atUs` (they continue in the same state). */
  settle(atUs: number): void {
    for (const c of CONSUMERS) this.close(c, atUs);
  }

  dwellUs(consumer: ConsumerName, state: string, atUs: number): number {
    const open = this.open.get(consumer)!;
    const closed = this.dwell.get(consumer)!.get(state) ?? 0;
    return closed + (open.state === state ? Math.max(0, atUs - open.sinceUs) : 0);
  }

  chargeUas(consumer: ConsumerName, state: string, atUs: number): number {
    return (currentOf(this.catalogue, consumer, state) * this.dwellUs(consumer, state, atUs)) / 1e6;
  }

  /** Every (consumer, state) that has been occupied, in catalogue order. */
  entries(atUs: number): LedgerEntry[] {
    const out: LedgerEntry[] = [];
    for (const consumer of CONSUMERS) {
      for (const state of Object.keys(this.catalogue[consumer].states)) {
        const dwellUs = this.dwellUs(consumer, state, atUs);
        if (dwellUs === 0) continue;
        const currentUa = currentOf(this.catalogue, consumer, state);
        out.push({ consumer, state, currentUa, dwellUs, chargeUas: (currentUa * dwellUs) / 1e6 });
      }
    }
    return out;
  }

  /** Charge drawn by one consumer (all states), or by all of them. */
  totalChargeUas(atUs: number, consumer?: ConsumerName): number {
    let total = 0;
    for (const e of this.entries(atUs)) if (consumer === undefined || e.consumer === consumer) total += e.chargeUas;
    return total;
  }

  private close(consumer: ConsumerName, atUs: number): void {
    const open = this.open.get(consumer)!;
    const span = atUs - open.sinceUs;
    if (span > 0) {
      const states = this.dwell.get(consumer)!;
      states.set(open.state, (states.get(open.state) ?? 0) + span);
    }
    open.sinceUs = Math.max(open.sinceUs, atUs);
  }
}
