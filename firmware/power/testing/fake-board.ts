import type { SchedulerBoard, StorageLike } from '../board-port';

// A fake board for the scheduler's host tests: a clock with Espruino-like
// timers (installed as the globals, which the statechart runtime uses too),
// a battery voltage the test sets, and Storage with Espruino's rewrite
// semantics and an injectable power cut. Not part of the firmware bundle;
// written in the firmware's ES5 subset all the same, because
// firmware/tsconfig.json checks every non-test file under firmware/.

interface FakeTimer {
  id: number;
  dueMs: number;
  everyMs: number;
  callback: (...args: unknown[]) => void;
  /** What setTimeout/setInterval were given after the delay: the callback's arguments (as Espruino passes them). */
  args: unknown[];
}

type TimerGlobals = { [name: string]: unknown };
const TIMER_NAMES = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'];

export class FakeBoard implements SchedulerBoard {
  nowMs = 0;
  /** What NRF.getBattery() answers. */
  volts = 3.95;
  /** Storage's files, by name. */
  files: { [name: string]: string } = {};
  writes = 0;
  storage: StorageLike;
  private timers: FakeTimer[] = [];
  private nextId = 1;
  private cutAfterChars = -1;
  private saved: TimerGlobals | undefined;

  constructor() {
    this.storage = {
      read: (name: string) => this.files[name],
      // Espruino rewrites a file by deleting the old one first, then writing the new one.
      write: (name: string, data: string) => {
        delete this.files[name];
        this.writes++;
        if (this.cutAfterChars >= 0) {
          const kept = this.cutAfterChars;
          this.cutAfterChars = -1;
          // Flash bytes never programmed read as 0xFF.
          this.files[name] = data.substr(0, kept) + '\xff'.repeat(Math.max(0, data.length - kept));
          throw new Error('power cut while writing ' + name);
        }
        this.files[name] = data;
        return true;
      },
    };
  }

  batteryVolts(): number {
    return this.volts;
  }

  nowS(): number {
    return this.nowMs / 1000;
  }

  crc32(text: string): number {
    let crc = -1;
    for (let i = 0; i < text.length; i++) {
      crc ^= text.charCodeAt(i) & 0xff;
      for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
    return (crc ^ -1) >>> 0;
  }

  /** Makes the board's timers the global ones (the statechart runtime calls setTimeout directly). Again after a reset: no-op. */
  install(): this {
    const globals = globalThis as unknown as TimerGlobals;
    if (this.saved) return this;
    this.saved = {};
    for (let i = 0; i < TIMER_NAMES.length; i++) this.saved[TIMER_NAMES[i]!] = globals[TIMER_NAMES[i]!];
    globals.setTimeout = (callback: () => void, ms?: number, ...args: unknown[]) => this.addTimer(callback, ms || 0, 0, args);
    globals.setInterval = (callback: () => void, ms?: number, ...args: unknown[]) => this.addTimer(callback, ms || 0, Math.max(1, ms || 0), args);
    // Espruino throws on an id that is not pending; so does the fake, to catch double clears.
    globals.clearTimeout = globals.clearInterval = (id?: number) => {
      const at = this.indexOf(id);
      if (at < 0) throw new Error('Unknown Timeout ' + id);
      this.timers.splice(at, 1);
    };
    return this;
  }

  uninstall(): void {
    const globals = globalThis as unknown as TimerGlobals;
    const saved = this.saved;
    if (!saved) return;
    for (let i = 0; i < TIMER_NAMES.length; i++) globals[TIMER_NAMES[i]!] = saved[TIMER_NAMES[i]!];
    this.saved = undefined;
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const endMs = this.nowMs + ms;
    for (;;) {
      const next = this.soonest();
      if (!next || next.dueMs > endMs) break;
      this.nowMs = Math.max(this.nowMs, next.dueMs);
      if (next.everyMs) next.dueMs += next.everyMs;
      else this.timers.splice(this.timers.indexOf(next), 1);
      next.callback(...next.args);
    }
    this.nowMs = endMs;
  }

  /** A reset: RAM and its timers are gone, the flash stays. */
  loseRam(): void {
    this.timers = [];
  }

  /** The next Storage write keeps only its first `chars` characters and throws (the supply died mid-write). */
  cutPowerDuringNextWrite(chars: number): void {
    this.cutAfterChars = chars;
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  private addTimer(callback: (...args: unknown[]) => void, ms: number, everyMs: number, args: unknown[]): number {
    const id = this.nextId++;
    this.timers.push({ id: id, dueMs: this.nowMs + Math.max(0, ms), everyMs: everyMs, callback: callback, args: args });
    return id;
  }

  private indexOf(id: number | undefined): number {
    for (let i = 0; i < this.timers.length; i++) if (this.timers[i]!.id === id) return i;
    return -1;
  }

  private soonest(): FakeTimer | undefined {
    let found: FakeTimer | undefined;
    for (let i = 0; i < this.timers.length; i++) if (!found || this.timers[i]!.dueMs < found.dueMs) found = this.timers[i];
    return found;
  }
}
