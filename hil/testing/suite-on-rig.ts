/**
 * The HIL suite on one rig as vitest tests: each scenario is one test, a
 * scenario the rig cannot run is skipped with the rig's reason. One test file
 * per rig (suite-*.test.ts; the real-time rig's quick part over several), so
 * that the rigs, which mostly wait (on a board process, on the wall clock),
 * run beside each other in separate workers.
 */
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rig } from '../rig/rig';
import { runScenario } from '../run-suite';
import type { Scenario } from '../scenarios/index';

/**
 * Scenarios the firmware does not pass yet, each with why: on a virtual rig
 * such a scenario must fail as it would on a dev board, and its test fails
 * once it passes (then take it off this list).
 */
export const NOT_YET: Readonly<Record<string, { why: string; failsWith: RegExp }>> = {};

/** `elsewhere`: scenarios this file skips because another rig's file runs them in `npm test`, each with why. */
export function describeSuiteOnRig(name: string, openRig: () => Promise<Rig>, available: boolean, scenarios: readonly Scenario[], elsewhere: Readonly<Record<string, string>> = {}): void {
  const unknown = Object.keys(elsewhere).filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length) throw new Error(`no such scenario to skip: ${unknown.join(', ')}`);
  describe(`HIL suite on ${name}`, () => {
    let rig: Rig;
    let reportDir: string;
    beforeAll(async () => {
      if (!available) return;
      reportDir = mkdtempSync(path.join(tmpdir(), 'strap-hil-suite-'));
      rig = await openRig();
    });
    afterAll(async () => {
      await rig?.close();
      if (reportDir) rmSync(reportDir, { recursive: true, force: true });
    });

    it.for(scenarios)('$name', { timeout: 90_000 }, async (scenario, context) => {
      if (!available) context.skip('socat is not installed');
      const skipHere = elsewhere[scenario.name];
      if (skipHere) context.skip(skipHere);
      const result = await runScenario(rig, scenario, reportDir);
      if (result.status === 'skipped') context.skip(result.reason);
      const notYet = NOT_YET[scenario.name];
      if (notYet) {
        expect(result.status, `${scenario.name} passes now: take it off NOT_YET (${notYet.why})`).toBe('failed');
        expect(result.status === 'failed' && result.reason).toMatch(notYet.failsWith);
        return;
      }
      if (result.status === 'failed') throw new Error(`${result.reason}\n--- console log: ${result.artifacts.find((a) => a.endsWith('console.log'))}\n${result.detail ?? ''}`);
      expect(existsSync(path.join(reportDir, scenario.name, 'console.log'))).toBe(true);
    });
  });
}
