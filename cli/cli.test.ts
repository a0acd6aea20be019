// The `strap` CLI's command line, run as the real binary (node bin/strap.js):
// help texts, version, usage errors (exit 2) and unreachable ports (exit 3).
// Tests that need a board are in cli/strap-cli.test.ts.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runStrap } from './testing/run-strap';

const COMMANDS = ['status', 'console', 'flash', 'hil', 'sim'];
const BOARD_COMMANDS = ['status', 'console', 'flash'];

/** A TCP port on 127.0.0.1 that nobody listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('strap --help and --version', () => {
  it('lists every command, the port syntax and the exit codes', async () => {
    const run = await runStrap(['--help']);
    expect(run.code).toBe(0);
    for (const command of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(run.stdout).toContain('tcp://127.0.0.1:PORT');
    expect(run.stdout).toContain('/dev/ttyACM0');
    for (const code of ['0', '1', '2', '3', '4']) expect(run.stdout).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
  });

  it('with no command prints the help and exits 2', async () => {
    const run = await runStrap([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Usage: strap <command>');
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runStrap(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `strap ${version}\n` });
  });

  it('every command has --help listing its options and examples', async () => {
    const runs = await Promise.all(COMMANDS.map((c) => runStrap([c, '--help'])));
    runs.forEach((run, i) => {
      expect(run.code, COMMANDS[i]).toBe(0);
      expect(run.stdout, COMMANDS[i]).toContain(`Usage: strap ${COMMANDS[i]}`);
    });
    const [status, console_, flash, hil, sim] = runs.map((r) => r.stdout);
    for (const text of [status, console_, flash]) {
      for (const option of ['--port', '--baud', '--timeout', 'Examples:', 'Exit codes:']) expect(text).toContain(option);
    }
    for (const option of ['--json']) for (const text of [status, flash, hil]) expect(text).toContain(option);
    expect(console_).toContain('Ctrl-]');
    for (const option of ['--file', '--build', '--force', '--rollback']) expect(flash).toContain(option);
    // Issue 8: the help claimed an interrupted flash always leaves the previous firmware booting.
    const flashText = flash!.replace(/\s+/g, ' ');
    expect(flashText).toContain("Without room for two, an interrupted flash leaves the loader's safe mode (console up).");
    expect(flashText).toContain('Ctrl-C stops at the next step or packet, says the same, and exits 130.');
    expect(flashText).not.toContain('An interrupted flash leaves the previous firmware booting.');
    for (const option of ['--rig', '--report', '--tags', 'HIL_PORT']) expect(hil).toContain(option);
    // strap sim shows the simulator's own options (sim/run-simulator.ts).
    for (const option of ['--seed', '--once', '--pace', '--tcp-port', '--pty', '--scenario']) expect(sim).toContain(option);
  });
});

describe('strap usage errors: exit 2 and a message naming the problem', () => {
  it('one line naming the option, the same way for every entry (npm start is strap sim)', async () => {
    const cases: [string[], string][] = [
      [['sim', '--seed'], 'strap sim: --seed needs a value (strap sim --help lists the options)\n'],
      [['sim', '--frobnicate'], 'strap sim: unknown option --frobnicate (strap sim --help lists the options)\n'],
      [['sim', '--once', 'extra'], 'strap sim: unexpected argument "extra" (strap sim --help lists the options)\n'],
      [['sim', '--once=yes'], 'strap sim: --once takes no value (strap sim --help lists the options)\n'],
      [['status', '--port'], 'strap status: --port needs a value (strap status --help lists the options)\n'],
      [['flash', '--port', 'tcp://127.0.0.1:9', '--timeout'], 'strap flash: --timeout needs a value (strap flash --help lists the options)\n'],
      [['hil', '--tags'], 'strap hil: --tags needs a value (strap hil --help lists the options)\n'],
      [['sim', '--once', '--hci-port', '0'], 'strap sim: --hci-port does nothing with --once (no host could join before the scenario ends); drop one of them\n'],
      [['sim', '--state', 'x'], 'strap sim: --state goes with --hci-port (the strap takes its flash and bonds from it)\n'],
      [['sim', '--hci-port', '70000'], 'strap sim: --hci-port must be 0..65535, got "70000"\n'],
      [['status', '--port', 'ble:C0:11:22:33:44'], 'strap status: bad port "ble:C0:11:22:33:44": expected ble:AA:BB:CC:DD:EE:FF (the board\'s Bluetooth address, six hex octets)\n'],
      [['status', '--port', 'ble:C0:11:22:33:44:01', '--hci', 'tcp:127.0.0.1'], 'strap status: --hci: bad HCI controller "tcp:127.0.0.1": expected tcp:HOST:PORT with a port 1-65535\n'],
    ];
    const runs = await Promise.all(cases.map(([args]) => runStrap(args)));
    runs.forEach((run, i) => expect({ code: run.code, stderr: run.stderr }, cases[i]![0].join(' ')).toEqual({ code: 2, stderr: cases[i]![1] }));
  });

  it('strap hil: an unknown --without capability or --tags tag is refused naming the known ones, never a green run of nothing', async () => {
    const [without, tags] = await Promise.all([runStrap(['hil', '--without', 'warp-drive']), runStrap(['hil', '--tags', 'nonexistent'])]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/^strap hil: --without: unknown capability warp-drive \(known: button, supply, battery, .*flash, ble-central, nfc-tag-reader\)\n$/);
    expect(tags.code).toBe(2);
    expect(tags.stderr).toMatch(/^strap hil: --tags: no scenario has the name or tag "nonexistent" \(known: console-rpc, .*ble-flashing, .*flash, .*boot, .*flashing\)\n$/);
    expect(tags.stdout).toBe('');
  });

  it('strap flash --rollback takes no bundle options', async () => {
    const run = await runStrap(['flash', '--port', 'tcp://127.0.0.1:9', '--rollback', '--file', 'dist/strap.js']);
    expect(run).toMatchObject({ code: 2, stderr: 'strap flash: --rollback flashes nothing: it takes no --file, --build or --force\n' });
  });

  it('an unknown command', async () => {
    const run = await runStrap(['teleport']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown command "teleport"');
  });

  it('an unknown option, for every command that parses its own', async () => {
    const runs = await Promise.all(['status', 'console', 'flash', 'hil'].map((c) => runStrap([c, '--port', 'tcp://127.0.0.1:9', '--frobnicate'])));
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/unknown option --frobnicate/);
    }
  });

  it('a bad port string, and a missing --port', async () => {
    const runs = await Promise.all(BOARD_COMMANDS.map((c) => runStrap([c, '--port', 'http://127.0.0.1:80'])));
    for (const run of runs) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('bad port "http://127.0.0.1:80": expected tcp://HOST:PORT');
    }
    const missing = await runStrap(['status']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--port is required');
  });

  it('bad option values', async () => {
    const [baud, rig, bench] = await Promise.all([
      runStrap(['status', '--port', 'tcp://127.0.0.1:9', '--baud', 'fast']),
      runStrap(['hil', '--rig', 'lab']),
      runStrap(['hil', '--rig', 'bench'], { env: { HIL_PORT: '' } }),
    ]);
    expect(baud.code).toBe(2);
    expect(baud.stderr).toContain('--baud must be a whole number > 0, got "fast"');
    expect(rig.code).toBe(2);
    expect(rig.stderr).toContain('--rig must be one of in-process, pty, realtime, bench');
    expect(bench.code).toBe(2);
    expect(bench.stderr).toContain('--rig bench needs the board: --port <port> or HIL_PORT');
  });
});

/** A TCP port where something listens but never answers (not an Espruino console); collects what it receives. */
async function silentServer() {
  let received = '';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.setEncoding('latin1').on('data', (d: string) => (received += d));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    received: () => received,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('strap with a board it cannot reach: exit 3 and the port named', () => {
  it('status on a port where nothing answers the console', async () => {
    const silent = await silentServer();
    try {
      const run = await runStrap(['status', '--port', silent.url, '--timeout', '300']);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(silent.url);
      expect(run.stderr).toMatch(/nothing came back|no answer/i);
    } finally {
      await silent.stop();
    }
  });

  it('console on a silent port says so, shows it anyway and sends what it is given (exit 0)', async () => {
    const silent = await silentServer();
    try {
      const run = await runStrap(['console', '--port', silent.url, '--timeout', '300', '--idle', '100'], { input: 'hello\n' });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('showing it anyway');
      expect(silent.received()).toMatch(/hello\n$/);
    } finally {
      await silent.stop();
    }
  });

  it('a TCP port nobody listens on', async () => {
    const port = `tcp://127.0.0.1:${await closedPort()}`;
    const run = await runStrap(['status', '--port', port]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot connect to ${port}`);
  });

  it('a path that is not a serial port (a regular file, a directory): said so, exit 3, for every board command', async () => {
    const runs = await Promise.all([
      runStrap(['status', '--port', '/etc/passwd']),
      runStrap(['console', '--port', '/etc/passwd'], { input: '1+2\n' }),
      runStrap(['flash', '--port', '/etc/passwd', '--file', 'dist/strap.js']),
      runStrap(['status', '--port', '/tmp', '--json']),
    ]);
    for (const run of runs.slice(0, 3)) {
      expect(run.code).toBe(3);
      expect(run.stderr).toMatch(/^strap \w+: cannot open \/etc\/passwd: not a serial port \(a regular file\)\n$/);
    }
    expect(runs[3]!.code).toBe(3);
    expect(JSON.parse(runs[3]!.stdout)).toMatchObject({ error: { name: 'PortOpenError', message: 'cannot open /tmp: not a serial port (a directory)', exitCode: 3 } });
  });

  it('a serial device that does not exist, with the error as JSON too', async () => {
    const run = await runStrap(['status', '--port', '/dev/ttyACM-strap-test-missing', '--json']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('cannot open /dev/ttyACM-strap-test-missing');
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { name: 'PortOpenError', exitCode: 3 } });
  });

  it('console on a TCP port nobody listens on', async () => {
    const port = `tcp://127.0.0.1:${await closedPort()}`;
    const run = await runStrap(['console', '--port', port], { input: '1+2\n' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot connect to ${port}`);
  });
});
