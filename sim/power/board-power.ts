/**
 * Puts a power model under a virtual board, at the board's supply-rail seam
 * (sim/board/buses/supply-rail.ts, BoardLoad): the board reports what it
 * models (pin levels, a host on the UART console, each run of JavaScript,
 * watches, power-on and power-off) and the model turns it into current on the
 * board's cell; the model's supervisor turns a sagging cell into a brownout
 * (the board loses power, RAM and all) and a recovered one into a power-on.
 *
 * CPU per event: the board runs JavaScript in zero virtual time, so each run
 * is charged as a CPU-on window: the CPU is in 'run' (4 mA, Puck.js "JS at
 * 100 % CPU") for `cpuWindowUs` after each callback or console line (default
 * 2 ms) and `bootWindowUs` after each boot file (default 100 ms), then back
 * to sleep. Windows that overlap merge. These lengths are assumptions, not
 * measurements: Espruino interprets the source text as it runs
 * (espruino.com/Performance, "Espruino executes code directly from source"),
 * so even a short callback costs milliseconds; change them per board.
 *
 * What the firmware sees is unchanged: NRF.getBattery() reads the cell's
 * terminal voltage under the present load, as a real board's ADC would.
 *
 * The Puck.js's LEDs (sim/board/io/puckjs-pins.ts) draw while lit, and the
 * haptic motor (sim/strap/wiring.ts HAPTIC) while its pin is high. The
 * secure element and the NFC controller report their own power states
 * (sim/se, sim/nfc): the virtual strap connects them
 * (`strap.payment.drivePower(power)`, sim/scenario/strap-payment.ts). The
 * radio is not driven by the board yet: callers drive it through the
 * returned model (`power.setState('radio', 'tx')`). When the board loses its
 * supply (power-off, power cut, brownout) every consumer behind the
 * regulator goes to its off state.
 */
import type { JsRunKind } from '../board/board-events';
import type { BoardLoad } from '../board/buses/supply-rail';
import { PUCKJS_LEDS } from '../board/io/puckjs-pins';
import { STRAP_PINS } from '../strap/wiring';
import type { LiPoCell } from './cell';
import { CONSUMERS, type ConsumerName } from './current-catalogue';
import { PowerModel, type PowerModelOptions } from './power-model';

export interface BoardPowerOptions extends Omit<PowerModelOptions, 'clock' | 'cell'> {
  /** CPU-on window charged per callback or console line (µs, default 2000). */
  cpuWindowUs?: number;
  /** CPU-on window charged per boot file run (µs, default 100000). */
  bootWindowUs?: number;
}

/** The LEDs, lit when high. */
const LED_PINS: Readonly<Record<number, ConsumerName>> = { [PUCKJS_LEDS.LED1]: 'led1', [PUCKJS_LEDS.LED2]: 'led2', [PUCKJS_LEDS.LED3]: 'led3' };

/** Outputs the firmware drives: the consumer and its state while the pin is high (off while low). */
const PART_PINS: Readonly<Record<number, readonly [ConsumerName, string]>> = {
  [STRAP_PINS.HAPTIC]: ['haptic', 'on'],
};

export interface BoardPower {
  power: PowerModel;
  /** Stops listening to the board and stops the model (its ledger and trace stay readable). */
  detach(): void;
}

/** `board`: a board on its rail with a Li-Po cell on its battery connector (a virtual strap's board). */
export function attachPowerModel(board: BoardLoad & { readonly cell: LiPoCell }, options: BoardPowerOptions = {}): BoardPower {
  const power = new PowerModel({ ...options, clock: board.clock, cell: board.cell });
  const windows: Record<JsRunKind, number> = {
    callback: options.cpuWindowUs ?? 2000,
    console: options.cpuWindowUs ?? 2000,
    boot: options.bootWindowUs ?? 100_000,
  };
  let offByBrownout = false;

  const showPin = (pin: number, level: boolean) => {
    const led = LED_PINS[pin];
    if (led) power.setState(led, level ? 'on' : 'off');
    const part = PART_PINS[pin];
    if (part) power.setState(part[0], level ? part[1] : power.catalogue[part[0]].off);
  };

  const showPowered = () => {
    power.setState('mcu', 'sleep', { keepPulses: true });
    power.setState('uart', board.link('Serial1').listenerCount > 0 ? 'attached' : 'off');
    power.setState('gpiote', board.stats().watches > 0 ? 'watching' : 'off');
    for (const pin of [...Object.keys(LED_PINS), ...Object.keys(PART_PINS)]) showPin(Number(pin), board.pins.level(Number(pin)));
  };
  // the board's supply is gone: everything behind the regulator stops (whoever drives the radio,
  // NFC, SE or motor sets them again after the next boot, as firmware would)
  const showUnpowered = () => {
    for (const c of CONSUMERS) if (power.catalogue[c].onRail) power.setState(c, power.catalogue[c].off);
  };

  const unsubscribe = [
    board.on('js', (e) => {
      if (!board.powered) return;
      if (e.phase === 'start') {
        if (power.baseState('mcu') === 'off') power.setState('mcu', 'sleep', { keepPulses: true });
        power.pulse('mcu', 'run', windows[e.kind]);
      } else {
        power.setState('gpiote', board.stats().watches > 0 ? 'watching' : 'off');
      }
    }),
    board.pins.onChange((change) => {
      if (board.powered) showPin(change.pin, change.level);
    }),
    board.on('link', (e) => {
      if (e.name === 'Serial1' && board.powered) power.setState('uart', e.listeners > 0 ? 'attached' : 'off');
    }),
    board.on('boot', () => showPowered()),
    board.on('powerOff', () => showUnpowered()),
    power.onSupply((e) => {
      if (e.kind === 'brownout') {
        // the rail is gone at this instant; the board stops as soon as the running code yields.
        // Marked now: with the load gone a cell can recover at once (a high internal resistance),
        // and that recovery must power the board on again once it is off.
        offByBrownout = board.powered;
        board.clock.scheduleIn(
          0,
          () => {
            if (board.powered) board.powerOff('brownout');
          },
          'power:brownout',
        );
      } else if (offByBrownout) {
        board.clock.scheduleIn(
          0,
          () => {
            offByBrownout = false;
            if (!board.powered && power.railOn) board.powerOn();
          },
          'power:recovered',
        );
      }
    }),
  ];
  if (board.powered) showPowered();
  return {
    power,
    detach: () => {
      unsubscribe.forEach((u) => u());
      power.dispose();
    },
  };
}
