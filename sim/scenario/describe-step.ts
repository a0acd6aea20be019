import type { ScenarioStep } from './scenario';

/** One line a person reads in the console transcript when a step is applied. */
export function describeStep(step: ScenarioStep): string {
  switch (step.kind) {
    case 'press':
      return `button pressed for ${step.holdMs} ms`;
    case 'battery':
      return `cell set to ${step.percent} %`;
    case 'console':
      return `typed on the console: ${JSON.stringify(step.text)}`;
    case 'power-cycle':
      return `power cut for ${step.offMs ?? 1000} ms`;
    case 'tap':
      return `a reader's field for ${step.fieldMs} ms`;
  }
}
