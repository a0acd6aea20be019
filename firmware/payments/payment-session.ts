/**
 * The tap on the board's pins, until the NFC controller and SE drivers come
 * (NCI and T=1 over I2C, later issues): the NFC controller raises NFC_IRQ
 * while a reader's field is present; the payment task powers the SE (SE_EN)
 * for as long as the field stays, at most FIELD_LIMIT_MS; a paid tap buzzes
 * the motor (HAPTIC) if the cell can carry it. A refusal ('brownout') shows
 * red twice and never runs the motor: the cell could not carry the SE's peak,
 * let alone the motor's 70 mA.
 */
import { HAPTIC, NFC_IRQ, SE_EN } from '../board/strap-pins';
import type { Scheduler, TaskOutcome } from '../scheduler/scheduler';
import { flash } from './led';

/** A field longer than this is cut short and the tap fails: under the payment task's 3 s deadline, so the SE is always powered down here. */
const FIELD_LIMIT_MS = 2500;
/** Motor on for a paid tap (energy-figures.ts counts 100 ms). */
const BUZZ_MS = 100;
/** The motor's 70 mA and the CPU's 4 mA: the brownout guard is asked before each buzz. */
const BUZZ_PEAK_MA = 74;

/** The running tap's end while the SE is powered. */
let endSession: ((ok: boolean) => void) | undefined;

/** Calls `onField` when a reader's field appears (not again while a tap runs); the field going ends the running tap, paid. */
export function watchField(onField: () => void): number {
  return setWatch(
    function (e) {
      if (!e.state) {
        if (endSession) endSession(true);
      } else if (!endSession) onField();
    },
    NFC_IRQ,
    { edge: 'both', repeat: true },
  );
}

/** The payment task's work: the SE and LED3 on until the field goes (done) or FIELD_LIMIT_MS (failed). */
export function seSession(done: (ok: boolean) => void): void {
  let limit: number | undefined;
  const end = function (ok: boolean) {
    endSession = undefined;
    // Espruino throws on clearing a timer that has fired.
    if (limit !== undefined) clearTimeout(limit);
    SE_EN.reset();
    LED3.reset();
    done(ok);
  };
  endSession = end;
  SE_EN.set();
  LED3.set();
  limit = setTimeout(function () {
    limit = undefined;
    end(false);
  }, FIELD_LIMIT_MS);
}

/** The wearer's feedback for a tap that ran: green and a buzz (if the cell can carry it) when paid, a long red when it failed. */
export function tapFeedback(scheduler: Scheduler, outcome: TaskOutcome): void {
  if (outcome === 'failed') flash(LED1, 500);
  if (outcome !== 'done') return;
  flash(LED2, 200);
  if (scheduler.seOperationSafe(BUZZ_PEAK_MA)) digitalPulse(HAPTIC, 1, BUZZ_MS);
}

/** A refused tap: red twice, no motor. */
export function refusalFeedback(): void {
  digitalPulse(LED1, 1, [100, 100, 100]);
}
