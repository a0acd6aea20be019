import { currencyName } from './describe-tap';
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
      return `a POS terminal taps the strap for ${(step.amountMinor / 100).toFixed(2)} ${step.currency === undefined ? "in the token account's currency" : currencyName(step.currency)}`;
    case 'clasp':
      return step.closed ? 'the clasp is closed (strap worn)' : 'the clasp is opened (strap off the wrist)';
  }
}
