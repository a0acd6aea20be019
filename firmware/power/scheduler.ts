import type { PowerMode } from '../console/rpc-types';
import { RESERVE_LEVEL } from '../statecharts/power-mode.model';
import { createTableActor, type Implementations, type TableActor } from '../statecharts/runtime';
import type { ActionImplementation } from '../statecharts/table';
import type { powerModeTable, PowerModeValue } from '../statecharts/tables/power-mode.table';
import { taskTable, type TaskAction } from '../statecharts/tables/task-lifecycle.table';
import { taskDelays, taskGuards, taskUpdates, type TaskContext, type TaskEvent, type TaskUpdate } from '../statecharts/task-lifecycle.model';
import type { SchedulerBoard } from './board-port';
import { floorFraction, peakIsSafe } from './brownout-guard';
import { ChargeEstimator } from './charge-estimator';
import { createPowerMode, type PowerModeOptions, type PowerThresholds } from './power-mode-actor';
import { loadState, saveState, type SavedState } from './saved-state';
import { configWith, type SchedulerConfig } from './scheduler-config';
import { isShed, PAYMENT } from './task-classes';
import type { Refusal, TaskOutcome, TaskSpec } from './task-spec';

export type { PowerThresholds, Refusal, TaskOutcome, TaskSpec };

// The energy-aware scheduler (issue 3, item 4). Work is submitted as tasks;
// each runs through the task-lifecycle statechart (one table actor per task)
// and is admitted against a charge budget:
//
//  - payment tasks are always admitted (the reserve is theirs), but one that
//    powers the SE is refused when the brownout guard says the cell would sag
//    below the brownout threshold under its peak current;
//  - other tasks are admitted only if, with them, the headroom (estimated
//    charge, less what cannot pay because of the guard, less what running
//    tasks hold) stays at or above the payment reserve; the most important
//    waiting task goes first and the rest wait behind it;
//  - classes are shed lowest first by the power-mode statechart's shed level
//    (power-mode.model.ts, with hysteresis), fed with the charge estimate;
//  - radio tasks wait for a window: every windowPeriodMs, or sooner when a
//    queued radio task's deadline needs it. A window pays its wake/connect
//    overhead once and runs the queued radio tasks one after another.
//
// Shed level and ledger survive resets through saved-state.ts. Everything
// here sticks to what Espruino 2v29 runs (docs/espruino-subset.md):
// arrays rather than Map/Set, closures made outside loops, no hoisting relied on.

export interface SchedulerOptions extends PowerModeOptions {
  board: SchedulerBoard;
  config?: Partial<SchedulerConfig>;
  /** A charger's status, if the board can tell; without it a charge shows as the estimate climbing past a threshold + hysteresis. */
  charging?: () => boolean;
}

export interface SchedulerStatus {
  /** The power-mode machine's top state: normal | saver | reserveOnly | off. */
  mode: PowerMode;
  /** Classes shed, lowest first: 0 none … 4 all but payment. */
  shed: number;
  /** The conservative estimate of the charge left, % of capacity. */
  estPct: number;
  payLeft: number;
  tasks: number;
  window: boolean;
}

export interface Scheduler {
  readonly config: SchedulerConfig;
  /** The power-mode actor: the app sends it ACTIVITY, NFC_FIELD, BLE_CONNECTED, … */
  readonly power: TableActor<typeof powerModeTable>;
  /** The live tasks' records (internal), for a look from the console and for memory figures. */
  readonly tasks: ReadonlyArray<object>;
  submit(spec: TaskSpec): Refusal;
  /** Samples the cell now (the scheduler also does every samplePeriodMs, unless that is 0). */
  sample(): void;
  /** Payments the estimated charge allows, all other work shed: what the phone is told. */
  paymentsLeft(): number;
  /** The conservative estimate of the charge left in the cell (charge-estimator.ts). */
  remainingUas(): number;
  /** What classes other than payment may still spend: the headroom above the payment reserve. */
  spendableUas(): number;
  /** The brownout guard for `peakMa` (default the SE's): before an SE operation, or before a haptic pulse (the payment session's buzzSafe). */
  seOperationSafe(peakMa?: number): boolean;
  /** Compact, JSON-friendly: for strap.status(). */
  status(): SchedulerStatus;
  /** Cancels its timers and actors (tests; a real board just resets). */
  stop(): void;
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const board = options.board;
  const config = configWith(options.config);
  // Nothing saved (first boot, or both slots torn): seq −1, and the previous
  // shed level taken as the highest, so that a cell inside any hysteresis
  // band stays shed (the conservative recompute).
  const saved: SavedState = loadState(board) || { seq: -1, shedLevel: RESERVE_LEVEL, ledgerUah: -1 };
  // Whatever ran since the last save is unrecorded: take the most it can be off the saved ledger.
  const estimator = new ChargeEstimator(config, board.nowS(), saved.ledgerUah < 0 ? undefined : Math.max(0, saved.ledgerUah * 3600 - config.persistStepUas));
  const floorUas = estimator.capacityUas * floorFraction(config, config.sePeakMa);
  const reserveUas = config.reserveTaps * config.tapUas;
  const tasks: TaskRecord[] = [];
  let committedUas = 0;
  let shipping = false;
  let windowOpen = false;
  let radioBusy = false;
  let lastWindowMs = board.nowS() * 1000;
  let pumping = false;
  let forceSave = true;
  let windowTimer: TimerId | undefined;
  let soonTimer: TimerId | undefined;

  const power = createPowerMode(options, saved.shedLevel, function (on) {
    shipping = on;
    if (on) soon();
  });

  // One set of implementations for every task actor: the task is the actor's context.
  const ownTaskActions: { [K in Exclude<TaskAction, TaskUpdate>]: ActionImplementation<TaskContext, TaskEvent> } = {
    registerTask: function (context) {
      tasks.push(context as TaskRecord);
    },
    unregisterTask: function (context) {
      tasks.splice(tasks.indexOf(context as TaskRecord), 1);
      soon();
    },
    enqueue: function (context) {
      (context as TaskRecord).q = true;
      // Back from a retry's backoff: worth another look.
      if (context.attempts) soon();
    },
    dequeue: function (context) {
      (context as TaskRecord).q = false;
    },
    reserveEnergy: function (context) {
      const task = context as TaskRecord;
      task.h = task.s.energyUas;
      committedUas += task.h;
    },
    releaseReservation: function (context) {
      const task = context as TaskRecord;
      committedUas -= task.h;
      task.h = 0;
    },
    beginWork: function (context) {
      begin(context as TaskRecord);
    },
    endWork: function (context) {
      (context as TaskRecord).r = false;
    },
    // Runs right after releaseReservation in the same transition: the charge moves from held to spent.
    chargeEnergy: function (context) {
      estimator.spend((context as TaskRecord).s.energyUas);
    },
    noteProgress: noop,
    noteWindowMissed: noop,
    reportDone: function (context) {
      end(context as TaskRecord, 'done');
    },
    reportFailed: function (context) {
      const task = context as TaskRecord;
      // Never ran: its deadline passed while it waited (for budget, a window or the cell).
      task.y = task.attempts ? 'failed' : 'deadline';
      end(task, 'failed');
    },
    reportShed: function (context) {
      const task = context as TaskRecord;
      end(task, task.y === 'brownout' ? 'refused' : 'shed');
    },
  };
  // With the model's context updates: countAttempt, rememberFailure, rememberTimeout.
  const taskActions: Implementations<typeof taskTable>['actions'] = Object.assign(ownTaskActions, taskUpdates);
  const taskDelayFunctions = {
    deadlineMs: taskDelays.deadlineMs,
    retryBackoffMs: taskDelays.retryBackoffMs,
    runTimeoutMs: function (context: TaskContext) {
      return (context as TaskRecord).s.timeoutMs || RUN_TIMEOUT_MS;
    },
  };

  // Function declarations are not hoisted on Espruino: the code above only
  // makes closures that call them later, and the start-up at the end runs
  // after all of them.

  function nowMs(): number {
    return board.nowS() * 1000;
  }

  function remainingUas(): number {
    return estimator.remainingUas(board.nowS());
  }

  /** What payments could still use: the estimate, less the charge the guard would refuse, less what running tasks hold. */
  function headroomUas(): number {
    return remainingUas() - floorUas - committedUas;
  }

  function fits(uas: number): boolean {
    return headroomUas() - uas >= reserveUas;
  }

  function paymentsLeft(): number {
    return Math.max(0, Math.floor(headroomUas() / config.tapUas));
  }

  function peakSafe(peakMa: number): boolean {
    return peakIsSafe(config, board.batteryVolts(), peakMa);
  }

  /** Board time (s) of the last voltage sample. */
  let sampledAtS = -1;

  function sample(): void {
    sampledAtS = board.nowS();
    if (estimator.sample(board.batteryVolts(), sampledAtS)) forceSave = true;
    power.send({ type: 'BATTERY_SAMPLE', percent: (remainingUas() / estimator.capacityUas) * 100, charging: options.charging ? options.charging() : false });
    pump();
  }

  /** The most important task passing `test` (lowest class, then earliest deadline); with `least`, the least important. */
  function best(test: (task: TaskRecord) => boolean, least?: boolean): TaskRecord | undefined {
    let found: TaskRecord | undefined;
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i]!;
      if (test(task) && (!found || before(task, found) !== !!least)) found = task;
    }
    return found;
  }

  function sheddable(task: TaskRecord): boolean {
    return task.q && (shipping || isShed(task.s.cls, power.context.shedLevel));
  }
  function ready(task: TaskRecord): boolean {
    return task.q && (!task.s.radio || (windowOpen && !radioBusy));
  }
  function waitingForRadio(task: TaskRecord): boolean {
    return task.q && task.s.radio;
  }
  function usingRadio(task: TaskRecord): boolean {
    return task.r && task.s.radio;
  }

  /** Sheds, admits and starts what it can, opens and closes radio windows. Never re-entered: a nested call runs afterwards. */
  function pump(): void {
    if (pumping) return soon();
    pumping = true;
    let opened = false;
    try {
      for (;;) {
        let task: TaskRecord | undefined;
        while ((task = best(sheddable, true))) {
          task.y = shipping ? 'off' : 'shed';
          task.a.send(SHED);
        }
        radioBusy = !!best(usingRadio);
        while ((task = best(ready)) && admit(task)) radioBusy = !!best(usingRadio);
        // A window closes when its radio work is over (what did not fit waits for the next one).
        if (windowOpen && !radioBusy) {
          windowOpen = false;
          lastWindowMs = nowMs();
        }
        // One window per pass: a window that closed unused must not reopen (and pay again) at once.
        if (windowOpen || opened || !openWindow()) break;
        opened = true;
      }
    } finally {
      pumping = false;
    }
    armWindowTimer();
    save();
  }

  /** Whether a task other than a payment may start now: its charge (and `extraUas`) fits above the reserve, and the cell can carry its peak. */
  function affordable(task: TaskRecord, extraUas: number): boolean {
    const spec = task.s;
    return fits(spec.energyUas + extraUas) && !(spec.se && !peakSafe(spec.peakMa || config.sePeakMa));
  }

  /** Starts the task, or refuses it; false when it must wait (budget, or a cell that cannot carry its peak yet). */
  function admit(task: TaskRecord): boolean {
    const spec = task.s;
    if (spec.cls !== PAYMENT) {
      if (!affordable(task, 0)) return false;
    } else if (spec.se && !peakSafe(spec.peakMa || config.sePeakMa)) {
      // The reader is waiting now: a payment cannot wait for the cell to recover.
      task.y = 'brownout';
      task.a.send(CANCEL);
      return true;
    }
    task.a.send(ADMIT);
    task.a.send(START);
    return true;
  }

  /** Opens a window when one is due and the first radio task (with the overhead) can start; true when it did. */
  function openWindow(): boolean {
    const first = best(waitingForRadio);
    if (!first || nowMs() < windowDueMs()) return false;
    if (first.s.cls !== PAYMENT && !affordable(first, config.windowOverheadUas)) return false;
    estimator.spend(config.windowOverheadUas);
    windowOpen = true;
    return true;
  }

  /** The next window: a period after the last, or sooner for the most urgent queued radio task. */
  function windowDueMs(): number {
    let due = lastWindowMs + config.windowPeriodMs;
    for (let i = 0; i < tasks.length; i++) {
      if (waitingForRadio(tasks[i]!)) due = Math.min(due, dueMs(tasks[i]!) - config.windowLeadMs);
    }
    return due;
  }

  function armWindowTimer(): void {
    if (windowTimer !== undefined) clearTimeout(windowTimer);
    windowTimer = undefined;
    // Already due but unaffordable: the next sample or task end looks again (a 0 ms timer would spin).
    const waitMs = windowDueMs() - nowMs();
    if (!windowOpen && best(waitingForRadio) && waitMs > 0) {
      windowTimer = setTimeout(function () {
        windowTimer = undefined;
        pump();
      }, waitMs);
    }
  }

  function soon(): void {
    if (soonTimer === undefined) {
      soonTimer = setTimeout(function () {
        soonTimer = undefined;
        pump();
      }, 0);
    }
  }

  function begin(task: TaskRecord): void {
    task.r = true;
    const attempt = task.attempts;
    const done = function (ok: boolean, retryable?: boolean): void {
      if (task.r && task.attempts === attempt) task.a.send(ok ? SUCCEED : { type: 'FAIL', retryable: !!retryable });
    };
    // A task that throws has failed (for good); it must not leave its actor stuck holding its charge.
    try {
      task.s.run(done);
    } catch (e) {
      done(false);
    }
  }

  function end(task: TaskRecord, outcome: TaskOutcome): void {
    const onEnd = task.s.onEnd;
    if (!onEnd) return;
    // A submit() from the callback waits for the next pump, not inside this step.
    const was = pumping;
    pumping = true;
    try {
      onEnd(outcome, task.y);
    } catch (e) {
      // The app's callback failing must not stop the task's actor before it unregisters.
    }
    pumping = was;
  }

  /** Keeps the ledger (less what running tasks hold: if the board resets now, count it spent) and the shed level in flash, sparingly. */
  function save(): void {
    const ledgerUah = Math.floor(Math.max(0, estimator.ledgerUas - committedUas) / 3600);
    const level = power.context.shedLevel;
    if (forceSave || level !== saved.shedLevel || saved.ledgerUah - ledgerUah >= config.persistStepUas / 3600) {
      forceSave = false;
      saved.shedLevel = level;
      saved.ledgerUah = ledgerUah;
      // A refused write (full flash) is not retried until the next change: the next boot then recomputes more cautiously.
      saveState(board, saved);
    }
  }

  function submit(spec: TaskSpec): Refusal {
    if (shipping) return 'off';
    if (isShed(spec.cls, power.context.shedLevel)) return 'shed';
    if (spec.cls !== PAYMENT && tasks.length >= config.maxTasks) return 'full';
    const task = {
      attempts: 0,
      maxAttempts: spec.maxAttempts || 3,
      deadlineMs: spec.deadlineMs,
      backoffMs: spec.backoffMs || 5000,
      lastFailureRetryable: false,
      s: spec,
      b: nowMs(),
      q: false,
      r: false,
      h: 0,
      y: '',
    } as TaskRecord;
    task.a = createTableActor(taskTable, { actions: taskActions, guards: taskGuards, delays: taskDelayFunctions, context: task });
    task.a.start();
    pump();
    return task.y === 'brownout' ? 'brownout' : '';
  }

  sample();
  // 0: the app samples (firmware/power/heartbeat.ts, one wake-up for both).
  const sampler = config.samplePeriodMs > 0 ? setInterval(sample, config.samplePeriodMs) : undefined;

  return {
    config: config,
    power: power,
    tasks: tasks,
    submit: submit,
    sample: sample,
    paymentsLeft: paymentsLeft,
    remainingUas: remainingUas,
    spendableUas: function () {
      return Math.max(0, headroomUas() - reserveUas);
    },
    seOperationSafe: function (peakMa?: number) {
      return peakSafe(peakMa || config.sePeakMa);
    },
    status: function () {
      // The heartbeat samples every 1-10 min; a status between two would show the figure
      // of the last one (98 % on a drained cell). So the figures are read from the cell now,
      // unless the last sample is under STATUS_FRESH_S old, by a throwaway estimator that
      // inherits the real one's state (Object.create: what sample() writes lands on the copy),
      // so the estimate, the mode and the tasks move only at the next real sample.
      const nowS = board.nowS();
      let now = estimator;
      if (nowS - sampledAtS >= STATUS_FRESH_S) {
        now = Object.create(estimator) as ChargeEstimator;
        now.sample(board.batteryVolts(), nowS);
      }
      const leftUas = now.remainingUas(nowS);
      const value = power.value();
      return {
        mode: typeof value === 'string' ? value : (Object.keys(value)[0] as TopState),
        shed: power.context.shedLevel,
        estPct: Math.round((leftUas / estimator.capacityUas) * 1000) / 10,
        payLeft: Math.max(0, Math.floor((leftUas - floorUas - committedUas) / config.tapUas)),
        tasks: tasks.length,
        window: windowOpen,
      };
    },
    stop: function () {
      if (sampler !== undefined) clearInterval(sampler);
      if (windowTimer !== undefined) clearTimeout(windowTimer);
      if (soonTimer !== undefined) clearTimeout(soonTimer);
      windowTimer = soonTimer = undefined;
      while (tasks.length) (tasks.pop() as TaskRecord).a.stop();
      power.stop();
    },
  };
}

type TimerId = ReturnType<typeof setTimeout>;

/** A status this soon after a sample shows that sample's figures (s). */
const STATUS_FRESH_S = 5;

/** The power-mode table's top states; the wire's PowerMode (console/rpc-types.ts) must name exactly these. */
type TopState = PowerModeValue extends infer V ? (V extends string ? V : keyof V) : never;
type SameNames<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;
/** Fails to compile when the machine's top states and PowerMode differ (never used: the check is its compiling). */
type _PowerModeNamesAgree = Holds<SameNames<TopState, PowerMode>>;

/**
 * A task as the scheduler keeps it: the lifecycle machine's context plus the
 * bookkeeping; one object per task. One-letter names on purpose (as in the
 * statechart runtime): terser never shortens property names, and on Espruino
 * a longer name also costs the record more variables.
 */
interface TaskRecord extends TaskContext {
  /** The spec it was submitted with. */ s: TaskSpec;
  /** Its lifecycle actor. */ a: TableActor<typeof taskTable>;
  /** Board time of submission (ms): the deadline counts from here. */ b: number;
  /** Queued (waiting to be admitted). */ q: boolean;
  /** Running. */ r: boolean;
  /** Charge committed to it while admitted or running (µAs). */ h: number;
  /** Why it ended other than done ('' while live). */ y: string;
}

/** The task machine's own runTimeoutMs (from setup() in task-lifecycle.machine.ts). */
const RUN_TIMEOUT_MS = taskTable.m[taskTable.d.indexOf('runTimeoutMs')]!;
const ADMIT: TaskEvent = { type: 'ADMIT' };
const START: TaskEvent = { type: 'START' };
const SUCCEED: TaskEvent = { type: 'SUCCEED' };
const SHED: TaskEvent = { type: 'SHED' };
const CANCEL: TaskEvent = { type: 'CANCEL' };

function dueMs(task: TaskRecord): number {
  return task.b + task.deadlineMs;
}

function before(a: TaskRecord, b: TaskRecord): boolean {
  return a.s.cls < b.s.cls || (a.s.cls === b.s.cls && dueMs(a) < dueMs(b));
}

function noop(): void {}
