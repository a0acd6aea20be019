/**
 * The nRF52's 32 GPIOs as Espruino drives them (src/jswrap_io.c): a mode per
 * pin, an output latch, and an optional external driver (the button, a
 * test probe). What a read sees:
 *   output / af_output            → the latch
 *   opendrain(_pullup)            → low when the latch is 0, else external or pull-up
 *   inputs                        → the external driver, else the pull resistor, else 0
 * Unless pinMode(pin, mode) set the mode by hand, digitalWrite makes a pin an
 * output and digitalRead makes it an input again, as Espruino does.
 *
 * Every change of the level a pin shows is reported with its virtual time, for
 * LED probes, traces and setWatch.
 */
import type { PinChange, PinListener } from '../board-events';
import type { PinBus } from '../buses/pin-bus';
import { ListenerList } from '../listener-list';

export const PIN_COUNT = 32;

export const PIN_MODES = [
  'analog',
  'input',
  'input_pullup',
  'input_pulldown',
  'output',
  'opendrain',
  'opendrain_pullup',
  'af_output',
  'af_opendrain',
] as const;
export type PinMode = (typeof PIN_MODES)[number];

interface PinState {
  mode: PinMode;
  manual: boolean;
  latch: boolean;
  external: boolean | undefined;
  level: boolean;
}

export class PinBank implements PinBus {
  private readonly pins: PinState[] = [];
  private readonly listeners = new ListenerList<PinChange>();

  constructor(
    private readonly nowMs: () => number,
    private readonly defaultMode: (pin: number) => PinMode,
  ) {
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      this.pins.push({ mode: defaultMode(pin), manual: false, latch: false, external: undefined, level: false });
    }
  }

  isValid(pin: number): boolean {
    return Number.isInteger(pin) && pin >= 0 && pin < PIN_COUNT;
  }

  /** Back to power-on state (jshReset); external drivers stay connected. */
  resetStates(): void {
    for (let pin = 0; pin < PIN_COUNT; pin++) {
      const p = this.pins[pin]!;
      p.mode = this.defaultMode(pin);
      p.manual = false;
      p.latch = false;
      this.update(pin);
    }
  }

  level(pin: number): boolean {
    return this.pins[pin]!.level;
  }

  mode(pin: number): PinMode {
    return this.pins[pin]!.mode;
  }

  isManual(pin: number): boolean {
    return this.pins[pin]!.manual;
  }

  /** digitalWrite / Pin.write. */
  write(pin: number, value: boolean): void {
    const p = this.pins[pin]!;
    if (!p.manual && !isOutput(p.mode)) p.mode = 'output';
    p.latch = value;
    this.update(pin);
  }

  /** digitalRead / Pin.read. */
  read(pin: number): boolean {
    const p = this.pins[pin]!;
    if (!p.manual && isOutput(p.mode)) {
      p.mode = 'input';
      this.update(pin);
    }
    return p.level;
  }

  /** pinMode(pin, mode, automatic): automatic=false makes the mode stick. */
  setMode(pin: number, mode: PinMode | undefined, automatic: boolean): void {
    const p = this.pins[pin]!;
    if (mode === undefined) {
      p.manual = false;
      return;
    }
    p.mode = mode;
    p.manual = !automatic;
    this.update(pin);
  }

  /** Something outside the chip drives the pin (undefined = released). */
  drive(pin: number, level: boolean | undefined): void {
    this.pins[pin]!.external = level;
    this.update(pin);
  }

  onChange(listener: PinListener): () => void {
    return this.listeners.add(listener);
  }

  private update(pin: number): void {
    const p = this.pins[pin]!;
    const level = computeLevel(p);
    if (level === p.level) return;
    p.level = level;
    const change: PinChange = { pin, level, timeMs: this.nowMs() };
    this.listeners.call(change);
  }
}

function isOutput(mode: PinMode): boolean {
  return mode === 'output' || mode === 'opendrain' || mode === 'opendrain_pullup' || mode === 'af_output' || mode === 'af_opendrain';
}

function computeLevel(p: PinState): boolean {
  switch (p.mode) {
    case 'output':
    case 'af_output':
      return p.latch;
    case 'opendrain':
    case 'af_opendrain':
      return p.latch ? (p.external ?? false) : false;
    case 'opendrain_pullup':
      return p.latch ? (p.external ?? true) : false;
    case 'input_pullup':
      return p.external ?? true;
    case 'input_pulldown':
      return p.external ?? false;
    default:
      return p.external ?? false;
  }
}
