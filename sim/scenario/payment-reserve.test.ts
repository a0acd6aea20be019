import { afterEach, describe, expect, it } from 'vitest';
import { SeededRandom } from '../clock/seeded-random';
import { floorFraction } from '../../firmware/power/brownout-guard';
import { chargeFractionAt } from '../../firmware/power/charge-curve';
import { SE_PEAK_MA, TAP_UAS } from '../../firmware/power/energy-figures';
import { DEFAULT_CONFIG, RESERVE_TAPS } from '../../firmware/power/scheduler-config';
import { PAYMENT, type TaskClass } from '../../firmware/power/task-classes';
import { FakeBoard } from '../../firmware/power/testing/fake-board';
import { type Harness, MIN, NO_SHEDDING, type RecordedTask, recordedTask, startHarness, voltsFor } from '../../firmware/power/testing/scheduler-harness';

// The payment reserve (10 taps and their BLE notices by default) is never
// spent by other classes. Property-style: seeded random mixes of work of every
// class, on a cell that starts a little above the reserve. The fake cell is
// drained by what each task says it uses, when it starts, and the battery
// voltage follows it through the same curve the firmware reads.
//
// Checked: every task of another class starts only while the payments left
// (counting that task's charge as spent) are at least the reserve; and after
// the mix, the reserve's ten taps all go through the brownout guard.

const CAPACITY_UAS = DEFAULT_CONFIG.capacityMah * 3_600_000;

let harness: Harness | undefined;
afterEach(() => {
  harness?.close();
  harness = undefined;
});

/** A cell with `uas` left, as the battery voltage says it. */
class DrainingCell {
  constructor(private readonly board: FakeBoard, public uas: number) {
    this.show();
  }
  drain(uas: number): void {
    this.uas -= uas;
    this.show();
  }
  private show(): void {
    this.board.volts = voltsFor((this.uas / CAPACITY_UAS) * 100);
  }
}

interface MixFigures {
  started: number;
  heldBack: number;
  fewestPaymentsLeftAtStart: number;
  reserveTapsDone: number;
}

/** One random mix; `paymentShare` of its tasks are payments (which may spend the reserve: it is theirs). */
function runMix(seed: number, paymentShare: number): MixFigures {
  const random = new SeededRandom(seed);
  const board = new FakeBoard();
  const floorUas = CAPACITY_UAS * floorFraction(DEFAULT_CONFIG, SE_PEAK_MA);
  // Just above the floor: the reserve, plus room for a few random tasks.
  const cell = new DrainingCell(board, floorUas + RESERVE_TAPS * TAP_UAS + random.int(0, 250_000) + 1);
  harness = startHarness({ config: { baselineUa: 0 }, thresholds: NO_SHEDDING }, board);
  const h = harness;
  const figures: MixFigures = { started: 0, heldBack: 0, fewestPaymentsLeftAtStart: Infinity, reserveTapsDone: 0 };
  const tasks: RecordedTask[] = [];
  const count = random.int(15, 40);
  for (let i = 0; i < count; i++) {
    const cls = (random.next() < paymentShare ? PAYMENT : random.int(1, 4)) as TaskClass;
    const energyUas = random.int(200, 20_000);
    const spec = {
      cls,
      energyUas,
      deadlineMs: random.int(5_000, 30 * MIN),
      radio: random.next() < 0.4,
      se: random.next() < 0.2,
      maxAttempts: random.int(1, 3),
    };
    const task = recordedTask(
      h,
      'task ' + i,
      spec,
      {
        finishAfterMs: random.int(0, 5_000),
        ok: random.next() < 0.8,
        retryable: random.next() < 0.5,
        onRun: () => {
          if (cls !== PAYMENT) {
            figures.started++;
            figures.fewestPaymentsLeftAtStart = Math.min(figures.fewestPaymentsLeftAtStart, h.scheduler.paymentsLeft());
          }
          cell.drain(energyUas);
        },
      },
    );
    tasks.push(task);
    h.board.advance(random.int(0, 3 * MIN));
    h.scheduler.submit(task.spec);
  }
  h.board.advance(3 * 60 * MIN);
  figures.heldBack = tasks.filter((task) => task.spec.cls !== PAYMENT && task.runsAtMs.length === 0).length;
  expect(h.scheduler.status().tasks).toBe(0);

  // Unless payments spent it, the reserve is intact, and its taps pay, one after another.
  if (paymentShare === 0) expect(h.scheduler.paymentsLeft()).toBeGreaterThanOrEqual(RESERVE_TAPS);
  if (h.scheduler.paymentsLeft() >= RESERVE_TAPS) {
    for (let tap = 0; tap < RESERVE_TAPS; tap++) {
      const payment = recordedTask(h, 'tap ' + tap, { cls: PAYMENT, energyUas: TAP_UAS, deadlineMs: 3000, radio: false, se: true, maxAttempts: 1 }, { onRun: () => cell.drain(TAP_UAS) });
      if (h.scheduler.submit(payment.spec) === '' && payment.outcome === 'done') figures.reserveTapsDone++;
      h.board.advance(MIN);
    }
    expect(chargeFractionAt(board.volts - DEFAULT_CONFIG.voltsToleranceV) * CAPACITY_UAS).toBeGreaterThan(floorUas);
  }
  return figures;
}

describe('the payment reserve', () => {
  it('is never spent by other classes, over seeded random mixes of work', () => {
    const all: MixFigures[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const figures = runMix(seed, 0.1);
      harness!.close();
      harness = undefined;
      expect({ seed, fewest: Math.min(figures.fewestPaymentsLeftAtStart, RESERVE_TAPS) }).toEqual({ seed, fewest: RESERVE_TAPS });
      all.push(figures);
    }
    // Not vacuous: work ran, and work was held back by the reserve.
    expect(all.reduce((sum, figures) => sum + figures.started, 0)).toBeGreaterThan(100);
    expect(all.reduce((sum, figures) => sum + figures.heldBack, 0)).toBeGreaterThan(20);
    console.log('reserve mixes: ' + JSON.stringify(all.reduce((sum, f) => ({ started: sum.started + f.started, heldBack: sum.heldBack + f.heldBack }), { started: 0, heldBack: 0 })));
  });

  it('keeps the ten taps payable once the other classes have spent all they may', () => {
    for (let seed = 101; seed <= 120; seed++) {
      const figures = runMix(seed, 0);
      harness!.close();
      harness = undefined;
      expect({ seed, taps: figures.reserveTapsDone }).toEqual({ seed, taps: RESERVE_TAPS });
    }
  });
});
