// The `strap` CLI as a user runs it (node bin/strap.js in a child process)
// against the virtual board on TCP, paced to the wall clock: status as JSON
// and as text, a board without our firmware (exit 4), the console in pipe
// mode, the console's port going away and coming back (or not: exit 3),
// and `strap sim --once`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runStrap, startStrap, type RunningStrap } from './testing/run-strap';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from '../hil/rigs/virtual/virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');

let rig: VirtualBoardOnTcp | undefined;
let strap: RunningStrap | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  strap?.child.kill();
  await strap?.exited;
  await proxy?.stop();
  await rig?.stop();
  rig = strap = proxy = undefined;
});

async function strapOnTcp(): Promise<VirtualBoardOnTcp> {
  rig = await startVirtualBoardOnTcp();
  rig.board.writeFile('.bootcde', FIRMWARE);
  rig.board.hardReset();
  await rig.waitForOutput(/boot #1/);
  return rig;
}

/** A port that can disappear and come back at the same address: a TCP relay to the board's console. */
class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<string> {
    this.server = net.createServer((client) => {
      const board = net.connect(this.targetPort, '127.0.0.1');
      for (const s of [client, board]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(board).pipe(client);
      client.on('close', () => board.destroy());
      board.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return `tcp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = undefined;
  }
}

describe('strap status on the virtual board over TCP', () => {
  it('--json prints the strap status: firmware, boots, battery', async () => {
    const { tcp } = await strapOnTcp();
    const run = await runStrap(['status', '--port', tcp.url, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status).toMatchObject({ fw: 'strap 0.1.0', espruino: '2v29', board: 'PUCKJS', mode: 'normal', boots: 1, battPct: 100, battV: 4.2, errors: [] });
  });

  it('prints a readable block without --json, counting boots across a reset', async () => {
    const { tcp, board } = await strapOnTcp();
    board.hardReset();
    await rig!.waitForOutput(/boot #2/);
    const run = await runStrap(['status', '--port', tcp.url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`strap 0.1.0 on PUCKJS (Espruino 2v29) at ${tcp.url}`);
    expect(run.stdout).toMatch(/^ {2}boots {4}2$/m);
    expect(run.stdout).toMatch(/^ {2}battery {2}100 % \(4\.20 V\)$/m);
    expect(run.stdout).toMatch(/^ {2}payments \d+ left, 0 paid$/m);
  });

  it('on a board without the strap firmware exits 4 and says what it found', async () => {
    rig = await startVirtualBoardOnTcp(); // plain Espruino: no boot code
    await rig.waitForOutput(/>$/);
    const run = await runStrap(['status', '--port', rig.tcp.url, '--json']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('no strap firmware on this board (found: PUCKJS, Espruino 2v29, no `strap` global)');
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { name: 'NotStrapFirmwareError', exitCode: 4 } });
  });
});

describe('strap api on the virtual board over TCP', () => {
  it('serves the strap on 127.0.0.1 behind its token until Ctrl-C', async () => {
    const { tcp } = await strapOnTcp();
    const given = 'hil-test-token-0123456789abcdefghij';
    strap = startStrap(['api', '--port', tcp.url, '--json'], { env: { STRAP_API_TOKEN: given } });
    await strap.waitFor('stdout', /\}\n/);
    const { url, token } = JSON.parse(strap.stdout()) as { url: string; token: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(token).toBe(given);

    expect((await fetch(`${url}/status`)).status).toBe(401);
    const status = await fetch(`${url}/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({ fw: 'strap 0.1.0', boots: 1, pwr: 'normal' });
    const power = await fetch(`${url}/rpc`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ method: 'power.status' }) });
    expect(((await power.json()) as { result: { payLeft: number } }).result.payLeft).toBeGreaterThan(0);

    strap.child.kill('SIGINT');
    expect((await strap.exited).code).toBe(0);
  });
});

describe('strap console on the virtual board over TCP', () => {
  it('pipe mode: sends stdin, prints what the board answers (`1+2` gives `=3`), exits 0', async () => {
    const { tcp } = await strapOnTcp();
    const run = await runStrap(['console', '--port', tcp.url], { input: '1+2\nstrap.status().boots\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('1+2\r\n=3\r\n');
    expect(run.stdout).toContain('=1\r\n');
  });

  it('a port that goes away: says so, reconnects when it comes back, and the session goes on', async () => {
    const { tcp } = await strapOnTcp();
    proxy = new TcpProxy(tcp.port);
    const url = await proxy.start();
    strap = startStrap(['console', '--port', url]);
    strap.child.stdin.write('1+2\n');
    await strap.waitFor('stdout', /=3\r\n/);
    await proxy.stop();
    await strap.waitFor('stderr', new RegExp(`${url} went away .*; reconnecting`));
    await proxy.start();
    await strap.waitFor('stderr', new RegExp(`reconnected to ${url}`));
    strap.child.stdin.end('3*3\n');
    const run = await strap.exited;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('=9\r\n');
  });

  it('a port that goes away for good: exits 3 after the retries, naming the port', async () => {
    const { tcp } = await strapOnTcp();
    proxy = new TcpProxy(tcp.port);
    const url = await proxy.start();
    strap = startStrap(['console', '--port', url, '--retries', '2']);
    strap.child.stdin.write('1+2\n');
    await strap.waitFor('stdout', /=3\r\n/);
    await proxy.stop();
    const run = await strap.exited;
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`${url} went away and did not come back after 2 attempts`);
  });
});

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!HAS_SCRIPT)('strap console on a terminal (a pseudo-terminal from util-linux script)', () => {
  it('sends keys as typed, shows the board bytes unchanged, and Ctrl-] quits with exit 0', async () => {
    const { tcp } = await strapOnTcp();
    strap = startStrap(['console', '--port', tcp.url], { terminal: true });
    await strap.waitFor('stdout', /connected to tcp:\/\/127\.0\.0\.1:\d+; Ctrl-\] quits/);
    strap.child.stdin.write('1+2\r');
    await strap.waitFor('stdout', /=3\r/);
    strap.child.stdin.write('\x1d');
    const run = await strap.exited;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1+2');
  });
});

describe('strap sim', () => {
  it('--once plays the default scenario on the virtual strap and exits 0', async () => {
    const run = await runStrap(['sim', '--once', '--no-build']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('strap 0.1.0 on PUCKJS (Espruino 2v29), boot #1');
    expect(run.stdout).toMatch(/\[btn\] press \d+ms/);
    expect(run.stdout).toContain('boot #2');
  });

  it('runs until Ctrl-C with its console on the port it prints; SIGINT reaches the simulator, which exits 0', async () => {
    strap = startStrap(['sim', '--no-build', '--scenario', 'none']);
    await strap.waitFor('stderr', /console on tcp:\/\/127\.0\.0\.1:\d+/);
    const url = /console on (tcp:\/\/127\.0\.0\.1:\d+)/.exec(strap.stderr())![1]!;
    const status = await runStrap(['status', '--port', url, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ fw: 'strap 0.1.0', boots: 1 });
    strap.child.kill('SIGINT');
    const run = await strap.exited;
    expect(run.code).toBe(0);
    const after = await runStrap(['status', '--port', url]);
    expect(after.code).toBe(3); // the simulator is gone with its port
  });

  it('passes its exit code through: a bad option is the simulator’s usage error, 2', async () => {
    const run = await runStrap(['sim', '--pace', 'fast']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('strap sim: --pace must be a number > 0');
  });
});
