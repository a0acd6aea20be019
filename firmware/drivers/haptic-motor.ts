/**
 * Haptic motor: a 10 mm × 3 mm coin ERM (eccentric rotating mass) vibration
 * motor, rated 3 V, 70–120 mA at 3 V (generic coin-motor data: the
 * "Vibration motor" component page of docs.cirkitdesigner.com; a 3 V listing
 * quoted on forum.arduino.cc, "Vibration motors characteristics": 70 mA max;
 * the same source as [ERM] in sim/power/current-catalogue.ts), switched by a
 * transistor from one GPIO: high runs it.
 *
 * In the manner of Moddable's drivers: it is given its pin by whoever
 * wires the board (boot/, from board/strap-pins.ts, `hapticMotor`); the
 * part's figures sit in one table at the top. The table is a plain constant:
 * Espruino 2v29 has no Object.freeze.
 */

/** The motor's figures. */
export const ERM_MOTOR = {
  /** Running current at 3 V, the low end of the rated 70–120 mA (what the brownout guard is asked about). */
  runMa: 70,
} as const;

export interface HapticMotorOptions {
  /** The GPIO driving the motor's switch: high runs it. */
  pin: Pin;
}

/** What the payments are handed (boot/ wires it). */
export interface HapticMotor {
  /** What the motor draws while it runs, for the brownout guard. */
  readonly peakMa: number;
  /** Runs the motor for `ms`, then stops it; returns at once (Espruino times the pulse). */
  pulse(ms: number): void;
}

// The strap has one motor: its pin is this module's, and `pulse` a module-level function (Espruino keeps no
// prototype, `constructor` link or `__proto__` for it). `hapticMotor` wires it afresh.
let pin: Pin;

export function hapticMotor(options: HapticMotorOptions): HapticMotor {
  pin = options.pin;
  return { peakMa: ERM_MOTOR.runMa, pulse: pulse };
}

function pulse(ms: number): void {
  digitalPulse(pin, 1, ms);
}
