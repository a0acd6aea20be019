/**
 * The real-time rig's quick part (`quickOnRealTime`) split over test files
 * (suite-realtime*.test.ts), each with its own board process: a scenario
 * there waits as long as on a bench, so one file holding them all set the
 * whole `npm test`'s tail (~47 s in one worker). Each named part lists its
 * scenarios; `rest` is every quick scenario no part names, so a new scenario
 * runs somewhere without being added here.
 */
import { quickOnRealTime } from '../run-suite';
import { SCENARIOS, type Scenario } from '../scenarios/index';

/** Grouped so that each file waits about as long (seconds on a quiet machine: payment ~12, ble ~9, payment-disruptions ~10, rest ~12). */
export const REALTIME_PARTS = {
  payment: ['payment', 'payment-off-wrist'],
  'payment-disruptions': ['payment-field-lost', 'payment-suspended'],
  ble: ['ble-pairing', 'ble-reconnect', 'ble-wrong-passkey', 'ble-forget'],
} as const satisfies Record<string, readonly string[]>;

export type RealtimePart = keyof typeof REALTIME_PARTS | 'rest';

/** The quick scenarios of `part`, in the suite's order. */
export function realtimePart(part: RealtimePart, scenarios: readonly Scenario[] = SCENARIOS): Scenario[] {
  const quick = quickOnRealTime(scenarios);
  const named = Object.values(REALTIME_PARTS).flat() as string[];
  const unknown = named.filter((name) => !quick.some((s) => s.name === name));
  if (unknown.length) throw new Error(`not a quick real-time scenario: ${unknown.join(', ')}`);
  if (part === 'rest') return quick.filter((s) => !named.includes(s.name));
  const names: readonly string[] = REALTIME_PARTS[part];
  return quick.filter((s) => names.includes(s.name));
}
