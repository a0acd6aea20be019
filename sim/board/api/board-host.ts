/**
 * What the firmware-facing API modules need from the board. ram-host.ts
 * builds one for each RAM; each module installs one family of Espruino
 * globals into that RAM's context (install-api.ts).
 */
import type { SeededRandom } from '../../clock/seeded-random';
import type { I2CBus } from '../buses/i2c-bus';
import type { NfcTag } from '../buses/nfc-tag';
import type { RadioPort } from '../buses/radio-port';
import type { BoardCell } from '../buses/supply-rail';
import type { ConsoleDeviceName } from '../console/board-console';
import type { PinBank } from '../io/pin-bank';
import type { Realm } from '../runtime/context/realm';
import type { EventLoop, TimerCallback } from '../runtime/event-loop';
import type { DeferredWork } from '../runtime/ram';
import type { WatchManager } from '../runtime/watches';
import type { JsfStorage } from '../storage/jsf-storage';

export interface BoardEnvironment {
  /** Die temperature E.getTemperature() reports (°C). */
  temperatureC: number;
}

export interface BoardHost {
  readonly realm: Realm;
  readonly loop: EventLoop;
  readonly watches: WatchManager;
  readonly pins: PinBank;
  readonly storage: JsfStorage;
  readonly cell: BoardCell;
  readonly i2c1: I2CBus;
  /** The radio seam (NRF's BLE members) and the NFC tag (NRF.nfc*). */
  readonly radio: RadioPort;
  readonly nfc: NfcTag;
  readonly environment: BoardEnvironment;
  /** Seeded stream for E.hwRand. */
  readonly hwRandom: SeededRandom;

  /** Virtual-clock now (ms). */
  nowMs(): number;
  /** Sets a pin's output latch at a virtual instant (digitalPulse's hardware timer). */
  schedulePinWrite(pin: number, level: boolean, atMs: number): void;
  /** getTime(): seconds since the board's epoch, float. */
  timeSeconds(): number;
  /** Board time (s) at a virtual-clock instant. */
  secondsAt(virtualMs: number): number;
  setTimeSeconds(seconds: number): void;

  /** Runs a callback (function or code string) from the loop, reporting uncaught errors. */
  runCallback(callback: TimerCallback, thisArg: unknown, args: readonly unknown[]): void;
  /** Evaluates code at global scope (throws what it throws). */
  runProgram(source: string, filename: string): unknown;

  /** Output of print()/console.log: one line of text, without its line ending. */
  printLine(text: string): void;
  /** Raw bytes to a device (Serial1.write, Bluetooth.write). */
  writeToDevice(device: ConsoleDeviceName, bytes: string): void;
  consoleDevice(): ConsoleDeviceName;
  /** Whether E.setConsole(…, {force:true}) pinned the console (BLE connects then leave it alone). */
  consoleForced(): boolean;
  setConsole(device: ConsoleDeviceName, force: boolean): void;
  setEcho(on: boolean): void;

  /** reset()/load()/save(): done when the interpreter is next idle. */
  defer(work: DeferredWork): void;
  /** E.reboot(): a hardware reset right now (unwinds the running code). */
  rebootNow(): never;
  enableWatchdog(timeoutS: number, auto: boolean): void;
  kickWatchdog(): void;
  takeErrorFlags(): string[];
  /** Keeps `value` in Espruino's hidden root under `name` (undefined: removes it), where the memory count finds it. */
  keepHidden(name: string, value: unknown): void;
  /** Storage.read gave this string: on Espruino it points into flash (memory-estimate.ts counts it as one JsVar). */
  readFromFlash(text: string): void;
  /** process.memory() figures. */
  memory(): { free: number; usage: number; total: number; history: number; blocksize: number };
  /** Asks for `blocks` JsVars before making a value that large; fails as Espruino does (runtime/memory-guard.ts). */
  allocate(blocks: number): void;
  /** E.setBootCode: writes .bootcde (or .bootrst). */
  setBootCode(code: string, alwaysRun: boolean): void;
  /** E.setPassword: undefined removes it. */
  setPassword(password: string | undefined): void;
  /** E.lockConsole. */
  lockConsole(): void;
}
