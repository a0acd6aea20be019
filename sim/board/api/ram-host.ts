/**
 * The BoardHost one RAM's Espruino API (the modules beside this one) talks
 * to: the board's hardware, Storage, clock and console, seen from that RAM.
 * Anything it schedules is dropped once the RAM is no longer live.
 */
import type { SeededRandom } from '../../clock/seeded-random';
import type { BoardClock } from '../runtime/board-clock';
import type { BoardCpu } from '../runtime/cpu-time';
import type { I2CBus } from '../buses/i2c-bus';
import type { NfcTag } from '../buses/nfc-tag';
import type { RadioPort } from '../buses/radio-port';
import type { BoardCell } from '../buses/supply-rail';
import type { BoardConsole } from '../console/board-console';
import type { PinBank } from '../io/pin-bank';
import { BoardHalted } from '../runtime/board-halted';
import { latin1ToBytes } from '../runtime/bytes';
import type { CodeRunner } from '../runtime/code-runner';
import { processMemory, type Ram, type RamSlot } from '../runtime/ram';
import type { Rtc } from '../runtime/rtc';
import type { Watchdog } from '../runtime/watchdog';
import { StorageError, type JsfStorage } from '../storage/jsf-storage';
import type { BoardEnvironment, BoardHost } from './board-host';

/** How many of the strings Storage.read gave last count as flash (ram.ts flashStrings). */
const FLASH_STRINGS_KEPT = 16;

/** The board's parts a RAM's host hands out. */
export interface HostParts {
  clock: BoardClock;
  cpu: Pick<BoardCpu, 'startAtMs'>;
  slot: RamSlot;
  pins: PinBank;
  storage: JsfStorage;
  cell: BoardCell;
  i2c1: I2CBus;
  radio: RadioPort;
  nfc: NfcTag;
  environment: BoardEnvironment;
  hwRandom: SeededRandom;
  rtc: Rtc;
  code: Pick<CodeRunner, 'runCallback'>;
  console: Pick<BoardConsole, 'printText' | 'writeToDevice' | 'deviceName' | 'forced' | 'setConsole' | 'setEcho' | 'lock'>;
  watchdog: Pick<Watchdog, 'enable' | 'kick'>;
  /** E.getErrorFlags()'s flags, shared with the board. */
  errorFlags: Set<string>;
  /** E.reboot(): the hardware reset, once the running code has unwound. */
  hardReset(): void;
}

export function createRamHost(ram: Ram, parts: HostParts): BoardHost {
  const { clock, slot, pins, storage, rtc, console, watchdog, errorFlags } = parts;
  return {
    realm: ram.realm,
    get loop() {
      return ram.loop;
    },
    get watches() {
      return ram.watches;
    },
    pins,
    storage,
    cell: parts.cell,
    i2c1: parts.i2c1,
    radio: parts.radio,
    nfc: parts.nfc,
    environment: parts.environment,
    hwRandom: parts.hwRandom,
    nowMs: () => clock.nowMs(),
    schedulePinWrite: (pin, level, atMs) => {
      // a pulse of Infinity ms: its end never comes (the clock refuses times that are not finite)
      if (!Number.isFinite(atMs)) return;
      const id: number = clock.scheduleAt(
        atMs,
        () => {
          ram.pulses.delete(id);
          if (slot.isCurrent(ram)) pins.write(pin, level);
        },
        'board:pulse',
      );
      ram.pulses.add(id);
    },
    timeSeconds: () => rtc.nowMs() / 1000,
    secondsAt: (ms) => rtc.secondsAt(ms),
    setTimeSeconds: (seconds) => rtc.setSeconds(seconds),
    runCallback: (callback, thisArg, args) => {
      parts.code.runCallback(ram, callback, thisArg, args);
    },
    runProgram: (source, filename) => ram.runner.runProgram(source, filename),
    printLine: (text) => console.printText(ram, text + '\n'),
    writeToDevice: (device, bytes) => console.writeToDevice(ram, device, bytes),
    consoleDevice: () => console.deviceName,
    consoleForced: () => console.forced,
    setConsole: (device, force) => console.setConsole(device, force),
    setEcho: (on) => console.setEcho(on),
    defer: (work) => {
      ram.deferred.push(work);
      ram.loop.queueWork();
    },
    rebootNow: () => {
      ram.halted = true;
      clock.scheduleAt(parts.cpu.startAtMs(clock.nowMs()), () => parts.hardReset(), 'board:reboot');
      throw new BoardHalted();
    },
    enableWatchdog: (timeoutS, auto) => watchdog.enable(timeoutS, auto),
    kickWatchdog: () => watchdog.kick(),
    keepHidden: (name, value) => {
      if (value === undefined) ram.hidden.delete(name);
      else ram.hidden.set(name, value);
    },
    readFromFlash: (text) => {
      const flash = ram.flashStrings;
      flash.delete(text);
      flash.add(text);
      // the last few: a string read long ago and dropped must not make an equal one made in RAM look free
      if (flash.size > FLASH_STRINGS_KEPT) flash.delete(flash.values().next().value!);
    },
    takeErrorFlags: () => {
      const flags = [...errorFlags];
      errorFlags.clear();
      return flags;
    },
    memory: () => processMemory(ram),
    allocate: (blocks) => {
      // small requests are left to the periodic count (a count per call would cost every E.toString a walk)
      if (blocks >= 32 && blocks > ram.memory.collect()) ram.memory.outOfMemory();
    },
    setPassword: (password) => console.lock.setPassword(ram, password),
    lockConsole: () => console.lock.lockConsole(ram),
    setBootCode: (code, alwaysRun) => {
      try {
        storage.erase('.bootcde');
        storage.erase('.bootrst');
        if (code.length > 0) storage.write(alwaysRun ? '.bootrst' : '.bootcde', latin1ToBytes(code));
      } catch (error) {
        if (error instanceof StorageError) throw ram.realm.error('Error', error.message);
        throw error;
      }
    },
  };
}
