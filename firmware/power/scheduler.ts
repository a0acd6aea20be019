import type { PowerMode } from '../console/rpc-types';
import { RESERVE_LEVEL } from '../statecharts/power-mode.model';
import { TableActor } from '../statecharts/runtime';
import type { SystemEvent } from '../statecharts/table';
import type { powerModeTable, PowerModeValue } from '../statecharts/tables/power-mode.table';
import { taskTable, type TaskAction, type TaskDelay } from '../statecharts/tables/task-lifecycle.table';
import { taskDelay, taskGuard, taskUpdate, type TaskContext, type TaskEvent } from '../statecharts/task-lifecycle.model';
import type { SchedulerBoard } from './board-port';
import { floorFraction, guardSettings, peakIsSafe, type GuardSettings } from './brownout-guard';
import { capacityUas, ledgerUas, remainingUas as estimatedUas, sampleCharge, spendCharge, startEstimator } from './charge-estimator';
import { SE_PEAK_MA, TAP_UAS, WINDOW_OVERHEAD_UAS } from './energy-figures';
import { createPowerMode, type PowerModeOptions, type PowerThresholds } from './power-mode-actor';
import { loadState, saveState, type SavedState } from './saved-state';
import { configWith, PERSIST_STEP_UAS, RESERVE_UAS, WINDOW_LEAD_MS, WINDOW_PERIOD_MS, type SchedulerConfig } from './scheduler-config';
import { isShed, PAYMENT, type TaskClass } from './task-classes';
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
//  - radio tasks wait for a window: every WINDOW_PERIOD_MS, or sooner when a
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

// One scheduler per board: it owns the cell's budget and the two Storage
// slots. Its state is therefore this module's, and its functions sit at the
// bundle's top level, where Espruino keeps a function for the fewest
// variables (a function made inside a factory inside another costs a copied
// scope list besides: src/jsparse.c jspeiGetScopesAsVar). createScheduler()
// starts it; called again (a test's reboot), it starts afresh, as a reset does.
// Function declarations are not hoisted on Espruino: nothing here runs before
// createScheduler() is called, after every declaration has run.

// Constants first: terser writes a number in place of a constant only where
// it is declared before its uses. (Events are written where they are sent:
// made then and dropped, they hold no variables between sends.)
/** A status this soon after a sample shows that sample's figures (s). */
const STATUS_FRESH_S = 5;
/**
 * A run that has not answered by then is a retryable failure, unless its spec
 * says otherwise: the task machine's own default (task-lifecycle.machine.ts),
 * written here rather than looked up by name, so the build can shorten the name.
 */
const RUN_TIMEOUT_MS = 10000;
/** A task's phase (TaskRecord.p): the lifecycle's queued and running states. */
const QUEUED = 1;
const RUNNING = 2;
// What best() looks for.
const SHEDDABLE = 0;
const READY = 1;
const WAITING_FOR_RADIO = 2;
const USING_RADIO = 3;

let board: SchedulerBoard;
/** The brownout guard's settings (the rest of the config is read at the start, or by the estimator). */
let guard: GuardSettings;
/** SchedulerConfig.maxTasks. */
let maxTasks: number;
let charging: (() => boolean) | undefined;
let saved: SavedState;
/** The power-mode actor: the shed level and the mode. */
let power: TableActor<typeof powerModeTable>;
/** Charge below which the guard refuses the SE: it cannot pay (µAs). */
let floorUas: number;
let tasks: TaskRecord[];
/** What admitted and running tasks hold (µAs). */
let committedUas: number;
let windowOpen: boolean;
let radioBusy: boolean;
let lastWindowMs: number;
let pumping: boolean;
let forceSave: boolean;
let windowTimer: TimerId | undefined;
let soonTimer: TimerId | undefined;
let sampler: TimerId | undefined;
/** Board time (s) of the last voltage sample. */
let sampledAtS: number;

export function createScheduler(options: SchedulerOptions): Scheduler {
  board = options.board;
  const config: SchedulerConfig = configWith(options.config);
  guard = guardSettings(config);
  maxTasks = config.maxTasks;
  charging = options.charging;
  // Nothing saved (first boot, or both slots torn): seq −1, and the previous
  // shed level taken as the highest, so that a cell inside any hysteresis
  // band stays shed (the conservative recompute).
  saved = loadState(board) || { seq: -1, shedLevel: RESERVE_LEVEL, ledgerUah: -1 };
  // Whatever ran since the last save is unrecorded: take the most it can be off the saved ledger.
  startEstimator(config, board.nowS(), saved.ledgerUah < 0 ? undefined : Math.max(0, saved.ledgerUah * 3600 - PERSIST_STEP_UAS));
  floorUas = capacityUas * floorFraction(config, SE_PEAK_MA);
  tasks = [];
  committedUas = 0;
  windowOpen = radioBusy = pumping = false;
  lastWindowMs = board.nowS() * 1000;
  forceSave = true;
  windowTimer = soonTimer = undefined;
  sampledAtS = -1;
  // Shipping mode (the power mode's off state): what is queued is shed at the next pump.
  power = createPowerMode(options, saved.shedLevel, soon);
  sample();
  // 0: the app samples (firmware/power/heartbeat.ts, one wake-up for both).
  sampler = config.samplePeriodMs > 0 ? setInterval(sample, config.samplePeriodMs) : undefined;
  return {
    power: power,
    tasks: tasks,
    submit: submit,
    sample: sample,
    paymentsLeft: paymentsLeft,
    remainingUas: remainingUas,
    spendableUas: spendableUas,
    seOperationSafe: seOperationSafe,
    status: status,
    stop: stop,
  };
}

function remainingUas(): number {
  return estimatedUas(board.nowS());
}

function paymentsLeft(): number {
  return Math.max(0, Math.floor(spendableUas(true) / TAP_UAS));
}

/**
 * What classes other than payment may still spend; with `all`, what payments
 * could still use: the estimate, less the charge the guard would refuse, less
 * what running tasks hold (the headroom, reserve included, maybe below 0).
 * One function for both: on Espruino each function costs RAM the whole time.
 */
function spendableUas(all?: boolean): number {
  const headroomUas = remainingUas() - floorUas - committedUas;
  return all ? headroomUas : Math.max(0, headroomUas - RESERVE_UAS);
}

/** The brownout guard for `peakMa`, default the SE's. */
function seOperationSafe(peakMa?: number): boolean {
  return peakIsSafe(guard, board.batteryVolts(), peakMa || SE_PEAK_MA);
}

function sample(): void {
  sampledAtS = board.nowS();
  if (sampleCharge(board.batteryVolts(), sampledAtS)) forceSave = true;
  power.send({ type: 'BATTERY_SAMPLE', percent: (remainingUas() / capacityUas) * 100, charging: charging ? charging() : false });
  pump();
}

function matches(task: TaskRecord, what: number): boolean {
  if (what === USING_RADIO) return task.p === RUNNING && !!task.r;
  if (task.p !== QUEUED) return false;
  if (what === SHEDDABLE) return power.value() === 'off' || isShed(task.c, power.ctx.shed);
  if (what === READY) return !task.r || (windowOpen && !radioBusy);
  return !!task.r;
}

/** The most important task that `matches` (lowest class, then earliest deadline); with `least`, the least important. */
function best(what: number, least?: boolean): TaskRecord | undefined {
  let found: TaskRecord | undefined;
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    // Before: a lower class, or the same and an earlier deadline (`b` is the board time it counts from).
    if (matches(task, what) && (!found || (task.c < found.c || (task.c === found.c && task.b + task.dlMs < found.b + found.dlMs)) !== !!least)) found = task;
  }
  return found;
}

/** Sheds, admits and starts what it can, opens and closes radio windows. Never re-entered: a nested call runs afterwards. */
function pump(): void {
  if (pumping) return soon();
  pumping = true;
  let opened = false;
  try {
    for (;;) {
      let task: TaskRecord | undefined;
      while ((task = best(SHEDDABLE, true))) {
        task.y = power.value() === 'off' ? 'off' : 'shed';
        task.a.send({ type: 'SHED' });
      }
      radioBusy = !!best(USING_RADIO);
      while ((task = best(READY)) && admit(task)) radioBusy = !!best(USING_RADIO);
      // A window closes when its radio work is over (what did not fit waits for the next one).
      if (windowOpen && !radioBusy) {
        windowOpen = false;
        lastWindowMs = board.nowS() * 1000;
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

/**
 * Starts the task, or refuses it; false when it must wait (budget, or a cell that cannot carry its peak yet).
 * With `extraUas` (a window's overhead) it only says whether the task, not a payment, could start now: its
 * charge and the extra fit above the reserve, and the cell can carry its peak.
 */
function admit(task: TaskRecord, extraUas?: number): boolean {
  if (task.c !== PAYMENT || extraUas) {
    if (spendableUas(true) - (task.e + (extraUas || 0)) < RESERVE_UAS || (task.g && !seOperationSafe(task.pk))) return false;
    if (extraUas) return true;
  } else if (task.g && !seOperationSafe(task.pk)) {
    // The reader is waiting now: a payment cannot wait for the cell to recover.
    task.y = 'brownout';
    task.a.send({ type: 'CANCEL' });
    return true;
  }
  task.a.send({ type: 'ADMIT' });
  task.a.send({ type: 'START' });
  return true;
}

/** Opens a window when one is due and the first radio task (with the overhead) can start; true when it did. */
function openWindow(): boolean {
  const first = best(WAITING_FOR_RADIO);
  if (!first || board.nowS() * 1000 < windowDueMs()) return false;
  if (first.c !== PAYMENT && !admit(first, WINDOW_OVERHEAD_UAS)) return false;
  spendCharge(WINDOW_OVERHEAD_UAS);
  windowOpen = true;
  return true;
}

/** The next window: a period after the last, or sooner for the most urgent queued radio task. */
function windowDueMs(): number {
  let due = lastWindowMs + WINDOW_PERIOD_MS;
  for (let i = 0; i < tasks.length; i++) {
    if (matches(tasks[i]!, WAITING_FOR_RADIO)) due = Math.min(due, tasks[i]!.b + tasks[i]!.dlMs - WINDOW_LEAD_MS);
  }
  return due;
}

function armWindowTimer(): void {
  if (windowTimer !== undefined) clearTimeout(windowTimer);
  windowTimer = undefined;
  // Already due but unaffordable: the next sample or task end looks again (a 0 ms timer would spin).
  const waitMs = windowDueMs() - board.nowS() * 1000;
  if (!windowOpen && best(WAITING_FOR_RADIO) && waitMs > 0) windowTimer = setTimeout(soon, waitMs, 2);
}

/**
 * Pumps soon: arms a 0 ms timer, unless one is pending. Also both timers' callback (one function fewer in
 * RAM), told apart by setTimeout's extra argument: 1 the soon timer's, 2 the window timer's. As the power
 * mode's shipping hook and unregisterTask's caller it gets no argument or the machine's context: it arms.
 */
function soon(fired?: unknown): void {
  if (fired === 2) windowTimer = undefined;
  else if (fired === 1) soonTimer = undefined;
  else {
    if (soonTimer === undefined) soonTimer = setTimeout(soon, 0, 1);
    return;
  }
  pump();
}

/**
 * The task machine's reportDone, reportFailed and reportShed, as one function
 * (on Espruino each costs RAM for as long as the strap runs), told apart by the
 * event that led to them (task-lifecycle.table.ts): only SUCCEED leads to
 * reportDone, only SHED and CANCEL to reportShed; a FAIL or a timer (the
 * deadline, the run's timeout) to reportFailed. It is unregisterTask too, which
 * in every transition follows one of them: the task leaves the list (and the
 * scheduler looks again, soon) after its callback heard the outcome.
 */
function report(context: TaskContext, event: TaskEvent | SystemEvent): void {
  const task = context as TaskRecord;
  let outcome: TaskOutcome = 'done';
  if (event.type === 'SHED' || event.type === 'CANCEL') outcome = task.y === 'brownout' ? 'refused' : 'shed';
  else if (event.type !== 'SUCCEED') {
    // Never ran: its deadline passed while it waited (for budget, a window or the cell).
    task.y = task.runs ? 'failed' : 'deadline';
    outcome = 'failed';
  }
  const onEnd = task.end;
  if (onEnd) {
    // A submit() from the callback waits for the next pump, not inside this step.
    const was = pumping;
    pumping = true;
    try {
      onEnd(outcome, task.y || '');
    } catch (e) {
      // The app's callback failing must not stop the task's actor before it unregisters.
    }
    pumping = was;
  }
  tasks.splice(tasks.indexOf(task), 1);
  soon();
}

/** Keeps the ledger (less what running tasks hold: if the board resets now, count it spent) and the shed level in flash, sparingly. */
function save(): void {
  const ledgerUah = Math.floor(Math.max(0, ledgerUas - committedUas) / 3600);
  const level = power.ctx.shed;
  if (forceSave || level !== saved.shedLevel || saved.ledgerUah - ledgerUah >= PERSIST_STEP_UAS / 3600) {
    forceSave = false;
    saved.shedLevel = level;
    saved.ledgerUah = ledgerUah;
    // A refused write (full flash) is not retried until the next change: the next boot then recomputes more cautiously.
    saveState(board, saved);
  }
}

function submit(spec: TaskSpec): Refusal {
  if (power.value() === 'off') return 'off';
  if (isShed(spec.cls, power.ctx.shed)) return 'shed';
  if (spec.cls !== PAYMENT && tasks.length >= maxTasks) return 'full';
  // Left out until they are written, each a few variables less per live task on Espruino:
  // retr (rememberFailure and rememberTimeout set it before canRetry
  // reads it), h (reserveEnergy, before any releaseReservation), y (read as '' when unset).
  // The spec is not kept: what the task needs of it is copied under keys of one or two
  // characters, left out where the spec leaves it out or where it is false, and the spec
  // object (a key of up to 11 characters each) is dropped once submitted.
  const task = {
    runs: 0,
    max: spec.maxAttempts || 3,
    dlMs: spec.deadlineMs,
    b: board.nowS() * 1000,
    p: 0,
    c: spec.cls,
    e: spec.energyUas,
    run: spec.run,
  } as TaskRecord;
  // A task run once has no retry to back off from (canRetry: runs < max).
  if (task.max > 1) task.boMs = spec.backoffMs || 5000;
  if (spec.radio) task.r = 1;
  if (spec.se) task.g = 1;
  if (spec.peakMa) task.pk = spec.peakMa;
  if (spec.timeoutMs) task.to = spec.timeoutMs;
  if (spec.onEnd) task.end = spec.onEnd;
  task.a = new TableActor(taskTable, { actions: taskAction, guards: taskGuard, delays: taskDelayMs, context: task });
  // The machine's entry action (registerTask) would do this first thing in start(): done here, one function fewer.
  tasks.push(task);
  task.a.start();
  pump();
  return task.y === 'brownout' ? 'brownout' : '';
}

function status(): SchedulerStatus {
  // The heartbeat samples every 1-10 min; a status between two would show the figure
  // of the last one (98 % on a drained cell). So the figures are read from the cell now,
  // unless the last sample is under STATUS_FRESH_S old, as a sample would make them, the
  // estimator's figures left as they were (remainingUas with volts), so the estimate, the
  // mode and the tasks move only at the next real sample.
  const nowS = board.nowS();
  const leftUas = estimatedUas(nowS, nowS - sampledAtS >= STATUS_FRESH_S ? board.batteryVolts() : undefined);
  const value = power.value();
  return {
    mode: typeof value === 'string' ? value : (Object.keys(value)[0] as TopState),
    shed: power.ctx.shed,
    estPct: Math.round((leftUas / capacityUas) * 1000) / 10,
    payLeft: Math.max(0, Math.floor((leftUas - floorUas - committedUas) / TAP_UAS)),
    tasks: tasks.length,
    window: windowOpen,
  };
}

function stop(): void {
  if (sampler !== undefined) clearInterval(sampler);
  if (windowTimer !== undefined) clearTimeout(windowTimer);
  if (soonTimer !== undefined) clearTimeout(soonTimer);
  sampler = windowTimer = soonTimer = undefined;
  while (tasks.length) (tasks.pop() as TaskRecord).a.stop();
  power.stop();
}

/**
 * The task actors' actions: one function for every task, the task being the actor's context (on Espruino
 * each function is RAM kept for as long as the strap runs). The actions in SkippedTaskAction need no code.
 */
function taskAction(name: TaskAction, context: TaskContext, event: TaskEvent | SystemEvent): void {
  const task = context as TaskRecord;
  switch (name) {
    case 'enqueue':
      task.p = QUEUED;
      // Back from a retry's backoff: worth another look.
      if (task.runs) soon();
      return;
    // Leaving the queue or the run: the two states never overlap.
    case 'dequeue':
    case 'endWork':
      task.p = 0;
      return;
    case 'reserveEnergy':
      task.h = task.e;
      committedUas += task.h;
      return;
    case 'releaseReservation':
      committedUas -= task.h;
      task.h = 0;
      return;
    case 'beginWork':
      return beginWork(task);
    // Runs right after releaseReservation in the same transition: the charge moves from held to spent.
    case 'chargeEnergy':
      return spendCharge(task.e);
    case 'reportDone':
    case 'reportFailed':
    case 'reportShed':
      return report(context, event);
    case 'countAttempt':
    case 'rememberFailure':
    case 'rememberTimeout':
      return taskUpdate(name, context, event);
    default:
      name satisfies SkippedTaskAction;
  }
}

function beginWork(task: TaskRecord): void {
  task.p = RUNNING;
  const attempt = task.runs;
  const done = function (ok: boolean, retryable?: boolean): void {
    if (task.p === RUNNING && task.runs === attempt) task.a.send(ok ? { type: 'SUCCEED' } : { type: 'FAIL', retryable: !!retryable });
  };
  // A task that throws has failed (for good); it must not leave its actor stuck holding its charge.
  try {
    task.run(done);
  } catch (e) {
    done(false);
  }
}

/** The task machine's delays: the model's, a run's timeout from the task's spec, the table's window wait. */
function taskDelayMs(name: TaskDelay, context: TaskContext): number | undefined {
  if (name === 'runTimeoutMs') return (context as TaskRecord).to || RUN_TIMEOUT_MS;
  return name === 'windowWaitMs' ? undefined : taskDelay(name, context);
}

type TimerId = ReturnType<typeof setTimeout>;

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
  /** TaskSpec.cls. */ c: TaskClass;
  /** TaskSpec.energyUas. */ e: number;
  /** 1: TaskSpec.radio. */ r?: 1;
  /** 1: TaskSpec.se (the brownout guard before each start). */ g?: 1;
  /** TaskSpec.peakMa. */ pk?: number;
  /** TaskSpec.timeoutMs. */ to?: number;
  /** TaskSpec.run. */ run: TaskSpec['run'];
  /** TaskSpec.onEnd. */ end?: TaskSpec['onEnd'];
  /** Its lifecycle actor. */ a: TableActor<typeof taskTable>;
  /** Board time of submission (ms): the deadline counts from here. */ b: number;
  /** QUEUED (waiting to be admitted), RUNNING, or 0: neither. */ p: number;
  /** Charge committed to it while admitted or running (µAs). */ h: number;
  /** Why it ended other than done (unset while live). */ y?: string;
}



/**
 * Task actions that need no code: submit() registers the task as it starts its actor, report()
 * unregisters it (it always comes first), and progress and a missed window change nothing here.
 */
type SkippedTaskAction = 'registerTask' | 'unregisterTask' | 'noteProgress' | 'noteWindowMissed';
