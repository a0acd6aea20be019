// The HIL suite's runner: its report (JUnit XML, artifacts), budgets from
// board time, and the bench rig pointed at a virtual board's pseudo-terminal
// as if it were a board on /dev/ttyACM0. The suite itself runs on each rig a
// machine without hardware has in suite-in-process.test.ts, suite-pty.test.ts
// and suite-realtime*.test.ts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsolePort } from '../sim/board/console/console-contract';
import { startPtyConsole, type PtyConsole } from '../sim/board/console/links/pty-console';
import { findSocat } from '../sim/board/console/links/socat-binary';
import { quickOnRealTime, runHilSuite, wallBudgetMs } from './run-suite';
import { SCENARIOS, type Scenario } from './scenarios/index';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from './rigs/virtual/virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';

describe('the suite runner', () => {
  let reportDir: string;
  beforeAll(() => {
    reportDir = mkdtempSync(path.join(tmpdir(), 'strap-hil-report-'));
  });
  afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

  const passing: Scenario = {
    name: 'presses',
    title: 'a press, with an attachment',
    tags: ['button'],
    async run(rig, context) {
      await rig.instrument('button').press(120);
      await rig.waitForLine(/\[btn\] press/, { timeoutMs: 1000, since: 0 });
      context.attach('note.txt', 'attached');
    },
  };
  const failing: Scenario = {
    name: 'fails',
    title: 'fails with <markup> & control bytes',
    tags: [],
    async run() {
      assert.equal(1, 2, 'expected <1> & "2" \x1e to agree');
    },
  };
  const needsNfc: Scenario = { name: 'tap', title: 'a payment tap', tags: ['pos-reader'], run: async () => undefined };
  const missingCapabilityInside: Scenario = { name: 'haptic', title: 'uses a probe it did not tag', tags: [], run: async (rig) => void rig.instrument('haptic') };

  it('writes JUnit XML with passes, failures and skips (reasons escaped), and each scenario its console log and energy trace', async () => {
    const seen: string[] = [];
    const summary = await runHilSuite({
      rig: 'in-process',
      reportDir,
      scenarios: [passing, failing, needsNfc, missingCapabilityInside],
      without: ['pos-reader', 'haptic'],
      onResult: (r) => seen.push(`${r.name}:${r.status}`),
    });
    expect(seen).toEqual(['presses:passed', 'fails:failed', 'tap:skipped', 'haptic:skipped']);
    expect(summary).toMatchObject({ passed: 1, failed: 1, skipped: 2 });
    expect(summary.results[2]!.reason).toBe('needs pos-reader: withheld for this run (without)');
    expect(summary.results[3]!.reason).toBe('needs haptic: withheld for this run (without)');

    const xml = readFileSync(path.join(reportDir, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="strap HIL" tests="4" failures="1" errors="0" skipped="2"/);
    expect(xml).toContain('<testsuite name="hil.in-process" tests="4" failures="1" errors="0" skipped="2"');
    expect(xml).toContain('<skipped message="needs pos-reader: withheld for this run (without)"/>');
    // node:assert adds its diff after a blank line: newlines in an attribute are character references
    expect(xml).toContain('<failure message="expected &lt;1&gt; &amp; &quot;2&quot; \\x1e to agree&#10;&#10;1 !== 2&#10;" type="AssertionError">AssertionError');
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain(`[[ATTACHMENT|${path.join(reportDir, 'presses', 'note.txt')}]]`);

    for (const file of ['console.log', 'energy.csv', 'energy.svg', 'note.txt']) expect(existsSync(path.join(reportDir, 'presses', file))).toBe(true);
    expect(readFileSync(path.join(reportDir, 'presses', 'console.log'), 'latin1')).toMatch(/# button pressed for 120 ms\n[^]*\[btn\] press \d+ms/);
    expect(readFileSync(path.join(reportDir, 'presses', 'energy.csv'), 'latin1')).toMatch(/^time_s,regulator_state,.*current_ua/);
    expect(existsSync(path.join(reportDir, 'tap'))).toBe(false);
  }, 30_000);
});

describe('budgets come from board time', () => {
  const energy = SCENARIOS.find((s) => s.name === 'energy')!;
  it('a real-time rig gives a scenario the board time it declares on top of its own budget; a skipping rig does not', () => {
    expect(energy.boardTimeMs).toBe(120_000);
    expect(wallBudgetMs({ realTime: true }, energy)).toBe(60_000 + 120_000);
    expect(wallBudgetMs({ realTime: false }, energy)).toBe(60_000);
  });

  it("the real-time rig's quick part leaves out what takes minutes of board time, and keeps console-rpc (which asks for its heartbeat)", () => {
    const quick = quickOnRealTime(SCENARIOS).map((s) => s.name);
    expect(quick).not.toContain('energy');
    expect(quick).not.toContain('watchdog');
    expect(quick).toContain('console-rpc');
  });
});

describe.skipIf(!findSocat())('the bench rig on a virtual board behind a pseudo-terminal (needs socat)', () => {
  let board: VirtualBoardOnTcp | undefined;
  let pty: PtyConsole | undefined;
  let dir: string;
  afterAll(async () => {
    await pty?.close();
    await board?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the console scenarios in real time and skips what a bench lacks, saying what to attach', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'strap-hil-bench-'));
    board = await startVirtualBoardOnTcp();
    board.board.writeFile('.bootcde', readFileSync(BUNDLE_PATH, 'latin1'));
    board.board.hardReset();
    await board.waitForOutput(/boot #1/);
    const b = board.board;
    const port: ConsolePort = { input: (bytes) => b.console.input(bytes), onOutput: (listener) => b.console.onOutput(listener) };
    pty = await startPtyConsole({ console: port, linkPath: path.join(dir, 'ttyACM0') });
    const summary = await runHilSuite({ rig: 'bench', port: pty.linkPath, reportDir: path.join(dir, 'report'), tags: ['reboot', 'soft-reset', 'energy', 'boot'] });
    expect(summary.results.map((r) => [r.name, r.status, r.reason])).toEqual([
      ['energy', 'skipped', 'needs current: no current probe: set PPK2_PORT to a Nordic PPK2'],
      ['boot', 'skipped', 'needs supply: no switchable supply: set PPK2_PORT and PPK2_MODE=source to power the board from the PPK2'],
      ['reboot', 'passed', undefined],
      ['soft-reset', 'passed', undefined],
    ]);
    expect(readFileSync(path.join(dir, 'report', 'junit.xml'), 'utf8')).toContain(`bench board on ${pty.linkPath}`);
  }, 60_000);
});
