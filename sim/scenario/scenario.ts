/**
 * A scripted stretch of a strap's life: timed stimuli applied to a virtual
 * board. Steps are plain data so a scenario can live in a JSON file as well as
 * in code.
 */
export type ScenarioStep =
  | { atMs: number; kind: 'press'; holdMs: number }
  | { atMs: number; kind: 'battery'; percent: number }
  | { atMs: number; kind: 'console'; text: string }
  | { atMs: number; kind: 'power-cycle'; offMs?: number }
  | { atMs: number; kind: 'tap'; amountMinor: number; currency?: number }
  | { atMs: number; kind: 'clasp'; closed: boolean };

export interface Scenario {
  name: string;
  description: string;
  durationMs: number;
  steps: ScenarioStep[];
}

/** What a scenario drives: the stimuli a HIL rig also offers. */
export interface ScenarioTarget {
  nowMs(): number;
  at(atMs: number, run: () => void): void;
  pressButton(holdMs: number): void;
  setBatteryPercent(percent: number): void;
  typeOnConsole(text: string): void;
  powerCycle(offMs: number): void;
  /** A POS terminal comes into the strap's field with this amount (minor units; currency ISO 4217 numeric, default the token account's). */
  tap(purchase: { amountMinor: number; currency?: number }): void;
  /** The clasp closed (the strap on a wrist) or opened. */
  setClasp(closed: boolean): void;
}

/** Schedules every step on the target's clock, relative to now; `onStep` hears each one as it is applied. */
export function scheduleScenario(target: ScenarioTarget, scenario: Scenario, onStep?: (step: ScenarioStep) => void): void {
  const startMs = target.nowMs();
  for (const step of scenario.steps) {
    target.at(startMs + step.atMs, () => {
      onStep?.(step);
      applyStep(target, step);
    });
  }
}

/**
 * The longest scenario a file may ask for: 7 days of virtual time. A day of
 * heartbeats plays in about a minute of wall time with --once, so a week is
 * minutes; much beyond that a typo (1e12) would run for days.
 */
export const MAX_SCENARIO_DURATION_MS = 7 * 24 * 3600 * 1000;

/** A scenario that cannot be played as written; the message names the field (and the step). */
export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** Checks a scenario read from JSON; throws ScenarioError naming the first bad field. */
export function parseScenario(json: unknown, source = 'scenario'): Scenario {
  const fail = (what: string): never => {
    throw new ScenarioError(`${source}: ${what}`);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('not a JSON object');
  const s = json as Record<string, unknown>;
  if (typeof s.durationMs !== 'number' || !Number.isFinite(s.durationMs) || s.durationMs < 0) fail('durationMs must be a number ≥ 0');
  const durationMs = s.durationMs as number;
  if (durationMs > MAX_SCENARIO_DURATION_MS) fail(`durationMs ${durationMs} is more than ${MAX_SCENARIO_DURATION_MS} (7 days of virtual time, the longest a scenario may run)`);
  if (!Array.isArray(s.steps)) fail('steps must be an array');
  const steps = (s.steps as unknown[]).map((raw, i): ScenarioStep => {
    const step = raw as Record<string, unknown>;
    const at = `steps[${i}]`;
    if (typeof step?.atMs !== 'number' || !Number.isFinite(step.atMs) || step.atMs < 0) fail(`${at}.atMs must be a number ≥ 0`);
    const atMs = step.atMs as number;
    if (atMs > durationMs) fail(`${at} (${String(step.kind)} at ${atMs} ms) comes after durationMs (${durationMs} ms): it would never be applied`);
    switch (step.kind) {
      case 'press':
        if (typeof step.holdMs !== 'number' || step.holdMs <= 0) fail(`${at}.holdMs must be a number > 0`);
        return { atMs, kind: 'press', holdMs: step.holdMs as number };
      case 'battery':
        if (typeof step.percent !== 'number' || step.percent < 0 || step.percent > 100) fail(`${at}.percent must be 0..100`);
        return { atMs, kind: 'battery', percent: step.percent as number };
      case 'console':
        if (typeof step.text !== 'string') fail(`${at}.text must be a string`);
        return { atMs, kind: 'console', text: step.text as string };
      case 'power-cycle':
        if (step.offMs !== undefined && (typeof step.offMs !== 'number' || step.offMs < 0)) fail(`${at}.offMs must be a number ≥ 0`);
        return { atMs, kind: 'power-cycle', offMs: step.offMs as number | undefined };
      case 'tap':
        if (typeof step.amountMinor !== 'number' || !Number.isInteger(step.amountMinor) || step.amountMinor < 0) fail(`${at}.amountMinor must be a whole number ≥ 0 (minor units: 1250 is 12.50)`);
        if (step.currency !== undefined && (typeof step.currency !== 'number' || !Number.isInteger(step.currency) || step.currency < 1 || step.currency > 999)) fail(`${at}.currency must be an ISO 4217 numeric code (978 is EUR)`);
        return { atMs, kind: 'tap', amountMinor: step.amountMinor as number, ...(step.currency === undefined ? {} : { currency: step.currency as number }) };
      case 'clasp':
        if (typeof step.closed !== 'boolean') fail(`${at}.closed must be true or false`);
        return { atMs, kind: 'clasp', closed: step.closed as boolean };
      default:
        return fail(`${at}.kind must be press, battery, console, power-cycle, tap or clasp`);
    }
  });
  return {
    name: typeof s.name === 'string' ? s.name : source,
    description: typeof s.description === 'string' ? s.description : '',
    durationMs,
    steps,
  };
}

function applyStep(target: ScenarioTarget, step: ScenarioStep): void {
  switch (step.kind) {
    case 'press':
      return target.pressButton(step.holdMs);
    case 'battery':
      return target.setBatteryPercent(step.percent);
    case 'console':
      return target.typeOnConsole(step.text);
    case 'power-cycle':
      return target.powerCycle(step.offMs ?? 1000);
    case 'tap':
      return target.tap({ amountMinor: step.amountMinor, currency: step.currency });
    case 'clasp':
      return target.setClasp(step.closed);
  }
}
