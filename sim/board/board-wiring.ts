/**
 * Builds the board's inner parts (events, RAM slot, RTC, watchdog, console,
 * code runner, boot sequence) and wires them to each other and to the
 * hardware the VirtualBoard façade owns. Each part gets only what it uses.
 */
import type { SeededRandom } from '../clock/seeded-random';
import type { BoardClock } from './runtime/board-clock';
import type { BoardEnvironment } from './api/board-host';
import { installApi } from './api/install-api';
import { createRamHost, type HostParts } from './api/ram-host';
import { BoardEvents } from './board-events';
import { BootSequence } from './boot/boot-sequence';
import type { I2CBus } from './buses/i2c-bus';
import type { NfcTag } from './buses/nfc-tag';
import type { RadioPort } from './buses/radio-port';
import type { BoardCell } from './buses/supply-rail';
import { BoardConsole } from './console/board-console';
import type { ReplFactory } from './console/board-repl';
import { createPacketHost } from './console/packet-host';
import type { PinBank } from './io/pin-bank';
import { CodeRunner } from './runtime/code-runner';
import { createRam, RamSlot, type RamWiring } from './runtime/ram';
import { Rtc } from './runtime/rtc';
import { Watchdog } from './runtime/watchdog';
import { BoardCpu } from './runtime/cpu-time';
import { EXECUTION_INTERRUPTED_TEXT } from './console/execution-interrupted';
import type { JsfStorage } from './storage/jsf-storage';

/** What the façade owns and hands in. */
export interface BoardHardware {
  clock: BoardClock;
  storage: JsfStorage;
  pins: PinBank;
  cell: BoardCell;
  i2c1: I2CBus;
  radio: RadioPort;
  nfc: NfcTag;
  environment: BoardEnvironment;
  errorFlags: Set<string>;
  hwRandom: SeededRandom;
  mathRandom: SeededRandom;
  serialNumber: string;
  busyLimitMs: number;
  memoryBlocks: number;
  rtcStartMs: number;
  createRepl: ReplFactory;
  readFile(name: string): string | undefined;
  hardReset(reason: 'hard-reset' | 'watchdog'): void;
}

export interface BoardParts {
  events: BoardEvents;
  slot: RamSlot;
  rtc: Rtc;
  watchdog: Watchdog;
  consoleLinks: BoardConsole;
  code: CodeRunner;
  boot: BootSequence;
}

export function wireBoard(hw: BoardHardware): BoardParts {
  const { clock, storage, pins, errorFlags } = hw;
  const events = new BoardEvents(clock);
  const slot = new RamSlot(clock);
  const cpu = new BoardCpu(clock);
  const rtc = new Rtc(clock, hw.rtcStartMs);
  pins.onChange((change) => {
    slot.current?.watches.noteEdge(change.pin, change.level, change.timeMs);
    events.emit('pin', change);
  });
  const packets = createPacketHost({ storage, slot, clock, readFile: (name) => hw.readFile(name) });
  const consoleLinks: BoardConsole = new BoardConsole({ clock, slot, events }, (write, lock) =>
    hw.createRepl({
      engine: {
        evaluate: (source) => code.evaluateConsoleLine(source),
        locateError: (error) => code.locateConsoleError(error),
        guard: (work) => code.guardHost(work),
      },
      write,
      loop: 'board',
      packets,
      lock,
    }),
  );
  const watchdog = new Watchdog({ clock, isPowered: () => slot.powered, fire: () => hw.hardReset('watchdog') });
  const code: CodeRunner = new CodeRunner({ clock, cpu, slot, events, watchdog, console: consoleLinks, watchdogReset: () => hw.hardReset('watchdog') });
  const { cell, i2c1, radio, nfc, environment, hwRandom, mathRandom, busyLimitMs, memoryBlocks, serialNumber } = hw;
  const host: HostParts = {
    clock,
    cpu,
    slot,
    pins,
    storage,
    cell,
    i2c1,
    radio,
    nfc,
    environment,
    hwRandom,
    rtc,
    code,
    console: consoleLinks,
    watchdog,
    errorFlags,
    hardReset: () => hw.hardReset('hard-reset'),
  };
  const ramWiring: RamWiring = {
    clock,
    cpu,
    slot,
    rtc,
    mathRandom,
    busyLimitMs,
    memoryBlocks,
    evalLogLimitBytes: storage.flash.sizeBytes,
    runCallback: (ram, callback, thisArg, args) => code.runCallback(ram, callback, thisArg, args),
    afterEvents: (ram) => boot.afterEvents(ram),
    intervalInterrupted: (ram) => {
      consoleLinks.printText(ram, 'ERROR: Ctrl-C while processing interval - removing it.\n');
      errorFlags.add('CALLBACK');
    },
    executionInterrupted: (ram) => consoleLinks.printText(ram, EXECUTION_INTERRUPTED_TEXT + '\n'),
    outOfMemory: (ram) => {
      // src/jsvar.c jsvNewWithFlags: the error is printed only while JSERR_MEMORY is not yet set
      if (!errorFlags.has('MEMORY')) consoleLinks.printText(ram, 'ERROR: Out of Memory!\n');
      errorFlags.add('LOW_MEMORY');
      errorFlags.add('MEMORY');
    },
    installApi: (ram) => installApi(ram, createRamHost(ram, host), serialNumber),
  };
  const boot = new BootSequence({ storage, pins, slot, events, console: consoleLinks, code, createRam: () => createRam(ramWiring) });
  return { events, slot, rtc, watchdog, consoleLinks, code, boot };
}
