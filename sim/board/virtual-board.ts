/**
 * The virtual Espruino board: a Puck.js-class nRF52832 running Espruino 2v29,
 * close enough that the firmware bundle (dist/strap.js) runs on it unmodified.
 *
 * What outlives what, as on the chip:
 *  - RAM (the JS context, timers, watches, events) is rebuilt by reset(),
 *    load(), a hard reset (E.reboot, watchdog) and a power cycle;
 *  - pins, the RTC and the watchdog survive reset()/load() but not a hard
 *    reset or power cycle;
 *  - the flash (Storage) survives everything; pass the same FlashMemory to a
 *    new board to keep it across boards.
 * The board's only clock is the shared VirtualClock and its only randomness a
 * SeededRandom: the same seed and inputs give the same console bytes.
 *
 * The board owns its buses (buses/): its pins, I2C1 and the supply rail with
 * the cell on its battery connector. Device models live outside sim/board
 * and attach to a bus at a pin or an address, as parts on the PCB.
 *
 * This class is the façade tests and tools use; the boot sequence is in
 * boot/boot-sequence.ts, the console links in console/board-console.ts,
 * running firmware code in runtime/code-runner.ts, the RAM in runtime/ram.ts,
 * the Espruino globals in api/.
 */
import type { SeededRandom } from '../clock/seeded-random';
import { SeededRandom as Random } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import type { BoardEnvironment } from './api/board-host';
import type { BoardEventMap, Listener, PinChange, PowerOffReason } from './board-events';
import type { VirtualBoardOptions } from './board-options';
import { wireBoard, type BoardParts } from './board-wiring';
import { I2CBus } from './buses/i2c-bus';
import { NfcTag } from './buses/nfc-tag';
import { RadioPort } from './buses/radio-port';
import type { PinBus } from './buses/pin-bus';
import type { BoardCell, BoardLoad } from './buses/supply-rail';
import type { ConsoleDeviceName } from './console/board-console';
import type { BoardRepl } from './console/board-repl';
import type { ConsolePort, EvalOutcome } from './console/console-contract';
import { scheduleContact, type BounceOptions } from './io/button-bounce';
import { PinBank } from './io/pin-bank';
import { BUTTON_PINS, PUCKJS_BUTTON } from './io/puckjs-pins';
import { createRepl as createEspruinoRepl } from './repl/repl';
import { behindFaultBarrier, faultText, type BoardClock } from './runtime/board-clock';
import { bytesToLatin1, latin1ToBytes } from './runtime/bytes';
import { PUCKJS_TOTAL_BLOCKS } from './runtime/espruino-sizes';
import type { DeepParts } from './runtime/memory-estimate';
import { memoryFigures } from './runtime/ram';
import { FlashMemory } from './storage/flash-memory';
import { JsfStorage } from './storage/jsf-storage';

export type { BootReason, BoardEventMap, JsRunKind, PinChange, PowerOffReason } from './board-events';
export type { VirtualBoardOptions } from './board-options';
export type { BoardCell, BoardLoad } from './buses/supply-rail';
export type { PinBus } from './buses/pin-bus';
export type { BoardRepl, BoardReplOptions, ReplFactory } from './console/board-repl';
export { BoardHalted } from './runtime/board-halted';
export { CONSOLE_FILENAME } from './runtime/code-runner';

export class VirtualBoard<Cell extends BoardCell = BoardCell> implements BoardLoad {
  readonly clock: VirtualClock;
  readonly flash: FlashMemory;
  /** Host-side view of Storage (for tests and tools; firmware uses require('Storage')). */
  readonly storage: JsfStorage;
  /** The cell on the battery connector (the supply rail's seam: buses/supply-rail.ts). */
  readonly cell: Cell;
  /** The pins as parts wired to them see them: drive inputs, watch levels (buses/pin-bus.ts). */
  readonly pins: PinBus;
  /** I2C1: device models attach at their 7-bit address (buses/i2c-bus.ts). */
  readonly i2c1 = new I2CBus();
  /** The radio: a SoftDevice model attaches here and the NRF object drives it (buses/radio-port.ts). */
  readonly radio = new RadioPort();
  /** The nRF52's NFC tag as a reader in the field sees it (buses/nfc-tag.ts). */
  readonly nfc = new NfcTag();
  readonly environment: BoardEnvironment;
  /** The UART console link (Serial1): what a terminal or the espruino CLI talks to. */
  readonly console: ConsolePort;
  readonly repl: BoardRepl;

  private readonly bounceRandom: SeededRandom;
  private readonly bounce: BounceOptions | false;
  /** Events, RAM slot, RTC, watchdog, console links, code runner, boot sequence (board-wiring.ts). */
  private readonly parts: BoardParts;
  /** The chip's side of the pins: modes, latches, what the firmware drives. */
  private readonly pinBank: PinBank;
  private readonly errorFlags = new Set<string>();
  /** The shared clock as the board's parts use it: their events run behind the fault barrier. */
  private readonly boardClock: BoardClock;

  constructor(options: VirtualBoardOptions<Cell>) {
    this.clock = options.clock;
    // every clock event of the board runs behind the fault barrier (runtime/board-clock.ts)
    const clock = (this.boardClock = behindFaultBarrier(options.clock, (error) => this.reportFault(error)));
    const random = options.random ?? new Random(options.seed ?? 1);
    const hwRandom = random.fork('E.hwRand');
    const mathRandom = random.fork('Math.random');
    this.bounceRandom = random.fork('button-bounce');
    const serial = random.fork('serial');
    const serialNumber = hex8(serial.nextUint32()) + '-' + hex8(serial.nextUint32());
    this.flash = options.flash ?? new FlashMemory(options.flashOptions);
    const storage = (this.storage = new JsfStorage(this.flash));
    this.cell = options.cell;
    this.environment = { temperatureC: 22, ...options.environment };
    this.bounce = options.buttonBounce ?? {};
    const pinBank = (this.pinBank = new PinBank(
      () => clock.nowMs(),
      (pin) => (BUTTON_PINS.includes(pin) ? 'input_pulldown' : 'input'),
    ));
    const { i2c1, radio, nfc, cell, environment, errorFlags } = this;
    this.parts = wireBoard({
      clock,
      storage,
      pins: pinBank,
      cell,
      i2c1,
      radio,
      nfc,
      environment,
      errorFlags,
      hwRandom,
      mathRandom,
      serialNumber,
      busyLimitMs: options.busyLoopLimitMs ?? 1000,
      memoryBlocks: options.memoryBlocks ?? PUCKJS_TOTAL_BLOCKS,
      rtcStartMs: options.rtcStartMs ?? 0,
      createRepl: options.createRepl ?? ((o) => createEspruinoRepl(o)),
      readFile: (name) => this.readFile(name),
      hardReset: (reason) => this.hardReset(reason),
    });
    // changes reach outside listeners through the board's 'pin' event, after setWatch has seen them
    this.pins = {
      level: (pin) => pinBank.level(pin),
      drive: (pin, level) => pinBank.drive(pin, level),
      onChange: (listener) => this.on('pin', listener),
    };
    this.console = this.parts.consoleLinks.link('Serial1');
    this.repl = this.parts.consoleLinks.repl;
    this.flash.onPowerCut(() => this.powerOff('power-cut'));
    if (options.powerOn ?? true) this.powerOn();
  }

  // ================================================================ host-facing API

  get powered(): boolean {
    return this.parts.slot.powered;
  }

  /** A byte stream by name: 'Serial1' (same as `console`) or 'Bluetooth' (the BLE UART). */
  link(name: 'Serial1' | 'Bluetooth'): ConsolePort & { readonly listenerCount: number } {
    return this.parts.consoleLinks.link(name);
  }

  /** The device the REPL currently talks on (E.setConsole). */
  get consoleDeviceName(): ConsoleDeviceName {
    return this.parts.consoleLinks.deviceName;
  }

  /** Whether the console is locked (E.setPassword + E.lockConsole): every line is then a password attempt. */
  get consoleLocked(): boolean {
    return this.parts.consoleLinks.lock.locked;
  }

  on<K extends keyof BoardEventMap>(event: K, listener: Listener<BoardEventMap[K]>): () => void {
    return this.parts.events.on(event, listener);
  }

  /** Advances the shared clock by `ms`, running everything due. */
  run(ms: number): void {
    this.clock.advanceBy(ms);
  }

  /** Runs everything due now without moving time. */
  settle(): void {
    this.clock.runDue();
  }

  /**
   * Runs clock events while the board has work pending (timers, events,
   * input), at most `limitMs` of virtual time. With an interval running this
   * is the whole limit.
   */
  runUntilIdle(limitMs = 60_000): void {
    const end = this.clock.nowMs() + limitMs;
    for (;;) {
      const ram = this.parts.slot.current;
      const next = this.clock.nextDeadlineMs();
      if (next === undefined || next > end) break;
      if (!ram || ram.loop.isIdle()) {
        if (next > this.clock.nowMs()) break;
      }
      this.clock.runNext();
    }
  }

  /** Evaluates code at the board's global scope, as a console line would (without the REPL). */
  evaluate(source: string): EvalOutcome {
    const outcome = this.parts.code.evaluateConsoleLine(source);
    this.parts.slot.current?.loop.queueWork();
    return outcome;
  }

  /** Faults of the simulator itself caught at the barrier (reported on the console as "ERROR: virtual board fault: …"). */
  get faults(): readonly unknown[] {
    return this.faultLog;
  }

  powerOn(): void {
    if (this.parts.slot.powered) return;
    this.startHardware();
    this.parts.boot.boot('power-on');
  }

  /** Supply gone: RAM lost at once (no 'kill' events), flash kept. */
  powerOff(reason: PowerOffReason = 'power-off'): void {
    if (!this.parts.slot.powered) return;
    this.parts.slot.kill();
    this.parts.slot.powered = false;
    this.parts.watchdog.stop();
    this.parts.events.emit('powerOff', { reason, timeMs: this.clock.nowMs() });
  }

  /** Off now, on again after `offMs`. */
  powerCycle(offMs = 1000): void {
    this.powerOff();
    this.boardClock.scheduleIn(offMs, () => this.powerOn(), 'board:power-on');
  }

  /** A hardware reset (as E.reboot() or the watchdog): RAM, pins, RTC, watchdog start over. */
  hardReset(reason: 'hard-reset' | 'watchdog' = 'hard-reset'): void {
    if (this.parts.slot.powered) {
      this.powerOff(reason);
    }
    this.startHardware();
    this.parts.boot.boot(reason);
  }

  /** Presses the button for `holdMs` (with contact bounce unless disabled). */
  pressButton(holdMs: number): void {
    const now = this.clock.nowMs();
    const drive = (level: boolean) => this.pinBank.drive(PUCKJS_BUTTON, level);
    scheduleContact(this.boardClock, this.bounceRandom, this.bounce, now, true, drive);
    scheduleContact(this.boardClock, this.bounceRandom, this.bounce, now + holdMs, false, drive);
  }

  /** Holds the button down / lets it go, right now, without bounce. */
  setButton(down: boolean): void {
    this.pinBank.drive(PUCKJS_BUTTON, down);
  }

  /** Same as `pins.level(pin)`. */
  pinLevel(pin: number): boolean {
    return this.pinBank.level(pin);
  }

  /** Same as `pins.onChange(listener)`. */
  onPinChange(listener: Listener<PinChange>): () => void {
    return this.on('pin', listener);
  }

  /** Sets one of E.getErrorFlags()'s flags (e.g. 'FIFO_FULL', 'LOW_MEMORY'). */
  raiseErrorFlag(flag: string): void {
    this.errorFlags.add(flag);
  }

  /** A Storage write from outside the firmware (e.g. flashing dist/strap.js as .bootcde). */
  writeFile(name: string, data: string | Uint8Array): void {
    this.storage.write(name, typeof data === 'string' ? latin1ToBytes(data) : data);
  }

  readFile(name: string): string | undefined {
    const bytes = this.storage.read(name);
    return bytes === undefined ? undefined : bytesToLatin1(bytes);
  }

  /**
   * The board's memory accounting read from the host, without running any
   * JavaScript: process.memory()'s figures counted now (runtime/ram.ts), and
   * `peak`, the most variables any count has found in use since the RAM was
   * made (the board counts after console lines, every few callbacks, before
   * large allocations, and at each call of this). For benches and tests that
   * sample the firmware's use at every callback. With `closures`, the
   * values the firmware's closures keep are read and counted too, as the
   * board's deep count does (runtime/closure-scan.ts: milliseconds, not
   * microseconds), and `usage` may pass `total` (it is the count as made;
   * the peak is the usual counts'), and `parts` says where the variables go.
   */
  memory(options: { closures?: boolean } = {}): { usage: number; free: number; total: number; peak: number; parts?: DeepParts } {
    const ram = this.parts.slot.current;
    if (!ram) return { usage: 0, free: PUCKJS_TOTAL_BLOCKS, total: PUCKJS_TOTAL_BLOCKS, peak: 0 };
    const parts = options.closures ? ({} as DeepParts) : undefined;
    const { usage, free, total } = memoryFigures(ram, options.closures, parts);
    return { usage, free, total, peak: ram.memory.peak, ...(parts && { parts }) };
  }

  /** Pending JS timers and watches (for tests and traces). */
  stats(): { timers: number; watches: number; events: number } {
    const ram = this.parts.slot.current;
    if (!ram) return { timers: 0, watches: 0, events: 0 };
    return { timers: ram.loop.jsTimers().length, watches: ram.watches.count(), events: ram.loop.pendingEventCount() };
  }

  // ================================================================ faults

  private readonly faultLog: unknown[] = [];

  /** A clock event of the board threw: a fault of the simulator, reported on the console; the board carries on. */
  private reportFault(error: unknown): void {
    if (this.faultLog.length < 100) this.faultLog.push(error);
    const ram = this.parts.slot.current;
    if (ram) this.parts.consoleLinks.printText(ram, faultText(error));
  }

  // ================================================================ hardware start

  /** Power-on or hard reset: the chip starts (RTC, console on Serial1, no error flags, pins at reset state). */
  private startHardware(): void {
    this.parts.slot.powered = true;
    this.parts.rtc.start();
    this.parts.consoleLinks.resetDevice();
    this.errorFlags.clear();
    this.pinBank.resetStates();
  }
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
