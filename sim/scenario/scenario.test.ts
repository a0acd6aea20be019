// Scenario files (parseScenario): what a --scenario file may ask for, and
// the field or step named when it asks for something that cannot be played.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO } from './default-scenario';
import { MAX_SCENARIO_DURATION_MS, ScenarioError, parseScenario } from './scenario';

describe('parseScenario', () => {
  it('takes the embedded default scenario as JSON', () => {
    expect(parseScenario(JSON.parse(JSON.stringify(DEFAULT_SCENARIO)), 'default')).toEqual(DEFAULT_SCENARIO);
  });

  it('refuses a duration above the documented bound (7 days of virtual time), or one that is not finite', () => {
    expect(parseScenario({ durationMs: MAX_SCENARIO_DURATION_MS, steps: [] }).durationMs).toBe(604_800_000);
    expect(() => parseScenario({ durationMs: 1e12, steps: [] }, 'day.json')).toThrow(
      new ScenarioError('day.json: durationMs 1000000000000 is more than 604800000 (7 days of virtual time, the longest a scenario may run)'),
    );
    expect(() => parseScenario(JSON.parse('{"durationMs": 1e400, "steps": []}'), 'inf.json')).toThrow('inf.json: durationMs must be a number ≥ 0');
  });

  it('refuses a step after the end, naming it (it would never be applied)', () => {
    const steps = [
      { atMs: 1000, kind: 'press', holdMs: 100 },
      { atMs: 5000, kind: 'battery', percent: 50 },
    ];
    expect(parseScenario({ durationMs: 5000, steps }, 's.json').steps).toHaveLength(2);
    expect(() => parseScenario({ durationMs: 4999, steps }, 's.json')).toThrow('s.json: steps[1] (battery at 5000 ms) comes after durationMs (4999 ms): it would never be applied');
  });

  it('refuses what is not a scenario object', () => {
    expect(() => parseScenario([], 'a.json')).toThrow('a.json: not a JSON object');
    expect(() => parseScenario({ durationMs: 10, steps: [{ atMs: 1, kind: 'dance' }] }, 'b.json')).toThrow('b.json: steps[0].kind must be press, battery, console, power-cycle, tap or clasp');
  });

  it('takes a tap with its amount in minor units (and a currency), and the clasp; refuses the old field-length tap, naming the field', () => {
    const steps = [
      { atMs: 1, kind: 'tap', amountMinor: 1250 },
      { atMs: 2, kind: 'tap', amountMinor: 99, currency: 840 },
      { atMs: 3, kind: 'clasp', closed: false },
    ];
    expect(parseScenario({ durationMs: 10, steps }).steps).toEqual(steps);
    expect(() => parseScenario({ durationMs: 10, steps: [{ atMs: 1, kind: 'tap', fieldMs: 400 }] }, 't.json')).toThrow('t.json: steps[0].amountMinor must be a whole number ≥ 0 (minor units: 1250 is 12.50)');
    expect(() => parseScenario({ durationMs: 10, steps: [{ atMs: 1, kind: 'tap', amountMinor: 1, currency: 'EUR' }] }, 't.json')).toThrow('t.json: steps[0].currency must be an ISO 4217 numeric code (978 is EUR)');
    expect(() => parseScenario({ durationMs: 10, steps: [{ atMs: 1, kind: 'clasp' }] }, 't.json')).toThrow('t.json: steps[0].closed must be true or false');
  });
});
