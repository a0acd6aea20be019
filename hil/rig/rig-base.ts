/**
 * What every rig implementation shares: capability bookkeeping, the waits
 * built on one primitive (`step`: let board time pass until something may
 * have happened), and getting the strap firmware running before a scenario.
 */
import { STRAP_BANNER } from '../../host-bridge/rpc/rpc-client';
import type { ConsoleTarget } from './console-target';
import { CAPABILITIES, MissingCapability, type Capability, type Instruments, type Rig, type RigKind, type WaitOptions } from './rig';

export abstract class RigBase implements Rig {
  abstract readonly kind: RigKind;
  abstract readonly description: string;
  abstract readonly realTime: boolean;
  protected abstract readonly instruments: Partial<Instruments>;
  protected abstract readonly reasons: Partial<Record<Capability, string>>;

  constructor(protected readonly target: ConsoleTarget) {}

  get console() {
    return this.target.console;
  }

  get rpc() {
    return this.target.rpc;
  }

  get transcript() {
    return this.target.transcript;
  }

  get capabilities(): ReadonlySet<Capability> {
    return new Set(CAPABILITIES.filter((c) => this.instruments[c] !== undefined));
  }

  lacking(capability: Capability): string {
    return this.reasons[capability] ?? `this rig has no ${capability}`;
  }

  withhold(capabilities: readonly Capability[], reason: string): void {
    for (const c of capabilities) {
      delete this.instruments[c];
      this.reasons[c] = reason;
    }
  }

  instrument<K extends Capability>(capability: K): Instruments[K] {
    const found = this.instruments[capability];
    if (!found) throw new MissingCapability(capability, this.lacking(capability));
    return found as Instruments[K];
  }

  lines(): readonly string[] {
    return this.target.lines;
  }

  abstract nowMs(): Promise<number>;
  abstract waitMs(ms: number): Promise<void>;
  abstract close(): Promise<void>;

  /** Lets board time pass until something may have happened (output, an event), at most to `untilMs`. */
  protected abstract step(untilMs: number): Promise<void>;

  /** Waits for what the board already printed to reach the host, without moving board time on purpose. */
  protected async settle(): Promise<void> {}

  async waitUntil<T>(check: () => T | undefined, options: { timeoutMs: number; what: string }): Promise<T> {
    const endMs = (await this.nowMs()) + options.timeoutMs;
    for (;;) {
      let found = check();
      if (found !== undefined) return found;
      // output still on its way must not be skipped past
      await this.settle();
      found = check();
      if (found !== undefined) return found;
      if ((await this.nowMs()) >= endMs) {
        const recent = this.target.lines.slice(-5).map((l) => `  ${l}`);
        throw new Error(`${options.what}: not within ${options.timeoutMs} ms of board time${recent.length ? `; last lines:\n${recent.join('\n')}` : ''}`);
      }
      await this.step(endMs);
    }
  }

  waitForLine(pattern: RegExp, options: WaitOptions): Promise<RegExpMatchArray> {
    const lines = this.target.lines;
    let next = options.since ?? lines.length;
    return this.waitUntil(
      () => {
        for (; next < lines.length; next++) {
          const match = lines[next]!.match(pattern);
          if (match) return match;
        }
        return undefined;
      },
      { timeoutMs: options.timeoutMs, what: `no console line matching ${pattern}` },
    );
  }

  /** The console answers and the strap firmware runs (load() brings it back after a reset()). */
  async prepare(): Promise<void> {
    await this.console.sync({ timeoutMs: 3000 });
    if (await this.console.hasGlobal('strap')) return;
    const since = this.target.lines.length;
    this.transcript.note('the strap firmware is not running: load()');
    await this.console.send('load()', { clearLine: true });
    await this.waitForLine(STRAP_BANNER, { timeoutMs: 30_000, since });
    await this.console.sync({ timeoutMs: 3000 });
  }
}
