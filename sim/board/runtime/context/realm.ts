/**
 * A fresh `node:vm` context for one board "RAM lifetime", and helpers that make
 * values in the context's own realm. Everything the board hands to firmware is
 * built here, so `x instanceof Uint8Array`, `e instanceof Error` and friends
 * hold inside the board, and no host (Node) object or constructor leaks in:
 * every host function the board sees is wrapped (`fn`) so what it returns and
 * throws passes the membrane (membrane.ts); the context side of the boundary
 * is boundary-prelude.ts.
 */
import vm from 'node:vm';
import { espruinoWords } from '../../repl/error-words';
import { ScopeMemo, scopeReader, type ScopeRead } from '../closure-scan';
import { checkEspruinoSyntax, parseScript } from '../../repl/syntax-gate';
import { guardSource } from './loop-guard';
import { ALLOCATION_SOURCE, type AllocationControls, type AllocationHooks } from './allocation-prelude';
import { ESPRUINO_BUILTINS_SOURCE, type EspruinoBuiltins } from './espruino-builtins-prelude';
import { Membrane, type BoardSignal } from './membrane';
import { PRELUDE_SOURCE, type PreludeHooks, type PreludeHelpers } from './prelude';
import './regexp-fallback';

export type ErrorKind = 'Error' | 'TypeError' | 'SyntaxError' | 'ReferenceError' | 'InternalError';

export type HostFunction = (this: unknown, ...args: any[]) => unknown;

/** Any function, of either realm, to be called with whatever arguments. */
export type ContextCallable = (this: never, ...args: never[]) => unknown;

export class Realm {
  readonly context: vm.Context;
  /** The context's global object (globalThis inside the board). */
  readonly global: Record<string, unknown>;
  private readonly helpers: PreludeHelpers;
  private readonly membrane: Membrane;
  private guard: (() => void) | undefined;
  private readonly allocation: AllocationControls | undefined;

  /** The context's name for V8's inspector (closure-scan.ts finds it by it). */
  readonly contextName = `espruino-board#${++contextCount}`;
  /**
   * The board's built-ins made after it started: each function `fn` made (its
   * closure is the host's, no JsVar of the board's) and each built-in module
   * `require` returned (Espruino's is one native variable, its functions in
   * flash: src/jswrap_modules.c jswrap_require).
   */
  readonly builtins = new WeakSet<object>();

  /** With `allocation`, the built-ins that make large values ask for memory first (allocation-prelude.ts). */
  constructor(hooks: PreludeHooks, allocation?: AllocationHooks) {
    this.context = vm.createContext(Object.create(null) as object, {
      name: this.contextName,
      codeGeneration: { strings: true, wasm: false },
      microtaskMode: 'afterEvaluate',
    });
    const installAllocation = allocation
      ? (new vm.Script(ALLOCATION_SOURCE, { filename: 'board-allocation.js' }).runInContext(this.context) as (hooks: AllocationHooks) => AllocationControls)
      : undefined;
    const installBuiltins = new vm.Script(ESPRUINO_BUILTINS_SOURCE, { filename: 'board-builtins.js' }).runInContext(this.context) as () => EspruinoBuiltins;
    const install = preludeScript().runInContext(this.context) as (
      hooks: PreludeHooks,
    ) => PreludeHelpers;
    const helpers = (this.helpers = install(hooks));
    this.global = helpers.global as Record<string, unknown>;
    this.membrane = new Membrane({
      objectPrototype: helpers.objectPrototype,
      error: (kind, message) => helpers.error(kind, message),
      object: () => helpers.object(),
      array: () => helpers.array(),
      uint8: (length) => helpers.uint8(length),
    });
    helpers.setCodeGate(this.fn((source: unknown) => {
      const text = String(source);
      const gate = checkEspruinoSyntax(text);
      if (!gate.ok) throw helpers.error('SyntaxError', gate.message);
      const tree = parseScript(text);
      return guardSource(text, 'failure' in tree ? undefined : tree)?.code ?? text;
    }, 'gate'));
    // called from the context's catch guard with two strings; answers a string or nothing (boundary-prelude.ts)
    helpers.setErrorWords((name, message) => {
      const words = espruinoWords(name, message);
      return words ? `${words.name}:${words.message}` : undefined;
    });
    if (allocation && installAllocation) {
      // not behind the guard: counting memory is no API call, and a halting board's code may still push
      this.allocation = installAllocation({
        collect: this.fn(() => allocation.collect(), 'collect', false),
        outOfMemory: this.fn(() => allocation.outOfMemory(), 'outOfMemory', false),
        described: this.fn(() => allocation.described(), 'described', false),
      });
    }
    // after the allocation check: the argument checks run first, then what counts memory
    installBuiltins();
  }

  /** The free blocks the board last counted, for the allocation check inside the context. */
  setFreeBlocks(blocks: number): void {
    this.allocation?.setFree(blocks);
  }

  /**
   * Called before every host function the board exposes; it throws to refuse
   * the call (the board is halting: power cut, reboot) so code that catches
   * errors cannot keep a dead board running.
   */
  setGuard(guard: () => void): void {
    this.guard = guard;
  }

  /**
   * A context-realm function that runs `impl` (its `this` and arguments passed
   * through). What `impl` returns crosses the membrane; whatever it throws
   * reaches the board as a context-realm value (a halt or interrupt as the
   * board's signal), never as a host object. With `behindGuard` false the
   * guard (setGuard) does not refuse it: for the board's own bookkeeping.
   */
  fn<F extends HostFunction>(impl: F, name = '', behindGuard = true): F {
    const guard = () => {
      if (behindGuard) this.guard?.();
    };
    const membrane = this.membrane;
    const guarded = function (this: unknown, ...args: unknown[]): unknown {
      try {
        guard();
        return membrane.toBoard(impl.apply(this, args));
      } catch (error) {
        throw membrane.toBoardThrown(error);
      }
    };
    const made = this.helpers.wrap(guarded, name) as F;
    this.builtins.add(made);
    return made;
  }

  /**
   * What the busy-loop guard asks every so often (boundary-prelude.ts): the
   * number of guard calls until it asks again, or a board value to throw.
   * Called straight from board code (no membrane): it must not throw.
   */
  setGuardCheck(check: (kind?: number, value?: unknown) => unknown): void {
    this.helpers.setGuardCheck(check);
  }

  /** A fresh interrupt signal (the board sees an Error "Execution Interrupted"). */
  interruptSignal(): Error {
    return this.membrane.signal('interrupt');
  }

  /** A primitive or an object of the board's realm (never a host object). */
  isBoardValue(value: unknown): boolean {
    return this.membrane.isBoardValue(value);
  }

  /** A value crossing into the board (membrane.ts): a primitive or a context-realm object. */
  toBoard(value: unknown): unknown {
    return this.membrane.toBoard(value);
  }

  /** Which of the board's signals (halt, interrupt) a value that came out of board code is. */
  signalOf(value: unknown): BoardSignal | undefined {
    return this.membrane.signalOf(value);
  }

  /** A plain context object with these own properties (no setter of the board runs). */
  object(props: Record<string, unknown> = {}): Record<string, unknown> {
    const keys = Object.keys(props);
    // the values as the board sees them, copied in one call of the context's (a descriptor per property cost more)
    const staged: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key === '__proto__') return this.objectByDescriptors(props, keys);
      staged[key] = this.membrane.toBoard(props[key]);
    }
    return this.helpers.objectOf(staged) as Record<string, unknown>;
  }

  /** `object` for keys a host object cannot stage (`__proto__` would set its prototype). */
  private objectByDescriptors(props: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
    const o = this.helpers.object() as Record<string, unknown>;
    for (const key of keys) defineData(o, key, this.membrane.toBoard(props[key]));
    return o;
  }

  array<T>(items: readonly T[]): T[] {
    const staged: unknown[] = [];
    for (let i = 0; i < items.length; i++) staged.push(this.membrane.toBoard(items[i]));
    return this.helpers.arrayOf(staged) as T[];
  }

  /** The next call the context's `__boardCall__` trampoline makes (program-runner.ts). */
  prepareCall(fn: ContextCallable, thisArg: unknown, args: unknown[]): void {
    this.helpers.prepareCall(fn, thisArg, args);
  }

  /** What counts learnt about the closures' scopes (closure-scan.ts). */
  private readonly scopeMemo = new ScopeMemo();

  /** A reader of the scopes closures keep for one count (closure-scan.ts): per round of functions, undefined without an inspector. */
  scopeReader(): (functions: readonly Function[]) => ScopeRead[][] | undefined {
    return scopeReader(
      this.contextName,
      {
        offer: (list) => this.helpers.offerScan(this.array(list as unknown[])),
        take: () => {
          // by index: spreading would run the board's Array.prototype[Symbol.iterator]
          const taken = this.helpers.takeScan();
          const out: unknown[] = [];
          if (Array.isArray(taken)) for (let i = 0; i < taken.length; i++) out.push(taken[i]);
          return out;
        },
      },
      this.scopeMemo,
    );
  }

  /** The string the context's `__boardLiteral__()` returns next (a console line compiled once per shape). */
  prepareLiteral(text: string): void {
    this.helpers.prepareLiteral(text);
  }

  /** An error's `stack` as the board sees it: a string data property, else undefined (no board getter runs). */
  stackOf(error: unknown): string | undefined {
    return this.helpers.stackOf(error);
  }

  /** V8's frames of an error as text, host frames included: never handed to the board. */
  rawStackOf(error: unknown): string | undefined {
    return this.helpers.rawStackOf(error);
  }

  /** The text the board's stack formatter made for this error, if it made one. */
  generatedStackOf(error: unknown): string | undefined {
    return this.helpers.generatedStackOf(error);
  }

  /** An error V8 raised, in Espruino's type and words (repl/error-words.ts), as board code catching it sees it. */
  rewordError(error: unknown): void {
    this.helpers.reword(error);
  }

  /**
   * How `e.stack` is made for the board: from V8's frames as text (`raw`,
   * host frames included) and the error's name and message (read without
   * running board code). Called from V8 when a stack is first read: it must
   * not run board code, and what it throws is dropped (the stack is then '').
   */
  setStackText(make: (raw: string, name: string, message: string) => string): void {
    this.helpers.setStackText(make);
  }

  /** V8's RangeError for running out of stack in board code. */
  isStackOverflow(value: unknown): boolean {
    return this.helpers.isStackOverflow(value);
  }

  /** Espruino's "Too much recursion" Error for V8's overflow, with the overflow's stack. */
  overflowError(overflow: unknown): Error {
    return this.helpers.overflowError(overflow) as Error;
  }

  uint8(bytes: ArrayLike<number>): Uint8Array {
    const u = this.helpers.uint8(bytes.length) as Uint8Array;
    u.set(bytes as ArrayLike<number>);
    return u;
  }

  arrayBuffer(bytes: ArrayLike<number>): ArrayBuffer {
    return this.uint8(bytes).buffer as ArrayBuffer;
  }

  error(kind: ErrorKind, message: string): Error {
    return this.helpers.error(kind, message) as Error;
  }

  jsonParse(text: string): unknown {
    return this.helpers.jsonParse(text);
  }

  jsonStringify(value: unknown): string | undefined {
    return this.helpers.jsonStringify(value);
  }

  /**
   * An own data property, read without running any of the board's code (no
   * getter, no Proxy: the board has none); undefined when there is none, or
   * when reading it would run board code (an accessor).
   */
  plainProperty(target: object, key: string): { value: unknown } | undefined {
    // the global's own properties live on the sandbox: asking the global proxy runs Node's interceptor,
    // which aborts the process when board code has put `get` on Object.prototype
    const d = Object.getOwnPropertyDescriptor(target === this.global ? this.context : target, key);
    return d && 'value' in d ? { value: d.value } : d ? undefined : { value: undefined };
  }

  /**
   * `listeners(target, event)` when it can be told without running board code
   * (no listener, or one function, as Espruino stores them); undefined when it
   * takes running the board's code (call `listeners` under the busy-loop limit).
   */
  plainListeners(target: unknown, event: string): Function[] | undefined {
    if (target === null || (typeof target !== 'object' && typeof target !== 'function')) return [];
    const d = Object.getOwnPropertyDescriptor(target, '#on' + event);
    if (!d) return [];
    if (!('value' in d)) return undefined;
    if (typeof d.value === 'function') return [d.value as Function];
    return Array.isArray(d.value) ? undefined : [];
  }

  /** The board's built-in objects (E, NRF, Serial1...): those given a listener are listenerTargets. */
  setBuiltinObjects(list: readonly object[]): void {
    this.helpers.setBuiltinObjects(this.array(list));
  }

  /** Built-in objects given a listener with `obj.on` (their `#on…` properties hold the listeners). */
  listenerTargets(): object[] {
    const list = this.helpers.listenerTargets();
    const out: object[] = [];
    for (let i = 0; i < list.length; i++) out.push(list[i]!);
    return out;
  }

  /** Listeners registered with Espruino's `obj.on(event, fn)` (Object.prototype.on). */
  listeners(target: unknown, event: string): Function[] {
    // By index: Array.from would run the board's Array.prototype[Symbol.iterator].
    const list = this.helpers.listeners(target, event);
    const out: Function[] = [];
    for (let i = 0; i < list.length; i++) out.push(list[i]!);
    return out;
  }

  /** Defines a non-enumerable global (e.g. the call trampoline). */
  defineHidden(target: object, key: string, value: unknown): void {
    Object.defineProperty(target, key, { value, configurable: true, enumerable: false, writable: true });
  }

  /** Defines a global the way Espruino's built-ins appear: non-enumerable, replaceable. */
  defineBuiltin(key: string, value: unknown): void {
    Object.defineProperty(this.global, key, { value, configurable: true, enumerable: false, writable: true });
  }

  /** Defines a built-in getter (e.g. process.env is generated on demand). */
  defineGetter(target: object, key: string, get: () => unknown): void {
    Object.defineProperty(target, key, { get: this.fn(get), configurable: true, enumerable: false });
  }
}

let contextCount = 0;

/**
 * The prelude, compiled for each context: code shared by many contexts meets
 * each context's own object shapes and runs slower (the day bench measures it).
 */
function preludeScript(): vm.Script {
  return new vm.Script(PRELUDE_SOURCE, { filename: 'board-prelude.js' });
}

function defineData(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** True for a function created in any realm. */
export function isCallable(value: unknown): value is (...args: unknown[]) => unknown {
  return typeof value === 'function';
}

/** Cross-realm check for typed arrays and DataViews. */
export function isBufferView(value: unknown): value is ArrayBufferView {
  return ArrayBuffer.isView(value);
}

export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}
