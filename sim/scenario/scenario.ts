/**
 * A scripted stretch of a strap's life: timed stimuli applied to a virtual
 * board. Steps are plain data so a scenario can live in a JSON file as well as
 * in code.
 */
export type ScenarioStep =
  | { atMs: number; kind: 'press'; holdMs: number }
  | { atMs: number; kind: 'battery'; percent: number }
  | { atMs: number; kind: 'console'; text: string }
  | { atMs: number; kind: 'power-cycle'; offMs?: number };

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
}

/** Schedules every step on the target's clock, relative to now. */
export function scheduleScenario(target: ScenarioTarget, scenario: Scenario): void {
  const startMs = target.nowMs();
  for (const step of scenario.steps) {
    target.at(startMs + step.atMs, () => applyStep(target, step));
  }
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
  }
}
