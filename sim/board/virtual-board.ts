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
 * Boot sequence (src/jsinteractive.c jsiInit/jsiSemiInit/jsiSoftInit,
 * src/jsflash.c jsfLoadBootCodeFromFlash):
 *   power-on / hard reset: Storage check ("Storage is corrupt." → erase all),
 *     saved state (.varimg) if any, then .boot0….boot3, then .bootrst if it
 *     exists else .bootcde, then E.on('init') handlers and onInit(); the logo
 *     is printed only when nothing was saved; then the prompt.
 *   reset(): E 'kill' handlers, RAM cleared, .boot0-3 and .bootrst (not
 *     .bootcde), 'init', logo, prompt.
 *   load(): 'kill', RAM cleared, saved state, .boot0-3 + .bootcde, 'init'.
 *   load(file): 'kill', RAM cleared, as reset() then the file is evaluated.
 *   save(): 'kill', state written to .varimg, then boot code and 'init' run
 *     again in the same RAM (jsiSoftInit), as Espruino does.
 *
 * save() cannot serialise V8's heap. The closest real thing: the board keeps
 * every console line evaluated since RAM was last cleared and save() writes
 * them to Storage as ".varimg" (format "ESPRUINO-SIM VARIMG 1\n" + JSON array
 * of sources); loading replays them silently before the boot code, so what
 * was built at the console comes back. Timers restart from the replay time.
 */
import type { SeededRandom } from '../clock/seeded-random';
import { SeededRandom as Random } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import { LiPoCell } from '../power/cell';
import type { BoardEnvironment, BoardHost, ConsoleDeviceName, DeferredWork } from './api/board-host';
import { I2CBus } from './api/i2c-bus';
import { buffered, installDevices, setBuffered, type DeviceObjects } from './api/install-devices';
import { installE } from './api/install-e';
import { installGlobals } from './api/install-globals';
import { installIo, BUTTON_PINS } from './api/install-io';
import { installProcess } from './api/install-process';
import { createStorageModule } from './api/storage-module';
import { BOOT_BANNER } from './banner';
import { bounceOffsets, type BounceOptions } from './button-bounce';
import { bytesToLatin1, latin1ToBytes } from './bytes';
import { ConsoleLink } from './console-link';
import type { ConsolePort, EvalOutcome, Repl, ReplOptions } from './console-contract';
import { HIDDEN_GLOBALS, HIDDEN_MEMBERS } from './context/hidden-builtins';
import { ProgramRunner } from './context/program-runner';
import { Realm } from './context/realm';
import { EventLoop, type TimerCallback } from './event-loop';
import { EXECUTION_INTERRUPTED, EXECUTION_INTERRUPTED_TEXT, ExecutionInterrupted } from './execution-interrupted';
import { PUCKJS_BLOCK_SIZE, PUCKJS_TOTAL_BLOCKS, estimateUsageBlocks } from './memory-estimate';
import { PinBank, type PinChange } from './pin-bank';
import { createRepl as createEspruinoRepl, type ErrorSite, type PacketHost } from './repl/repl';
import { FlashMemory, PowerCut, type FlashOptions } from './storage/flash-memory';
import { JsfStorage, StorageError } from './storage/jsf-storage';
import { WatchManager } from './watches';

/** The REPL as the board drives it (the real one is sim/board/repl/repl.ts). */
export interface BoardRepl extends Repl {
  /** End of one idle-loop pass: pending Ctrl-C, prompt redraw. */
  endLoopPass?(): void;
  /** reset()/load()/power-on: input, history and echo back to their start state. */
  resetConsoleState?(): void;
}

export interface BoardReplOptions extends ReplOptions {
  engine: ReplOptions['engine'] & { locateError?(error: unknown): ErrorSite | undefined };
  loop: 'board';
  /** Storage, events and the clock for Espruino's 2v25+ packet protocol (repl/packet-handler.ts). */
  packets: PacketHost;
}

export type ReplFactory = (options: BoardReplOptions) => BoardRepl;

export interface VirtualBoardOptions {
  clock: VirtualClock;
  /** Seed for every random stream of the board (default 1). Ignored when `random` is given. */
  seed?: number | string;
  random?: SeededRandom;
  /** Keep Storage across boards by passing the same FlashMemory. */
  flash?: FlashMemory;
  flashOptions?: FlashOptions;
  cell?: LiPoCell;
  environment?: Partial<BoardEnvironment>;
  /** Wall-clock limit for one run of JS before it counts as a busy loop (default 1000 ms). */
  busyLoopLimitMs?: number;
  /** Date.now() right after power-on (default 0: the RTC starts at the epoch, as on a Puck). */
  rtcStartMs?: number;
  /** Contact bounce of pressButton(); false for clean edges. */
  buttonBounce?: BounceOptions | false;
  /** The REPL to build (default: sim/board/repl/repl.ts createRepl). */
  createRepl?: ReplFactory;
  /** Power the board up in the constructor (default true). */
  powerOn?: boolean;
}

export type BootReason = 'power-on' | 'hard-reset' | 'watchdog' | 'reset' | 'load' | 'save';
export type PowerOffReason = 'power-off' | 'power-cut' | 'hard-reset' | 'watchdog' | 'brownout';

/** What ran when the board ran JavaScript (for the power model: JS costs CPU time, virtual time does not move). */
export type JsRunKind = 'callback' | 'boot' | 'console';

export interface BoardEventMap {
  boot: { reason: BootReason; timeMs: number };
  powerOff: { reason: PowerOffReason; timeMs: number };
  pin: PinChange;
  /** JavaScript starts or ends running (in zero virtual time). */
  js: { phase: 'start' | 'end'; kind: JsRunKind; timeMs: number };
  /** A host attached to or left a console link (the listener count after the change). */
  link: { name: 'Serial1' | 'Bluetooth'; listeners: number };
}

export const CONSOLE_FILENAME = 'console';
const VARIMG = '.varimg';
const VARIMG_HEADER = 'ESPRUINO-SIM VARIMG 1\n';

/** Thrown through running JS when the board stops under it (reboot, power cut). */
export class BoardHalted extends Error {
  constructor() {
    super('board halted');
    this.name = 'BoardHalted';
  }
}

interface Ram {
  realm: Realm;
  runner: ProgramRunner;
  loop: EventLoop;
  watches: WatchManager;
  host: BoardHost;
  devices: DeviceObjects;
  E: Record<string, unknown>;
  process: Record<string, unknown>;
  builtinNames: Set<string>;
  /** Console lines evaluated since RAM was cleared (for save()). */
  evalLog: string[];
  deferred: DeferredWork[];
  halted: boolean;
  lastConsoleSource: string;
}

type Listener<T> = (event: T) => void;

export class VirtualBoard {
  readonly clock: VirtualClock;
  readonly flash: FlashMemory;
  /** Host-side view of Storage (for tests and tools; firmware uses require('Storage')). */
  readonly storage: JsfStorage;
  readonly cell: LiPoCell;
  readonly i2c1 = new I2CBus();
  readonly environment: BoardEnvironment;
  readonly pins: PinBank;
  /** The UART console link (Serial1): what a terminal or the espruino CLI talks to. */
  readonly console: ConsolePort;
  readonly repl: BoardRepl;

  private readonly random: SeededRandom;
  private readonly hwRandom: SeededRandom;
  private readonly mathRandom: SeededRandom;
  private readonly bounceRandom: SeededRandom;
  private readonly serialNumber: string;
  private readonly busyLimitMs: number;
  private readonly rtcStartMs: number;
  private readonly bounce: BounceOptions | false;
  private readonly links: Record<'Serial1' | 'Bluetooth', ConsoleLink>;
  private readonly listeners: { [K in keyof BoardEventMap]: Set<Listener<BoardEventMap[K]>> } = {
    boot: new Set(),
    powerOff: new Set(),
    pin: new Set(),
    js: new Set(),
    link: new Set(),
  };

  private ram: Ram | undefined;
  private isPowered = false;
  private powerOnAtMs = 0;
  private rtcOffsetMs = 0;
  private consoleDevice: ConsoleDeviceName = 'Serial1';
  private echoOn = true;
  private muted = false;
  private readonly errorFlags = new Set<string>();
  private watchdog: { timeoutMs: number; auto: boolean; expiry?: number } | undefined;
  private readonly pulseEvents = new Set<number>();

  constructor(options: VirtualBoardOptions) {
    this.clock = options.clock;
    this.random = options.random ?? new Random(options.seed ?? 1);
    this.hwRandom = this.random.fork('E.hwRand');
    this.mathRandom = this.random.fork('Math.random');
    this.bounceRandom = this.random.fork('button-bounce');
    const serial = this.random.fork('serial');
    this.serialNumber = hex8(serial.nextUint32()) + '-' + hex8(serial.nextUint32());
    this.flash = options.flash ?? new FlashMemory(options.flashOptions);
    this.storage = new JsfStorage(this.flash);
    this.cell = options.cell ?? new LiPoCell();
    this.environment = { temperatureC: 22, ...options.environment };
    this.busyLimitMs = options.busyLoopLimitMs ?? 1000;
    this.rtcStartMs = options.rtcStartMs ?? 0;
    this.bounce = options.buttonBounce ?? {};
    this.pins = new PinBank(
      () => this.clock.nowMs(),
      (pin) => (BUTTON_PINS.includes(pin) ? 'input_pulldown' : 'input'),
    );
    this.pins.onChange((change) => {
      this.ram?.watches.noteEdge(change.pin, change.level, change.timeMs);
      this.emit('pin', change);
    });
    this.links = {
      Serial1: new ConsoleLink(
        'Serial1',
        (bytes) => this.receive('Serial1', bytes),
        (listeners) => this.emit('link', { name: 'Serial1', listeners }),
      ),
      Bluetooth: new ConsoleLink(
        'Bluetooth',
        (bytes) => this.receive('Bluetooth', bytes),
        (listeners) => this.emit('link', { name: 'Bluetooth', listeners }),
      ),
    };
    this.console = this.links.Serial1;
    const factory: ReplFactory = options.createRepl ?? ((o) => createEspruinoRepl(o));
    this.repl = factory({
      engine: {
        evaluate: (source) => this.evaluateConsoleLine(source),
        locateError: (error) => this.locateConsoleError(error),
      },
      write: (bytes) => this.consoleOutput(bytes),
      loop: 'board',
      packets: this.packetHost(),
    });
    this.flash.onPowerCut(() => this.powerOff('power-cut'));
    if (options.powerOn ?? true) this.powerOn();
  }

  // ================================================================ host-facing API

  get powered(): boolean {
    return this.isPowered;
  }

  /** A byte stream by name: 'Serial1' (same as `console`) or 'Bluetooth' (the BLE UART). */
  link(name: 'Serial1' | 'Bluetooth'): ConsolePort & { readonly listenerCount: number } {
    return this.links[name];
  }

  /** The device the REPL currently talks on (E.setConsole). */
  get consoleDeviceName(): ConsoleDeviceName {
    return this.consoleDevice;
  }

  on<K extends keyof BoardEventMap>(event: K, listener: Listener<BoardEventMap[K]>): () => void {
    this.listeners[event].add(listener);
    return () => this.listeners[event].delete(listener);
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
      const ram = this.ram;
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
    const outcome = this.evaluateConsoleLine(source);
    this.ram?.loop.queueWork();
    return outcome;
  }

  powerOn(): void {
    if (this.isPowered) return;
    this.startHardware();
    this.boot('power-on');
  }

  /** Supply gone: RAM lost at once (no 'kill' events), flash kept. */
  powerOff(reason: PowerOffReason = 'power-off'): void {
    if (!this.isPowered) return;
    this.killRam();
    this.isPowered = false;
    this.disarmWatchdog();
    this.watchdog = undefined;
    this.emit('powerOff', { reason, timeMs: this.clock.nowMs() });
  }

  /** Off now, on again after `offMs`. */
  powerCycle(offMs = 1000): void {
    this.powerOff();
    this.clock.scheduleIn(offMs, () => this.powerOn(), 'board:power-on');
  }

  /** A hardware reset (as E.reboot() or the watchdog): RAM, pins, RTC, watchdog start over. */
  hardReset(reason: 'hard-reset' | 'watchdog' = 'hard-reset'): void {
    if (this.isPowered) {
      this.powerOff(reason);
    }
    this.startHardware();
    this.boot(reason);
  }

  /** Presses the button for `holdMs` (with contact bounce unless disabled). */
  pressButton(holdMs: number): void {
    const now = this.clock.nowMs();
    this.scheduleContact(now, true);
    this.scheduleContact(now + holdMs, false);
  }

  /** Holds the button down / lets it go, right now, without bounce. */
  setButton(down: boolean): void {
    this.pins.drive(BUTTON_PINS[0]!, down);
  }

  pinLevel(pin: number): boolean {
    return this.pins.level(pin);
  }

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

  /** Pending JS timers and watches (for tests and traces). */
  stats(): { timers: number; watches: number; events: number } {
    const ram = this.ram;
    if (!ram) return { timers: 0, watches: 0, events: 0 };
    return { timers: ram.loop.jsTimers().length, watches: ram.watches.count(), events: ram.loop.pendingEventCount() };
  }

  // ================================================================ power, boot and resets

  private startHardware(): void {
    this.isPowered = true;
    this.powerOnAtMs = this.clock.nowMs();
    this.rtcOffsetMs = this.rtcStartMs;
    this.consoleDevice = 'Serial1';
    this.errorFlags.clear();
    this.pins.resetStates();
  }

  private boot(reason: 'power-on' | 'hard-reset' | 'watchdog'): void {
    this.repl.resetConsoleState?.();
    this.echoOn = true;
    const ram = this.createRam();
    // jsiSemiInit on the first boot: a broken header chain erases Storage
    if (!this.storage.isValid()) {
      this.printText(ram, 'Storage is corrupt.\n');
      this.storage.eraseAll();
    }
    const hadCode = this.flashContainsCode();
    if (hadCode) this.loadSavedState(ram);
    this.softInit(ram, false);
    if (!this.isCurrent(ram)) return;
    this.finishSemiInit(ram, !hadCode);
    this.emit('boot', { reason, timeMs: this.clock.nowMs() });
  }

  /** The end of jsiSemiInit: logo (if nothing was loaded), a newline, the prompt. */
  private finishSemiInit(ram: Ram, showLogo: boolean): void {
    if (this.echoOn) this.printText(ram, (showLogo ? BOOT_BANNER : '') + '\n');
    this.repl.showPrompt();
    this.repl.endLoopPass?.();
    ram.loop.queueWork();
  }

  private flashContainsCode(): boolean {
    return this.storage.find(VARIMG) !== undefined || this.storage.find('.bootcde') !== undefined || this.storage.find('.bootrst') !== undefined;
  }

  /** jsiSoftInit: boot files, then E 'init' handlers and onInit(). */
  private softInit(ram: Ram, hasBeenReset: boolean): void {
    for (let i = 0; i < 4; i++) this.runBootFile(ram, `.boot${i}`);
    if (!this.isCurrent(ram)) return;
    const resetCode = this.storage.find('.bootrst') ? '.bootrst' : undefined;
    const bootFile = resetCode ?? (hasBeenReset ? undefined : '.bootcde');
    if (bootFile) this.runBootFile(ram, bootFile);
    if (!this.isCurrent(ram)) return;
    for (const listener of ram.realm.listeners(ram.E, 'init')) {
      this.runCallback(ram, listener, ram.E, []);
      if (!this.isCurrent(ram)) return;
    }
    const onInit = ram.realm.global.onInit;
    if (typeof onInit === 'function') {
      if (this.echoOn) this.printText(ram, 'Running onInit()...\n');
      this.runCallback(ram, onInit, undefined, []);
    }
  }

  private runBootFile(ram: Ram, name: string): void {
    const bytes = this.storage.read(name);
    if (!bytes || !this.isCurrent(ram)) return;
    this.noteJs('start', 'boot');
    try {
      ram.runner.runProgram(bytesToLatin1(bytes), name);
    } catch (error) {
      this.handleThrown(ram, error);
    } finally {
      this.noteJs('end', 'boot');
    }
  }

  /** The saved state (.varimg): console lines replayed silently. */
  private loadSavedState(ram: Ram): void {
    const bytes = this.storage.read(VARIMG);
    if (!bytes) return;
    this.printText(ram, `Loading ${bytes.length} bytes from flash...\n`);
    const text = bytesToLatin1(bytes);
    let sources: string[] = [];
    try {
      if (text.startsWith(VARIMG_HEADER)) sources = (JSON.parse(text.slice(VARIMG_HEADER.length)) as unknown[]).map(String);
    } catch {
      sources = [];
    }
    this.muted = true;
    try {
      for (const source of sources) {
        try {
          ram.runner.runProgram(source, CONSOLE_FILENAME);
        } catch (error) {
          this.handleThrown(ram, error);
        }
        if (!this.isCurrent(ram)) return;
      }
    } finally {
      this.muted = false;
    }
    ram.evalLog = sources.slice();
    ram.deferred.length = 0;
  }

  /** Runs reset()/load()/save() once the interpreter is idle (JSIS_TODO_*). */
  private runDeferred(ram: Ram, work: DeferredWork): void {
    switch (work.kind) {
      case 'reset': {
        if (work.clearFlash) {
          this.printText(ram, 'Erasing saved code.');
          for (const f of [VARIMG, '.bootcde', '.bootrst']) this.storage.erase(f);
          this.printText(ram, '\nDone!\n');
        }
        this.softKill(ram);
        this.killRam();
        this.pins.resetStates();
        this.repl.resetConsoleState?.();
        this.echoOn = true;
        const next = this.createRam();
        this.softInit(next, true);
        if (this.isCurrent(next)) this.finishSemiInit(next, true);
        this.emit('boot', { reason: 'reset', timeMs: this.clock.nowMs() });
        return;
      }
      case 'load': {
        this.softKill(ram);
        this.killRam();
        this.pins.resetStates();
        this.repl.resetConsoleState?.();
        this.echoOn = true;
        const next = this.createRam();
        if (work.filename !== undefined) {
          next.realm.global.__FILE__ = work.filename;
          this.softInit(next, true);
          if (!this.isCurrent(next)) return;
          this.finishSemiInit(next, true);
          this.runBootFile(next, work.filename);
        } else {
          this.loadSavedState(next);
          this.softInit(next, false);
          if (!this.isCurrent(next)) return;
          this.repl.showPrompt();
          next.loop.queueWork();
        }
        this.emit('boot', { reason: 'load', timeMs: this.clock.nowMs() });
        return;
      }
      case 'save': {
        this.softKill(ram);
        const image = VARIMG_HEADER + JSON.stringify(ram.evalLog);
        const usageBytes = this.memoryFigures(ram).usage * PUCKJS_BLOCK_SIZE;
        this.printText(ram, 'Compacting Flash...\nCalculating Size...\nWriting..');
        try {
          this.storage.write(VARIMG, latin1ToBytes(image));
        } catch (error) {
          if (error instanceof PowerCut) return;
          if (!(error instanceof StorageError)) throw error;
          this.handleThrown(ram, ram.realm.error('Error', error.message));
        }
        this.printText(ram, `\nCompressed ${usageBytes} bytes to ${image.length}\n`);
        this.softInit(ram, false);
        this.emit('boot', { reason: 'save', timeMs: this.clock.nowMs() });
        return;
      }
    }
  }

  /** jsiSoftKill: E 'kill' handlers. */
  private softKill(ram: Ram): void {
    for (const listener of ram.realm.listeners(ram.E, 'kill')) this.runCallback(ram, listener, ram.E, []);
  }

  private killRam(): void {
    const ram = this.ram;
    if (!ram) return;
    ram.halted = true;
    ram.loop.stop();
    ram.watches.clear();
    for (const id of this.pulseEvents) this.clock.cancel(id);
    this.pulseEvents.clear();
    this.ram = undefined;
  }

  // ================================================================ the JS context

  private createRam(): Ram {
    const ram = { evalLog: [], deferred: [], halted: false, lastConsoleSource: '' } as unknown as Ram;
    ram.realm = new Realm({
      nowMs: () => this.rtcMs(),
      random: () => this.mathRandom.next(),
      queueEvent: (fn) => ram.loop.queueEvent(fn),
      hiddenGlobals: HIDDEN_GLOBALS,
      hiddenMembers: HIDDEN_MEMBERS,
    });
    ram.realm.setGuard(() => {
      if (ram.halted || this.ram !== ram || !this.isPowered) throw new BoardHalted();
    });
    ram.runner = new ProgramRunner(ram.realm, this.busyLimitMs);
    ram.loop = new EventLoop(this.clock, {
      runCallback: (callback, thisArg, args) => this.runCallback(ram, callback, thisArg, args),
      processEdges: () => ram.watches.processEdges(),
      afterEvents: () => this.afterEvents(ram),
      isCurrent: () => this.isCurrent(ram),
      intervalInterrupted: () => {
        this.printText(ram, 'ERROR: Ctrl-C while processing interval - removing it.\n');
        this.errorFlags.add('CALLBACK');
      },
    });
    ram.watches = new WatchManager({
      loop: ram.loop,
      secondsAt: (ms) => this.secondsAt(ms),
      fire: (callback, event) => {
        this.runCallback(ram, callback, undefined, [ram.realm.object(event)]);
      },
    });
    ram.host = this.makeHost(ram);
    let storageModule: Record<string, unknown> | undefined;
    installGlobals(ram.host, { Storage: () => (storageModule ??= createStorageModule(ram.host)) });
    installIo(ram.host);
    ram.E = installE(ram.host);
    ram.devices = installDevices(ram.host);
    ram.process = installProcess(ram.host, { serial: this.serialNumber });
    ram.builtinNames = new Set(Object.getOwnPropertyNames(ram.realm.global));
    this.ram = ram;
    return ram;
  }

  private isCurrent(ram: Ram): boolean {
    return this.ram === ram && !ram.halted && this.isPowered;
  }

  private makeHost(ram: Ram): BoardHost {
    const board = this;
    return {
      realm: ram.realm,
      get loop() {
        return ram.loop;
      },
      get watches() {
        return ram.watches;
      },
      pins: this.pins,
      storage: this.storage,
      cell: this.cell,
      i2c1: this.i2c1,
      environment: this.environment,
      hwRandom: this.hwRandom,
      nowMs: () => this.clock.nowMs(),
      schedulePinWrite: (pin, level, atMs) => {
        const id: number = this.clock.scheduleAt(
          atMs,
          () => {
            this.pulseEvents.delete(id);
            if (this.isCurrent(ram)) this.pins.write(pin, level);
          },
          'board:pulse',
        );
        this.pulseEvents.add(id);
      },
      timeSeconds: () => this.rtcMs() / 1000,
      secondsAt: (ms) => this.secondsAt(ms),
      setTimeSeconds: (seconds) => {
        if (Number.isFinite(seconds)) this.rtcOffsetMs = seconds * 1000 - (this.clock.nowMs() - this.powerOnAtMs);
      },
      runCallback: (callback, thisArg, args) => {
        this.runCallback(ram, callback, thisArg, args);
      },
      runProgram: (source, filename) => ram.runner.runProgram(source, filename),
      printLine: (text) => this.printText(ram, text + '\n'),
      writeToDevice: (device, bytes) => {
        if (device !== 'null' && this.isCurrent(ram)) this.links[device].emit(bytes);
      },
      consoleDevice: () => this.consoleDevice,
      setConsole: (device, _force) => this.setConsole(device),
      setEcho: (on) => {
        this.echoOn = on;
        this.repl.setEcho(on);
      },
      defer: (work) => {
        ram.deferred.push(work);
        ram.loop.queueWork();
      },
      rebootNow: () => {
        ram.halted = true;
        this.clock.scheduleIn(0, () => this.hardReset('hard-reset'), 'board:reboot');
        throw new BoardHalted();
      },
      enableWatchdog: (timeoutS, auto) => this.enableWatchdog(timeoutS, auto),
      kickWatchdog: () => this.kickWatchdog(),
      takeErrorFlags: () => {
        const flags = [...this.errorFlags];
        this.errorFlags.clear();
        return flags;
      },
      memory: () => board.memoryFigures(ram),
      setBootCode: (code, alwaysRun) => {
        try {
          this.storage.erase('.bootcde');
          this.storage.erase('.bootrst');
          if (code.length > 0) this.storage.write(alwaysRun ? '.bootrst' : '.bootcde', latin1ToBytes(code));
        } catch (error) {
          if (error instanceof StorageError) throw ram.realm.error('Error', error.message);
          throw error;
        }
      },
    };
  }

  /** Runs firmware code from the loop. Returns false when it was interrupted as a busy loop. */
  private runCallback(ram: Ram, callback: TimerCallback, thisArg: unknown, args: readonly unknown[]): boolean {
    if (!this.isCurrent(ram)) return true;
    this.noteJs('start', 'callback');
    try {
      if (typeof callback === 'string') ram.runner.runProgram(callback, 'callback');
      else ram.runner.call(callback, thisArg, args);
      return true;
    } catch (error) {
      return this.handleThrown(ram, error);
    } finally {
      this.noteJs('end', 'callback');
    }
  }

  /** What happens to something thrown out of firmware code. Returns false for an interrupted busy loop. */
  private handleThrown(ram: Ram, error: unknown): boolean {
    if (error instanceof BoardHalted || error instanceof PowerCut || !this.isCurrent(ram)) return true;
    if (error instanceof ExecutionInterrupted) {
      if (this.watchdog) {
        // the CPU is stuck: on hardware the watchdog fires and resets the chip
        ram.halted = true;
        this.clock.scheduleIn(0, () => this.hardReset('watchdog'), 'board:watchdog');
        return true;
      }
      this.printText(ram, EXECUTION_INTERRUPTED_TEXT + '\n');
      return false;
    }
    this.reportUncaught(ram, error);
    return true;
  }

  /** jsiCheckErrors: process.on('uncaughtException') handlers, else "Uncaught ..." on the console. */
  private reportUncaught(ram: Ram, error: unknown): void {
    if (this.muted) return;
    const handlers = ram.realm.listeners(ram.process, 'uncaughtException');
    if (handlers.length > 0) {
      for (const handler of handlers) {
        try {
          ram.runner.call(handler, ram.process, [error]);
        } catch (nested) {
          if (nested instanceof BoardHalted || nested instanceof PowerCut) return;
          this.repl.reportUncaught(nested);
        }
      }
      return;
    }
    this.repl.reportUncaught(error);
  }

  /** Phase 4 of an idle pass. */
  private afterEvents(ram: Ram): void {
    const work = ram.deferred.shift();
    ram.deferred.length = 0;
    if (work) this.runDeferred(ram, work);
    this.repl.endLoopPass?.();
  }

  private memoryFigures(ram: Ram) {
    const counts = { timers: ram.loop.timerCount(), watches: ram.watches.count(), events: ram.loop.pendingEventCount() };
    const usage = Math.min(PUCKJS_TOTAL_BLOCKS, estimateUsageBlocks(ram.realm.global, ram.builtinNames, counts));
    return { free: PUCKJS_TOTAL_BLOCKS - usage, usage, total: PUCKJS_TOTAL_BLOCKS, history: 0, blocksize: PUCKJS_BLOCK_SIZE };
  }

  // ================================================================ console

  private evaluateConsoleLine(source: string): EvalOutcome {
    const ram = this.ram;
    if (!ram || !this.isCurrent(ram)) return { ok: true, value: undefined };
    ram.evalLog.push(source);
    ram.lastConsoleSource = source;
    this.noteJs('start', 'console');
    try {
      return { ok: true, value: ram.runner.runProgram(source, CONSOLE_FILENAME) };
    } catch (error) {
      if (error instanceof ExecutionInterrupted) {
        if (this.watchdog) {
          ram.halted = true;
          this.clock.scheduleIn(0, () => this.hardReset('watchdog'), 'board:watchdog');
          return { ok: true, value: undefined };
        }
        return { ok: false, error: EXECUTION_INTERRUPTED };
      }
      if (error instanceof BoardHalted || error instanceof PowerCut || !this.isCurrent(ram)) return { ok: true, value: undefined };
      return { ok: false, error };
    } finally {
      this.noteJs('end', 'console');
    }
  }

  private locateConsoleError(error: unknown): ErrorSite | undefined {
    const ram = this.ram;
    if (!ram) return undefined;
    const at = ram.runner.locate(error, CONSOLE_FILENAME);
    return at ? { source: ram.lastConsoleSource, line: at.line, col: at.col } : undefined;
  }

  /** What the REPL's 2v25+ packet protocol works on: this board's Storage, E 'packet' events, its clock. */
  private packetHost(): PacketHost {
    return {
      writeFile: (name, data, offset, size) => {
        try {
          this.storage.write(name, latin1ToBytes(data), offset, size);
        } catch (error) {
          // Espruino reports Storage failures as a plain Error
          throw error instanceof StorageError ? new Error(error.message) : error;
        }
      },
      readFile: (name) => this.readFile(name),
      emitPacketEvent: (json) => {
        const ram = this.ram;
        if (!ram || !this.isCurrent(ram)) return;
        let value: unknown;
        try {
          value = ram.realm.jsonParse(json);
        } catch {
          value = undefined;
        }
        const emit = (ram.E as { emit?: unknown }).emit;
        if (typeof emit === 'function') ram.loop.queueEvent(emit, ram.E, ['packet', value]);
      },
      setTimer: (ms, callback) => {
        const id = this.clock.scheduleIn(ms, callback, 'board:packet-timeout');
        return () => this.clock.cancel(id);
      },
    };
  }

  /** Bytes arriving on a link are taken in the board's next idle pass. */
  private receive(device: 'Serial1' | 'Bluetooth', bytes: string): void {
    this.clock.scheduleIn(0, () => this.takeInput(device, bytes), `board:rx:${device}`);
  }

  private takeInput(device: 'Serial1' | 'Bluetooth', bytes: string): void {
    const ram = this.ram;
    if (!this.isPowered || !ram) return;
    if (device === this.consoleDevice) {
      this.repl.receive(bytes);
      if (this.ram) this.ram.loop.queueWork();
      return;
    }
    const stream = device === 'Serial1' ? ram.devices.serial1 : ram.devices.bluetooth;
    if (ram.realm.listeners(stream, 'data').length > 0) {
      ram.loop.queueEvent((stream as { emit: Function }).emit, stream, ['data', bytes]);
    } else {
      setBuffered(stream, buffered(stream) + bytes);
    }
  }

  private consoleOutput(bytes: string): void {
    const ram = this.ram;
    if (!this.isPowered || !ram || ram.halted || this.consoleDevice === 'null') return;
    this.links[this.consoleDevice].emit(bytes);
  }

  /** Firmware/boot text for the console ('\n' line ends; the REPL sends "\r\n"). */
  private printText(ram: Ram, text: string): void {
    if (this.muted || !this.isCurrent(ram)) return;
    this.repl.printFromFirmware(text);
  }

  /** jsiSetConsoleDevice: with echo on, "-> new" on the old device and "<- old" on the new one. */
  private setConsole(device: ConsoleDeviceName): void {
    const old = this.consoleDevice;
    if (device === old) return;
    if (this.echoOn && old !== 'null') this.links[old].emit(`-> ${device}\r\n`);
    this.consoleDevice = device;
    if (this.echoOn && device !== 'null') {
      this.links[device].emit(`<- ${old}\r\n`);
      this.repl.showPrompt();
    }
  }

  // ================================================================ time, watchdog, button

  private rtcMs(): number {
    return this.rtcOffsetMs + (this.clock.nowMs() - this.powerOnAtMs);
  }

  private secondsAt(virtualMs: number): number {
    return (this.rtcOffsetMs + (virtualMs - this.powerOnAtMs)) / 1000;
  }

  /**
   * E.enableWatchdog (nRF52 WDT): auto mode is kicked by the idle loop, so it
   * only fires when JS never returns (a busy loop); manual mode fires unless
   * E.kickWatchdog() comes within the timeout. The WDT survives reset() and
   * load(); once running its timeout cannot change (nRF52 PS: CRV is locked
   * while the WDT runs).
   */
  private enableWatchdog(timeoutS: number, auto: boolean): void {
    const timeoutMs = Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS * 1000 : 1000;
    this.watchdog = { timeoutMs: this.watchdog?.timeoutMs ?? timeoutMs, auto };
    this.kickWatchdog();
  }

  private kickWatchdog(): void {
    const wd = this.watchdog;
    if (!wd) return;
    this.disarmWatchdog();
    if (wd.auto) return;
    wd.expiry = this.clock.scheduleIn(
      wd.timeoutMs,
      () => {
        if (this.watchdog === wd && this.isPowered) this.hardReset('watchdog');
      },
      'board:watchdog',
    );
  }

  private disarmWatchdog(): void {
    if (this.watchdog?.expiry !== undefined) this.clock.cancel(this.watchdog.expiry);
    if (this.watchdog) this.watchdog.expiry = undefined;
  }

  private scheduleContact(atMs: number, down: boolean): void {
    const offsets = this.bounce === false ? [0] : bounceOffsets(this.bounceRandom, this.bounce);
    offsets.forEach((offset, i) => {
      const level = i % 2 === 0 ? down : !down;
      this.clock.scheduleAt(atMs + offset, () => this.pins.drive(BUTTON_PINS[0]!, level), 'board:button');
    });
  }

  private emit<K extends keyof BoardEventMap>(event: K, payload: BoardEventMap[K]): void {
    if (this.listeners[event].size === 0) return;
    for (const l of [...this.listeners[event]]) (l as Listener<BoardEventMap[K]>)(payload);
  }

  private noteJs(phase: 'start' | 'end', kind: JsRunKind): void {
    if (this.listeners.js.size > 0) this.emit('js', { phase, kind, timeMs: this.clock.nowMs() });
  }
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
