/**
 * The board's real-time clock (what the firmware reads through getTime() and Date): it
 * starts at `startMs` on power-on or hard reset, keeps counting through
 * reset()/load(), and setTime() moves it. It reads only the virtual clock.
 */
import type { BoardClock } from './board-clock';

export class Rtc {
  private powerOnAtMs = 0;
  private offsetMs = 0;

  constructor(
    private readonly clock: BoardClock,
    private readonly startMs: number,
  ) {}

  /** Power-on or hard reset: the RTC starts over at its start time. */
  start(): void {
    this.powerOnAtMs = this.clock.nowMs();
    this.offsetMs = this.startMs;
  }

  /** Board time now (ms since the board's epoch). */
  nowMs(): number {
    return this.offsetMs + (this.clock.nowMs() - this.powerOnAtMs);
  }

  /** Board time (s) at a virtual-clock instant. */
  secondsAt(virtualMs: number): number {
    return (this.offsetMs + (virtualMs - this.powerOnAtMs)) / 1000;
  }

  /** setTime(): ignored unless finite. */
  setSeconds(seconds: number): void {
    if (Number.isFinite(seconds)) this.offsetMs = seconds * 1000 - (this.clock.nowMs() - this.powerOnAtMs);
  }
}
