import type { Scenario } from './scenario';

/**
 * `npm start`'s day in miniature: boot, presses, a status query, the wearer
 * unlocking the worn strap (`strap.unlock()` at the console: the scenario has no phone), a
 * real tap (a POS terminal for 12.50 EUR: SE, controller, issuer), heartbeats,
 * a low cell, a power cycle.
 */
export const DEFAULT_SCENARIO: Scenario = {
  name: 'default',
  description: 'boot, short and long press, console status, unlock, a 12.50 EUR tap on a POS terminal, two heartbeats, low battery, power cycle',
  durationMs: 200_000,
  steps: [
    { atMs: 5_000, kind: 'press', holdMs: 180 },
    { atMs: 12_000, kind: 'press', holdMs: 1_500 },
    { atMs: 20_000, kind: 'console', text: 'strap.status()\n' },
    { atMs: 25_000, kind: 'console', text: 'strap.unlock()\n' },
    { atMs: 30_000, kind: 'tap', amountMinor: 1250 },
    { atMs: 35_000, kind: 'console', text: 'strap.payments()\n' },
    { atMs: 90_000, kind: 'battery', percent: 15 },
    { atMs: 150_000, kind: 'power-cycle', offMs: 2_000 },
    { atMs: 160_000, kind: 'console', text: 'strap.status().boots\n' },
  ],
};
