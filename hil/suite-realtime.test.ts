// The HIL suite (hil/scenarios/) on the real-time rig: the virtual strap in
// another process behind a pseudo-terminal, never skipped ahead (needs
// socat). Its quick part: scenarios declaring no more than seconds of board
// time; `strap hil --rig realtime` runs all. This file runs the quick
// scenarios no other suite-realtime-*.test.ts runs (testing/realtime-parts.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findSocat } from '../sim/board/console/links/socat-binary';
import type { Rig } from './rig/rig';
import { PtyProcessRig } from './rigs/pty-process/pty-process-rig';
import { quickOnRealTime, runScenario } from './run-suite';
import { SCENARIOS } from './scenarios/index';
import { REALTIME_PARTS, realtimePart } from './testing/realtime-parts';
import { describeSuiteOnRig } from './testing/suite-on-rig';

describeSuiteOnRig('the real-time rig (its quick part, the rest; needs socat)', () => PtyProcessRig.open({ realtime: true }), Boolean(findSocat()), realtimePart('rest'));

describe('the real-time rig\'s quick part over several files', () => {
  it('runs each quick scenario in exactly one file, and no scenario that declares more board time', () => {
    const parts = [...Object.keys(REALTIME_PARTS), 'rest'] as const;
    const names = parts.flatMap((part) => realtimePart(part as keyof typeof REALTIME_PARTS).map((s) => s.name));
    expect([...names].sort()).toEqual(quickOnRealTime(SCENARIOS).map((s) => s.name).sort());
    expect(names).not.toContain('energy');
    expect(() => realtimePart('rest', SCENARIOS.filter((s) => s.name !== 'ble-forget'))).toThrow(/not a quick real-time scenario: ble-forget/);
  });
});

describe.skipIf(!findSocat())('the real-time rig (needs socat)', () => {
  let rig: Rig | undefined;
  afterAll(() => rig?.close());

  it('never skips the board ahead: board time passes no faster than the wall clock, console-rpc included', async () => {
    rig = await PtyProcessRig.open({ realtime: true });
    expect([rig.kind, rig.realTime]).toEqual(['realtime', true]);
    expect(rig.lacking('battery')).toMatch(/bench/);
    const boardFrom = await rig.nowMs();
    const wallFrom = performance.now();
    const result = await runScenario(rig, SCENARIOS.find((s) => s.name === 'console-rpc')!, mkdtempSync(path.join(tmpdir(), 'strap-hil-rt-')));
    expect(result.status, result.reason).toBe('passed');
    await rig.waitMs(300);
    const boardMs = (await rig.nowMs()) - boardFrom;
    const wallMs = performance.now() - wallFrom;
    expect(boardMs).toBeGreaterThanOrEqual(300);
    // paced at 1: the board cannot have lived longer than the wall clock (a few ms of pipe latency aside)
    expect(boardMs).toBeLessThanOrEqual(wallMs + 50);
  }, 60_000);
});
