/**
 * The board's RAM: one JS context with its timers, watches, events and the
 * Espruino globals installed into it (by the API, ../api/install-api.ts).
 * reset(), load(), a hard reset and a power cycle throw it away and build a
 * new one; `RamSlot` knows which one is live.
 */
import v8 from 'node:v8';
import type { SeededRandom } from '../../clock/seeded-random';
import type { BoardClock } from './board-clock';
import type { BoardCpu } from './cpu-time';
import { ExecutionInterrupted } from '../console/execution-interrupted';
import { BoardHalted } from './board-halted';
import { HIDDEN_GLOBALS, HIDDEN_MEMBERS } from './context/hidden-builtins';
import { ProgramRunner } from './context/program-runner';
import { boardStackText } from './board-stack';
import { Realm } from './context/realm';
import { EventLoop, type TimerCallback } from './event-loop';
import { PUCKJS_BLOCK_SIZE, estimateUsageBlocks, type DeepParts, type HeldValue } from './memory-estimate';
import { MemoryGuard } from './memory-guard';
import type { Rtc } from './rtc';
import { WatchManager } from './watches';
import { EvalLog } from '../boot/eval-log';

/** reset()/load()/save(): asked for by firmware, done when the interpreter is next idle. */
export type DeferredWork = { kind: 'reset'; clearFlash: boolean } | { kind: 'load'; filename?: string } | { kind: 'save' };

/** The console devices' objects in a RAM (Serial1, Bluetooth): bytes for them land there. */
export interface DeviceObjects {
  serial1: Record<string, unknown>;
  bluetooth: Record<string, unknown>;
}

export interface Ram {
  realm: Realm;
  runner: ProgramRunner;
  /** The board's memory limit (memory-guard.ts). */
  memory: MemoryGuard;
  loop: EventLoop;
  watches: WatchManager;
  devices: DeviceObjects;
  E: Record<string, unknown>;
  process: Record<string, unknown>;
  builtinNames: Set<string>;
  /** The built-ins' objects and their members, as installed: what a deep count does not walk (Espruino's are in flash or the interpreter's roots). */
  builtinObjects: WeakSet<object>;
  /** Board code has described a property with a descriptor (memory-estimate.ts reads every own name). */
  describedByBoard: boolean;
  /** Console lines evaluated since RAM was cleared (for save()), bounded by the flash's size. */
  evalLog: EvalLog;
  deferred: DeferredWork[];
  halted: boolean;
  /** Clock events of digitalPulse still to come (cancelled with the RAM). */
  pulses: Set<number>;
  /** Values built-ins keep in Espruino's hidden root, by its names there (NRF.setServices' `BLE_SVC_D`...). */
  hidden: Map<string, unknown>;
  /** The last strings Storage.read gave (memory-estimate.ts: a string pointing into flash is one JsVar). */
  flashStrings: Set<string>;
}

/** Which RAM the board runs, and whether it has power. */
export class RamSlot {
  current: Ram | undefined;
  powered = false;

  constructor(private readonly clock: BoardClock) {}

  /** `ram` is the live RAM of a powered board and has not been halted. */
  isCurrent(ram: Ram): boolean {
    return this.current === ram && !ram.halted && this.powered;
  }

  /** RAM cleared: its loop, watches and pending pulses stop. */
  kill(): void {
    const ram = this.current;
    if (!ram) return;
    ram.halted = true;
    ram.loop.stop();
    ram.watches.clear();
    for (const id of ram.pulses) this.clock.cancel(id);
    ram.pulses.clear();
    this.current = undefined;
  }
}

/** What a new RAM is wired to. */
export interface RamWiring {
  clock: BoardClock;
  /** The chip's CPU time (shared by every RAM). */
  cpu: BoardCpu;
  slot: RamSlot;
  rtc: Pick<Rtc, 'nowMs' | 'secondsAt'>;
  mathRandom: SeededRandom;
  busyLimitMs: number;
  /** The JS variables the board has (a Puck.js: 2,630, espruino-sizes.ts). */
  memoryBlocks: number;
  /** The flash's size: the most console lines save() could ever write. */
  evalLogLimitBytes: number;
  /** Runs firmware code from the RAM's loop (CodeRunner.runCallback): false when it was interrupted as a busy loop. */
  runCallback(ram: Ram, callback: TimerCallback, thisArg: unknown, args: readonly unknown[]): boolean;
  /** Phase 4 of an idle pass. */
  afterEvents(ram: Ram): void;
  /** Ctrl-C stopped an interval. */
  intervalInterrupted(ram: Ram): void;
  /** Ctrl-C stopped a pass stuck in its event queue. */
  executionInterrupted(ram: Ram): void;
  /** An allocation failed: "ERROR: Out of Memory!" once until the flags are read, LOW_MEMORY and MEMORY raised. */
  outOfMemory(ram: Ram): void;
  /** Installs Espruino's globals into the new RAM's realm and sets its E, process and devices. */
  installApi(ram: Ram): void;
}

/** Builds a RAM with Espruino's globals installed and makes it the live one. */
export function createRam(wiring: RamWiring): Ram {
  const { slot } = wiring;
  const ram = { evalLog: new EvalLog(wiring.evalLogLimitBytes), deferred: [], halted: false, pulses: new Set(), hidden: new Map(), flashStrings: new Set(), describedByBoard: false } as unknown as Ram;
  ram.memory = new MemoryGuard({
    usage: (stopAbove, deep) => usageBlocks(ram, stopAbove, deep),
    heapBytes: () => v8.getHeapStatistics().used_heap_size,
    setFree: (blocks) => ram.realm.setFreeBlocks(blocks),
    report: () => wiring.outOfMemory(ram),
    hostWork: (ms) => ram.runner?.notCounted(ms),
  }, wiring.memoryBlocks);
  ram.realm = new Realm(
    {
      nowMs: () => wiring.rtc.nowMs(),
      random: () => wiring.mathRandom.next(),
      queueEvent: (fn) => ram.loop.queueEvent(fn),
      hiddenGlobals: HIDDEN_GLOBALS,
      hiddenMembers: HIDDEN_MEMBERS,
    },
    {
      collect: () => ram.memory.collect(),
      outOfMemory: () => ram.memory.outOfMemory(),
      described: () => {
        ram.describedByBoard = true;
      },
    },
  );
  ram.runner = new ProgramRunner(
    ram.realm,
    wiring.busyLimitMs,
    () => {
      wiring.cpu.ran();
      if (!ram.halted && ram.builtinNames) ram.memory.afterRun();
    },
    (used, grown) => ram.memory.heapRead(used, grown),
    () => ram.memory.fullOfClosures,
  );
  ram.runner.stackText = (frames, name, message) => boardStackText(frames, name, message, ram.memory.lastFree);
  ram.realm.setGuard(() => {
    if (ram.halted || slot.current !== ram || !slot.powered) throw new BoardHalted();
    if (ram.runner.interrupting || ram.memory.interrupting) throw new ExecutionInterrupted();
  });
  ram.loop = new EventLoop(wiring.clock, wiring.cpu, {
    runCallback: (callback, thisArg, args) => wiring.runCallback(ram, callback, thisArg, args),
    processEdges: () => ram.watches.processEdges(),
    afterEvents: () => wiring.afterEvents(ram),
    isCurrent: () => slot.isCurrent(ram),
    intervalInterrupted: () => wiring.intervalInterrupted(ram),
    executionInterrupted: () => wiring.executionInterrupted(ram),
  });
  ram.watches = new WatchManager({
    loop: ram.loop,
    secondsAt: (ms) => wiring.rtc.secondsAt(ms),
    fire: (callback, event) => {
      wiring.runCallback(ram, callback, undefined, [ram.realm.object(event)]);
    },
  });
  wiring.installApi(ram);
  ram.builtinNames = new Set(Object.getOwnPropertyNames(ram.realm.global));
  ram.builtinObjects = builtinObjects(ram);
  slot.current = ram;
  return ram;
}

/** Blocks the RAM's firmware holds (memory-estimate.ts); the count may stop once past `stopAbove`. */
function usageBlocks(ram: Ram, stopAbove = Infinity, deep = false, parts?: DeepParts): number {
  if (!ram.builtinNames) return 0;
  const counts = { timers: ram.loop.timerCount(), watches: ram.watches.count(), events: ram.loop.pendingEventCount() };
  const scopes = deep ? ram.realm.scopeReader() : undefined;
  return estimateUsageBlocks(ram.realm.context, ram.builtinNames, counts, stopAbove, ram.describedByBoard, scopes, ram.builtinObjects, parts, heldByBuiltins(ram, deep), ram.flashStrings);
}

/**
 * What the board's built-ins keep for firmware, which no walk from its
 * globals meets: each timer's callback and arguments (src/jsinteractive.c
 * keeps them in the timer's object under the hidden root), each watch's
 * callback, the listeners given to a built-in object with `obj.on`
 * (src/jswrap_object.c jswrap_object_on: a `#on…` child of that object),
 * and, in a deep count, what a built-in keeps in the hidden root
 * (`ram.hidden`: set once, the usual counts have it in the closures' share).
 */
function heldByBuiltins(ram: Ram, deep: boolean): HeldValue[] {
  const held: HeldValue[] = [];
  if (deep) for (const [name, value] of ram.hidden) held.push({ name, value });
  for (const timer of ram.loop.jsTimers()) {
    held.push({ value: timer.callback });
    if (timer.args.length > 0) held.push({ value: timer.args });
  }
  for (const callback of ram.watches.callbacks()) held.push({ value: callback });
  for (const target of ram.realm.listenerTargets()) {
    for (const name of Object.getOwnPropertyNames(target)) {
      if (!name.startsWith('#on')) continue;
      const d = Object.getOwnPropertyDescriptor(target, name);
      if (d && 'value' in d) held.push({ name, value: d.value });
    }
  }
  return held;
}

/**
 * The objects the board installed as built-ins (E, NRF, Serial1, the
 * prototypes...) and their members two levels down, read right after they
 * were installed (no board code has run: data properties only), with every
 * built-in the board makes later (Realm.builtins: its functions, the modules require returns).
 */
function builtinObjects(ram: Ram): WeakSet<object> {
  const found = ram.realm.builtins;
  const globals: object[] = [];
  const global = ram.realm.context;
  const visit = (value: unknown, depth: number): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || value === global || found.has(value)) return;
    found.add(value);
    if (depth === 0) return;
    for (const key of Reflect.ownKeys(value)) {
      const d = Reflect.getOwnPropertyDescriptor(value, key);
      if (d && 'value' in d) visit(d.value, depth - 1);
    }
    visit(Reflect.getPrototypeOf(value), depth - 1);
  };
  for (const name of ram.builtinNames) {
    const d = Reflect.getOwnPropertyDescriptor(global, name);
    if (!d || !('value' in d)) continue;
    visit(d.value, 2);
    if (d.value !== null && (typeof d.value === 'object' || typeof d.value === 'function')) globals.push(d.value as object);
  }
  // their listeners are counted (heldByBuiltins)
  ram.realm.setBuiltinObjects(globals);
  return found;
}

/**
 * The board's memory figures read from the host (board.memory()): the usual
 * count with the closures' share the last deep count found (memory-guard.ts),
 * as the board enforces it; with `closures`, a deep count made now, which
 * changes nothing on the board (its figure is the count as made: it may pass
 * the total).
 */
export function memoryFigures(ram: Ram, closures = false, parts?: DeepParts) {
  const counted = closures ? usageBlocks(ram, Infinity, true, parts) : usageBlocks(ram) + ram.memory.closureShare;
  if (!closures) ram.memory.note(counted);
  return figures(ram, closures ? counted : Math.min(ram.memory.totalBlocks, counted));
}

/** process.memory() as board code reads it: Espruino's count of every variable, closures' included (memory-guard.ts deepCount). */
export function processMemory(ram: Ram) {
  return figures(ram, ram.memory.deepCount());
}

function figures(ram: Ram, usage: number) {
  const total = ram.memory.totalBlocks;
  return { free: Math.max(0, total - usage), usage, total, history: 0, blocksize: PUCKJS_BLOCK_SIZE };
}
