// `strap hil` as a user runs it (node bin/strap.js in a child process): the
// suite on the in-process rig with a JUnit report and a JSON summary; on the
// bench rig against a board reached over TCP, failures give exit 1 and a
// port nobody listens on exit 3.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStrap, startStrap } from './testing/run-strap';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from '../hil/rigs/virtual/virtual-board-on-tcp';

/** What a previous, green run left. */
const GREEN_JUNIT = '<testsuites name="strap HIL" tests="1" failures="0"><!-- GREEN --></testsuites>\n';

let reportDir: string | undefined;
let rig: VirtualBoardOnTcp | undefined;
afterEach(async () => {
  if (reportDir) rmSync(reportDir, { recursive: true, force: true });
  await rig?.stop();
  reportDir = rig = undefined;
});

describe('strap hil', () => {
  it('--rig in-process --json: runs the chosen scenarios, prints the summary, writes the JUnit report', async () => {
    reportDir = mkdtempSync(path.join(tmpdir(), 'strap-hil-'));
    const run = await runStrap(['hil', '--rig', 'in-process', '--tags', 'boot,reboot', '--report', reportDir, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ rig: 'in-process', passed: 2, failed: 0, skipped: 0, reportDir });
    expect(summary.results.map((r: { name: string }) => r.name).sort()).toEqual(['boot', 'reboot']);
    expect(run.stderr).toMatch(/^ {2}pass {2}boot: /m);
    expect(run.stderr).toMatch(/^ {2}pass {2}reboot: /m);
    const junit = readFileSync(path.join(reportDir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite [^>]*tests="2"/);
    expect(junit).not.toMatch(/<failure/);
    expect(readFileSync(path.join(reportDir, 'boot', 'console.log'), 'latin1')).toMatch(/strap 0\.1\.0 on PUCKJS/);
  });

  it('exits 1 when a scenario fails: the bench rig on a board whose `strap` does not answer RPC', async () => {
    rig = await startVirtualBoardOnTcp(); // reached over TCP as a bench board would be
    rig.board.writeFile('.bootcde', 'var strap = {};');
    rig.board.hardReset();
    await rig.waitForOutput(/>$/);
    reportDir = mkdtempSync(path.join(tmpdir(), 'strap-hil-'));
    const run = await runStrap(['hil', '--rig', 'bench', '--port', rig.tcp.url, '--tags', 'reboot', '--report', reportDir]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^ {2}FAIL {2}reboot: .* - status: no reply from the strap/m);
    expect(run.stdout).toMatch(/^0 passed, 1 failed, 0 skipped on the bench rig in \d+\.\d s; report in /);
    expect(readFileSync(path.join(reportDir, 'junit.xml'), 'utf8')).toMatch(/<failure/);
  });

  it('exits 3 naming the port when the bench board cannot be reached, and leaves no previous green junit.xml behind', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    reportDir = mkdtempSync(path.join(tmpdir(), 'strap-hil-'));
    writeFileSync(path.join(reportDir, 'junit.xml'), GREEN_JUNIT);
    const run = await runStrap(['hil', '--rig', 'bench', '--port', port, '--report', reportDir, '--json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot connect to ${port}`);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { name: 'PortOpenError', exitCode: 3 } });
    expect(existsSync(path.join(reportDir, 'junit.xml'))).toBe(false);
  });

  it('Ctrl-C: the scenario under way fails as interrupted, the rest are not run, the report says so, exit 130', async () => {
    reportDir = mkdtempSync(path.join(tmpdir(), 'strap-hil-'));
    writeFileSync(path.join(reportDir, 'junit.xml'), GREEN_JUNIT);
    const run = startStrap(['hil', '--rig', 'in-process', '--report', reportDir]);
    run.child.stdin.end();
    await run.waitFor('stderr', /^ {2}pass {2}console-rpc: /m, 60_000);
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toContain('strap hil: Ctrl-C: stopping the scenario under way');
    expect(stopped.stdout).toMatch(/^\d+ passed, 1 failed, \d+ skipped on the in-process rig in \d+\.\d s, INTERRUPTED \(Ctrl-C\); report in /);
    const junit = readFileSync(path.join(reportDir, 'junit.xml'), 'utf8');
    expect(junit).not.toContain('GREEN');
    expect(junit).toContain('INTERRUPTED (Ctrl-C)');
    // In suite order: passed, then the one stopped, then the ones never run.
    const outcomes = [...junit.matchAll(/<testcase [^>]*>\s*(?:<failure message="([^"]*)"|<skipped message="([^"]*)"|<system-out)/g)].map((m) =>
      m[1] !== undefined ? `failed: ${m[1]}` : m[2] !== undefined ? `skipped: ${m[2]}` : 'passed',
    );
    const stoppedAt = outcomes.indexOf('failed: interrupted (Ctrl-C): the run was stopped here');
    expect(stoppedAt, outcomes.join('\n')).toBeGreaterThan(0);
    expect(new Set(outcomes.slice(0, stoppedAt))).toEqual(new Set(['passed']));
    expect(new Set(outcomes.slice(stoppedAt + 1))).toEqual(new Set(['skipped: not run: the run was interrupted (Ctrl-C) before it']));
  });
});
