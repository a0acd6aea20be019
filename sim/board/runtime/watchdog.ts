/**
 * The nRF52 watchdog (WDT) behind E.enableWatchdog / E.kickWatchdog. It
 * survives reset() and load() but stops with the power (or a hard reset).
 */
import type { BoardClock } from './board-clock';

export interface WatchdogWiring {
  clock: BoardClock;
  isPowered(): boolean;
  /** The WDT fired: a hardware reset. */
  fire(): void;
}

interface WatchdogState {
  timeoutMs: number;
  auto: boolean;
  expiry?: number;
}

export class Watchdog {
  private state: WatchdogState | undefined;

  constructor(private readonly wiring: WatchdogWiring) {}

  /** The WDT is running (a stuck CPU would be reset by it). */
  get running(): boolean {
    return this.state !== undefined;
  }

  /**
   * E.enableWatchdog (nRF52 WDT): auto mode is kicked by the idle loop, so it
   * only fires when JS never returns (a busy loop); manual mode fires unless
   * E.kickWatchdog() comes within the timeout. The WDT survives reset() and
   * load(); once running its timeout cannot change (nRF52 PS: CRV is locked
   * while the WDT runs).
   */
  enable(timeoutS: number, auto: boolean): void {
    const timeoutMs = Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS * 1000 : 1000;
    this.state = { timeoutMs: this.state?.timeoutMs ?? timeoutMs, auto };
    this.kick();
  }

  kick(): void {
    const wd = this.state;
    if (!wd) return;
    this.disarm();
    if (wd.auto) return;
    wd.expiry = this.wiring.clock.scheduleIn(
      wd.timeoutMs,
      () => {
        if (this.state === wd && this.wiring.isPowered()) this.wiring.fire();
      },
      'board:watchdog',
    );
  }

  /** Power gone: the WDT stops and forgets its timeout. */
  stop(): void {
    this.disarm();
    this.state = undefined;
  }

  private disarm(): void {
    if (this.state?.expiry !== undefined) this.wiring.clock.cancel(this.state.expiry);
    if (this.state) this.state.expiry = undefined;
  }
}
