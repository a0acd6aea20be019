/**
 * The membrane at the board's realm boundary, host side. Node's `vm` is not a
 * security boundary: any object of the host realm that reaches board code
 * (an error, an array, a function, a typed array) leads through its
 * constructor chain to the host's `Function`, and from there to `process`.
 * So every value that crosses into the context goes through `toBoard` (return
 * values, arguments and `this` of callbacks, event payloads) or `toBoardThrown`
 * (anything a host function throws): what comes out is a primitive or an
 * object created in the context's realm.
 *
 * Objects are recognised by the root of their prototype chain: the context's
 * `Object.prototype` for board objects (and null-prototype objects, which
 * only board code makes). Host values that can be copied are copied into the
 * context (errors keep their kind and message, arrays, plain objects and
 * byte arrays their contents); anything else is refused.
 *
 * The board's halt and interrupt signals (a power cut, a reboot, a busy loop
 * interrupted under running code) cross as context-realm errors too; the
 * membrane remembers which objects are signals so the host can tell them apart
 * from the board's own errors when they come back out.
 */
import { BoardHalted } from '../board-halted';
import { ExecutionInterrupted } from '../../console/execution-interrupted';
import { PowerCut } from '../../storage/flash-memory';

/** What the membrane needs from the context (the prelude's helpers). */
export interface ContextFactory {
  /** The context's Object.prototype. */
  readonly objectPrototype: object;
  error(kind: string, message: string): Error;
  object(): object;
  array(): unknown[];
  uint8(length: number): Uint8Array;
}

export type BoardSignal = 'halt' | 'interrupt';

/** Espruino's text for running out of stack (src/jsparse.c jspCheckStackPosition). */
export const STACK_OVERFLOW_TEXT = 'Too much recursion - the stack is about to overflow';

/** Error kinds the context has a constructor for (Espruino's own and V8's). */
const CONTEXT_ERROR_KINDS = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'InternalError']);

const MAX_COPY_DEPTH = 8;

export class Membrane {
  private readonly signals = new WeakMap<object, BoardSignal>();

  constructor(private readonly context: ContextFactory) {}

  /** True for a primitive or an object of the context's realm. */
  isBoardValue(value: unknown): boolean {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return true;
    let root: object = value;
    for (let depth = 0; depth < 10_000; depth++) {
      const next = Object.getPrototypeOf(root) as object | null;
      if (next === null) return root === this.context.objectPrototype || root === value;
      root = next;
    }
    return false;
  }

  /** A value crossing into the board: itself when it is the board's, else a context copy. */
  toBoard(value: unknown, depth = 0): unknown {
    if (this.isBoardValue(value)) return value;
    const host = value as object;
    if (host instanceof BoardHalted || host instanceof PowerCut) return this.signal('halt');
    if (host instanceof ExecutionInterrupted) return this.signal('interrupt');
    if (host instanceof Error) return this.copyError(host);
    if (depth >= MAX_COPY_DEPTH) return this.refused();
    if (ArrayBuffer.isView(host)) {
      const bytes = new Uint8Array(host.buffer, host.byteOffset, host.byteLength);
      const copy = this.context.uint8(bytes.length);
      copy.set(bytes);
      return copy;
    }
    if (host instanceof ArrayBuffer) {
      const copy = this.context.uint8(host.byteLength);
      copy.set(new Uint8Array(host));
      return copy.buffer;
    }
    if (Array.isArray(host)) {
      const copy = this.context.array();
      for (let i = 0; i < host.length; i++) defineValue(copy, String(i), this.toBoard(host[i], depth + 1));
      return copy;
    }
    if (typeof host === 'function' || Object.getPrototypeOf(host) !== Object.prototype) return this.refused();
    const copy = this.context.object();
    for (const key of Object.keys(host)) defineValue(copy, key, this.toBoard((host as Record<string, unknown>)[key], depth + 1));
    return copy;
  }

  /** What a host function threw, as the board may see it. */
  toBoardThrown(error: unknown): unknown {
    if (this.isBoardValue(error)) return error;
    if (error instanceof RangeError && /call stack/i.test(error.message)) return this.context.error('Error', STACK_OVERFLOW_TEXT);
    return this.toBoard(error);
  }

  /** A fresh context-realm signal object (the board sees an Error). */
  signal(kind: BoardSignal): Error {
    const error = this.context.error('Error', kind === 'halt' ? 'board halted' : 'Execution Interrupted');
    this.signals.set(error, kind);
    return error;
  }

  /** Which signal `value` is, if it is one. */
  signalOf(value: unknown): BoardSignal | undefined {
    return value !== null && typeof value === 'object' ? this.signals.get(value) : undefined;
  }

  private copyError(error: Error): Error {
    const kind = CONTEXT_ERROR_KINDS.has(error.name) ? error.name : 'Error';
    return this.context.error(kind, String(error.message));
  }

  private refused(): never {
    throw this.context.error('InternalError', 'a host value was refused at the board boundary');
  }
}

function defineValue(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
