/**
 * Runs the HIL scenarios on one rig and writes the report:
 *
 *   <reportDir>/junit.xml
 *   <reportDir>/<scenario>/console.log                 always (what the wire carried, rig notes as `# ` lines)
 *   <reportDir>/<scenario>/energy.csv, energy.svg      when the rig measures current
 *   <reportDir>/<scenario>/…                           what the scenario attached
 *
 * A scenario whose tags the rig lacks is skipped with the rig's reason. One
 * rig serves the whole run, as a bench board would: scenarios expect the
 * state earlier ones left (boot counts go on) and restore what they change.
 *
 * The previous run's junit.xml is removed before anything runs, so a run that
 * dies leaves no green report behind; a run stopped through `signal` (Ctrl-C)
 * writes one with the scenario it stopped in failed as interrupted and the
 * rest skipped as not run.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { renderJunit, type ScenarioResult } from './report/junit';
import { CAPABILITIES, MissingCapability, type Capability, type Rig, type RigKind } from './rig/rig';
import { BenchRig, benchOptionsFromEnv } from './rigs/bench/bench-rig';
import { InProcessRig } from './rigs/in-process/in-process-rig';
import { PtyProcessRig } from './rigs/pty-process/pty-process-rig';
import { SCENARIOS, type Scenario } from './scenarios/index';
import { ScenarioSkipped, withinWallMs, type ScenarioContext } from './scenarios/scenario';

export type { ScenarioResult } from './report/junit';

export interface HilSuiteOptions {
  rig: RigKind;
  /** The bench board's port (default HIL_PORT). */
  port?: string;
  /** Default artifacts/hil/<rig> in the repository. */
  reportDir?: string;
  /** Only the scenarios with one of these names or tags. */
  tags?: string[];
  onResult?: (result: ScenarioResult) => void;
  /** The scenarios to run (default: the whole suite). */
  scenarios?: readonly Scenario[];
  /** Capabilities to take away from the rig, to see a poorer rig's run: their scenarios skip. */
  without?: string[];
  /** Stops the run (Ctrl-C): the scenario under way fails as interrupted, the rest are not run. */
  signal?: AbortSignal;
}

export interface HilSuiteSummary {
  passed: number;
  failed: number;
  skipped: number;
  results: ScenarioResult[];
  reportDir: string;
  /** The run was stopped through `signal`; the report says so. */
  interrupted: boolean;
  /** The run's wall time, the rig's opening and closing included (on a real-time rig: what the suite costs in real time). */
  wallMs: number;
}

/** A tag or capability the suite does not know: the message lists the known ones. */
export class SuiteOptionError extends Error {
  constructor(
    readonly option: 'tags' | 'without',
    message: string,
  ) {
    super(message);
    this.name = 'SuiteOptionError';
  }
}

/** The scenarios with one of `tags` as name or tag (all when none given); a tag that names nothing is a SuiteOptionError. */
export function selectScenarios(scenarios: readonly Scenario[], tags: readonly string[] | undefined): Scenario[] {
  if (!tags?.length) return [...scenarios];
  const known = [...new Set(scenarios.flatMap((s) => [s.name, ...s.tags]))];
  const unknown = tags.filter((t) => !known.includes(t));
  if (unknown.length) throw new SuiteOptionError('tags', `no scenario has the name or tag ${unknown.map((t) => JSON.stringify(t)).join(', ')} (known: ${known.join(', ')})`);
  return scenarios.filter((s) => tags.some((t) => t === s.name || (s.tags as readonly string[]).includes(t)));
}

/** `without` checked against the capabilities a rig can have. */
export function checkCapabilities(without: readonly string[]): Capability[] {
  const unknown = without.filter((c) => !(CAPABILITIES as readonly string[]).includes(c));
  if (unknown.length) throw new SuiteOptionError('without', `unknown capabilit${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} (known: ${CAPABILITIES.join(', ')})`);
  return without as Capability[];
}

/** Why a scenario did not run, or stopped: the run was interrupted. */
const INTERRUPTED = 'interrupted (Ctrl-C): the run was stopped here';
const NOT_RUN = 'not run: the run was interrupted (Ctrl-C) before it';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_TIMEOUT_MS = 60_000;

export async function runHilSuite(options: HilSuiteOptions): Promise<HilSuiteSummary> {
  const reportDir = path.resolve(options.reportDir ?? path.join(REPO, 'artifacts/hil', options.rig));
  const scenarios = selectScenarios(options.scenarios ?? SCENARIOS, options.tags);
  const without = checkCapabilities(options.without ?? []);
  mkdirSync(reportDir, { recursive: true });
  const junitFile = path.join(reportDir, 'junit.xml');
  rmSync(junitFile, { force: true });
  const timestamp = new Date();
  const started = performance.now();
  const rig = await openRig(options.rig, options.port);
  rig.withhold(without, 'withheld for this run (without)');
  const results: ScenarioResult[] = [];
  const signal = options.signal;
  try {
    for (const scenario of scenarios) {
      const result = signal?.aborted
        ? { name: scenario.name, title: scenario.title, status: 'skipped' as const, reason: NOT_RUN, durationMs: 0, artifacts: [] }
        : await runScenario(rig, scenario, reportDir, signal);
      results.push(result);
      options.onResult?.(result);
    }
  } finally {
    await rig.close();
  }
  const interrupted = signal?.aborted ?? false;
  const description = interrupted ? `${rig.description}; INTERRUPTED (Ctrl-C)` : rig.description;
  writeFileSync(junitFile, renderJunit({ name: `hil.${rig.kind}`, description, timestamp, results }));
  const count = (status: ScenarioResult['status']) => results.filter((r) => r.status === status).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), results, reportDir, interrupted, wallMs: performance.now() - started };
}

export function openRig(kind: RigKind, port?: string): Promise<Rig> {
  switch (kind) {
    case 'in-process':
      return InProcessRig.open();
    case 'pty':
      return PtyProcessRig.open();
    case 'realtime':
      return PtyProcessRig.open({ realtime: true });
    case 'bench':
      return BenchRig.open(benchOptionsFromEnv(process.env, port ?? process.env.HIL_PORT));
  }
}

/** Why `rig` cannot run `scenario`, or undefined when it can. */
export function skipReason(rig: Rig, scenario: Scenario): string | undefined {
  if (scenario.unavailable) return scenario.unavailable;
  const missing = scenario.tags.filter((t) => !rig.capabilities.has(t));
  return missing.length ? missing.map((t) => `needs ${t}: ${rig.lacking(t)}`).join('; ') : undefined;
}

/** The wall time a scenario may take: its own budget, plus on a real-time rig the board time it declares. */
export function wallBudgetMs(rig: Pick<Rig, 'realTime'>, scenario: Pick<Scenario, 'timeoutMs' | 'boardTimeMs'>): number {
  return (scenario.timeoutMs ?? DEFAULT_TIMEOUT_MS) + (rig.realTime ? (scenario.boardTimeMs ?? 0) : 0);
}

/** The scenarios a real-time rig runs in seconds: those declaring no more than a few seconds of board time. */
export function quickOnRealTime(scenarios: readonly Scenario[], maxBoardTimeMs = 10_000): Scenario[] {
  return scenarios.filter((s) => (s.boardTimeMs ?? 0) <= maxBoardTimeMs);
}

/** Runs one scenario on `rig` and writes its artifacts under `reportDir/<name>/`; `signal` stops it (failed as interrupted). */
export async function runScenario(rig: Rig, scenario: Scenario, reportDir: string, signal?: AbortSignal): Promise<ScenarioResult> {
  const base = { name: scenario.name, title: scenario.title };
  const skip = skipReason(rig, scenario);
  if (skip) return { ...base, status: 'skipped', reason: skip, durationMs: 0, artifacts: [] };

  const dir = path.join(reportDir, scenario.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const artifacts: string[] = [];
  const attach = (fileName: string, content: string | Buffer) => {
    const file = path.join(dir, fileName);
    writeFileSync(file, content);
    artifacts.push(file);
  };
  const context: ScenarioContext = { note: (text) => rig.transcript.note(text), attach };
  const transcriptFrom = rig.transcript.length;
  rig.transcript.note(`scenario ${scenario.name}: ${scenario.title} (${rig.description})`);
  const fromMs = await rig.nowMs();
  const started = performance.now();
  let outcome: Pick<ScenarioResult, 'status' | 'reason' | 'detail'>;
  try {
    await rig.prepare().catch((error: Error) => {
      throw new Error(`the rig was not ready: ${error.message}`, { cause: error });
    });
    await untilAborted(withinWallMs(scenario.run(rig, context), wallBudgetMs(rig, scenario), `scenario ${scenario.name}`), signal);
    outcome = { status: 'passed' };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    outcome =
      e instanceof ScenarioSkipped || e instanceof MissingCapability
        ? { status: 'skipped', reason: e.message }
        : signal?.aborted
          ? { status: 'failed', reason: INTERRUPTED, detail: INTERRUPTED }
          : { status: 'failed', reason: e.message, detail: e.stack };
    if (outcome.status === 'failed' && rig.capabilities.has('supply')) await rig.instrument('supply').restore().catch(() => undefined);
  }
  const durationMs = performance.now() - started;
  rig.transcript.note(`scenario ${scenario.name} ${outcome.status}${outcome.reason ? `: ${outcome.reason}` : ''}`);
  if (rig.capabilities.has('current')) {
    try {
      const energy = await rig.instrument('current').export(fromMs, await rig.nowMs());
      attach('energy.csv', energy.csv);
      attach('energy.svg', energy.svg);
    } catch (error) {
      rig.transcript.note(`no energy trace: ${(error as Error).message}`);
    }
  }
  attach('console.log', rig.transcript.slice(transcriptFrom));
  return { ...base, ...outcome, durationMs, artifacts };
}

/** `promise`, or a rejection as soon as `signal` fires (the abandoned promise's own outcome is swallowed). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  promise.catch(() => undefined);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(INTERRUPTED));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
