/**
 * Pins and their functions (Espruino src/jswrap_pin.c, src/jswrap_io.c), with
 * the Puck.js's pin names (../io/puckjs-pins.ts).
 */
import { PIN_COUNT, PIN_MODES, type PinMode } from '../io/pin-bank';
import { BUTTON_PINS, PUCKJS_PIN_NAMES } from '../io/puckjs-pins';
import type { Realm } from '../runtime/context/realm';
import type { Edge } from '../runtime/watches';
import type { BoardHost } from './board-host';
import { NOT_MODELLED_MEMBERS, addNotModelledMembers, notModelledError } from './not-modelled';

/** Built-in buttons: edge 'rising' and 25 ms debounce unless given (Espruino reference, setWatch). */
const BUTTON_DEFAULT_DEBOUNCE_MS = 25;

export interface PinApi {
  /** Pin number of a Pin object / number / name, or undefined. */
  pinOf(value: unknown): number | undefined;
  pinObject(pin: number): object;
}

export function installIo(host: BoardHost): PinApi {
  const realm = host.realm;
  const numbers = new WeakMap<object, number>();
  const objects: object[] = [];

  const Pin = realm.fn(function Pin(this: unknown, value: unknown) {
    const pin = pinOf(value);
    if (pin === undefined) throw realm.error('Error', 'Invalid pin');
    if (this && typeof this === 'object' && !numbers.has(this)) numbers.set(this, pin);
    return this && typeof this === 'object' ? undefined : objects[pin];
  }, 'Pin') as unknown as { prototype: Record<string, unknown> };
  realm.defineBuiltin('Pin', Pin);

  function pinOf(value: unknown): number | undefined {
    if (value !== null && typeof value === 'object' && numbers.has(value)) return numbers.get(value);
    if (typeof value === 'number' && host.pins.isValid(value)) return value;
    if (typeof value === 'string') {
      // own names only: "constructor" or "toString" are no pins (found by the fuzz suite)
      if (Object.prototype.hasOwnProperty.call(PUCKJS_PIN_NAMES, value)) return PUCKJS_PIN_NAMES[value];
      const m = /^D(\d+)$/.exec(value);
      if (m && host.pins.isValid(Number(m[1]))) return Number(m[1]);
    }
    return undefined;
  }
  function requirePin(value: unknown): number {
    const pin = pinOf(value);
    if (pin === undefined) throw realm.error('Error', 'Invalid pin!');
    return pin;
  }
  function self(thisArg: unknown): number {
    return requirePin(thisArg);
  }

  const proto = Pin.prototype;
  const method = (name: string, impl: (this: unknown, ...args: any[]) => unknown) =>
    Object.defineProperty(proto, name, { value: realm.fn(impl, name), configurable: true, enumerable: false, writable: true });
  method('valueOf', function (this: unknown) {
    return self(this);
  });
  method('toString', function (this: unknown) {
    return 'D' + self(this);
  });
  method('toJSON', function (this: unknown) {
    return 'D' + self(this);
  });
  method('read', function (this: unknown) {
    return host.pins.read(self(this));
  });
  method('write', function (this: unknown, value: unknown) {
    host.pins.write(self(this), !!value);
  });
  method('set', function (this: unknown) {
    host.pins.write(self(this), true);
  });
  method('reset', function (this: unknown) {
    host.pins.write(self(this), false);
  });
  method('toggle', function (this: unknown) {
    const pin = self(this);
    const next = !host.pins.level(pin);
    host.pins.write(pin, next);
    return next;
  });
  method('mode', function (this: unknown, mode: unknown) {
    setPinMode(self(this), mode, false);
  });
  method('getMode', function (this: unknown) {
    return host.pins.mode(self(this));
  });
  addNotModelledMembers(realm, proto, 'Pin', NOT_MODELLED_MEMBERS.Pin!);

  for (let pin = 0; pin < PIN_COUNT; pin++) {
    const p = Object.create(proto) as object;
    numbers.set(p, pin);
    objects.push(p);
    realm.defineBuiltin('D' + pin, p);
  }
  for (const [name, pin] of Object.entries(PUCKJS_PIN_NAMES)) realm.defineBuiltin(name, objects[pin]);

  function setPinMode(pin: number, mode: unknown, automatic: boolean): void {
    if (mode === undefined || mode === 'auto') {
      host.pins.setMode(pin, undefined, true);
      return;
    }
    if (typeof mode !== 'string' || !(PIN_MODES as readonly string[]).includes(mode)) throw realm.error('Error', 'Unknown pin mode');
    host.pins.setMode(pin, mode as PinMode, automatic);
  }

  const fn = (name: string, impl: (this: unknown, ...args: any[]) => unknown) => realm.defineBuiltin(name, realm.fn(impl, name));

  fn('digitalWrite', (pins: unknown, value: unknown) => {
    if (Array.isArray(pins)) {
      // the last pin in the array is the least significant bit
      const v = Number(value);
      pins.forEach((p, i) => host.pins.write(requirePin(p), ((v >> (pins.length - 1 - i)) & 1) === 1));
    } else host.pins.write(requirePin(pins), typeof value === 'boolean' ? value : Number(value) !== 0 && !Number.isNaN(Number(value)));
  });
  fn('digitalRead', (pins: unknown) => {
    if (Array.isArray(pins)) return pins.reduce((acc: number, p) => (acc << 1) | (host.pins.read(requirePin(p)) ? 1 : 0), 0);
    return host.pins.read(requirePin(pins)) ? 1 : 0;
  });
  fn('pinMode', (pin: unknown, mode: unknown, automatic: unknown) => setPinMode(requirePin(pin), mode, !!automatic));
  fn('getPinMode', (pin: unknown) => host.pins.mode(requirePin(pin)));
  installDigitalPulse(host, requirePin);
  installWatches(host, pinOf);
  return { pinOf, pinObject: (pin) => objects[pin]! };
}

/**
 * digitalPulse(pin, value, time|times) as src/jswrap_io.c jswrap_io_digitalPulse
 * takes it: a number (or boolean) is one pulse, and one below 0 or NaN is
 * refused ("Pulse Time given for digitalPulse is less than 0, or not a
 * number"); anything iterable (an array, a typed array, a string, an
 * object's values) is a train: each time ≥ 0 pulses the pin at the current
 * value, anything else is skipped, and the value flips after every element;
 * anything else is "Expecting a number or array, got …". Each pulse sets the
 * pin to its value, then back after its time. It returns at once (Espruino
 * drives it from a hardware timer); pulses queue behind one still running.
 * `time` 0 means "wait for the previous pulse", which cannot block in virtual
 * time: it throws when a pulse is running.
 */
function installDigitalPulse(host: BoardHost, requirePin: (v: unknown) => number): void {
  const realm = host.realm;
  const busyUntil = new Map<number, number>();
  realm.defineBuiltin(
    'digitalPulse',
    realm.fn((pinArg: unknown, value: unknown, time: unknown) => {
      const pin = requirePin(pinArg);
      const times = pulseTimes(time);
      if (times === undefined) throw realm.error('Error', `Expecting a number or array, got ${time === null ? 'null' : typeof time}`);
      if (times.length === 1 && (times[0]! < 0 || Number.isNaN(times[0]!)) && isNumeric(time)) {
        throw realm.error('Error', 'Pulse Time given for digitalPulse is less than 0, or not a number');
      }
      const nowMs = host.nowMs();
      if (isNumeric(time) && times[0] === 0) {
        if ((busyUntil.get(pin) ?? 0) > nowMs) throw notModelledError(realm, 'digitalPulse(pin, value, 0) waiting for a running pulse');
        return;
      }
      let at = Math.max(nowMs, busyUntil.get(pin) ?? 0);
      let level = !!value;
      for (const t of times) {
        if (t >= 0) {
          host.schedulePinWrite(pin, level, at);
          at += t;
          host.schedulePinWrite(pin, !level, at);
        }
        level = !level;
      }
      busyUntil.set(pin, at);
    }, 'digitalPulse'),
  );
}

/** jsvIsNumeric: numbers and booleans. */
function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

/** The pulse times in `time` (NaN where an element is not a number), or undefined when it is neither a number nor iterable. */
function pulseTimes(time: unknown): number[] | undefined {
  if (isNumeric(time)) return [Number(time)];
  if (typeof time === 'string') return Array.from(time, (ch) => (/^[0-9]$/.test(ch) ? Number(ch) : NaN));
  if (Array.isArray(time) || ArrayBuffer.isView(time)) return Array.from(time as ArrayLike<unknown>, toTime);
  if (time !== null && typeof time === 'object') return Object.values(time).map(toTime);
  if (typeof time === 'function') return [];
  return undefined;
}

function toTime(value: unknown): number {
  return typeof value === 'number' || typeof value === 'boolean' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
}

function installWatches(host: BoardHost, pinOf: (v: unknown) => number | undefined): void {
  const realm: Realm = host.realm;
  realm.defineBuiltin(
    'setWatch',
    realm.fn((callback: unknown, pinArg: unknown, options: unknown) => {
      const pin = pinOf(pinArg);
      if (pin === undefined) throw realm.error('Error', 'Invalid pin');
      if (typeof callback !== 'function' && typeof callback !== 'string') throw realm.error('Error', 'Function or String not supplied!');
      const isButton = BUTTON_PINS.includes(pin);
      let repeat = false;
      let edge: Edge = isButton ? 1 : 0;
      let debounceMs = isButton ? BUTTON_DEFAULT_DEBOUNCE_MS : 0;
      if (options !== null && typeof options === 'object') {
        const o = options as Record<string, unknown>;
        repeat = !!o.repeat;
        if (o.debounce !== undefined) {
          const d = Number(o.debounce);
          debounceMs = Number.isNaN(d) || d < 0 ? 0 : d;
        }
        if (o.edge !== undefined) {
          if (o.edge === 'rising' || o.edge === 1) edge = 1;
          else if (o.edge === 'falling' || o.edge === -1) edge = -1;
          else if (o.edge === 'both' || o.edge === 0) edge = 0;
          else throw realm.error('TypeError', "'edge' in setWatch should be a string - either 'rising', 'falling' or 'both'");
        }
        if (o.irq) throw notModelledError(realm, 'setWatch irq:true');
        if (o.data !== undefined) throw notModelledError(realm, 'setWatch data pin');
      } else repeat = !!options;
      return host.watches.add({ pin, callback: callback as Function | string, repeat, edge, debounceMs });
    }, 'setWatch'),
  );
  realm.defineBuiltin(
    'clearWatch',
    realm.fn(function (this: unknown, ...args: unknown[]) {
      if (args.length === 0) {
        host.watches.clear();
        return;
      }
      const id = args[0];
      if (id === undefined) return;
      if (!host.watches.remove(Number(id))) throw realm.error('Error', 'Unknown Watch');
    }, 'clearWatch'),
  );
}
