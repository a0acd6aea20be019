/**
 * `strap console`: a terminal on the board's console. On a TTY, raw keys go
 * to the board and its bytes come back unchanged; Ctrl-] quits. With stdin
 * a pipe or a file: sends stdin, prints what the board answers until stdin
 * has ended and the board has been quiet for --idle ms. The port is opened
 * with reconnection: when it goes away we say so, retry, and exit 3 when it
 * does not come back.
 */
import type { Transport } from '../../host-bridge/contracts';
import { ConsoleTimeoutError, EspruinoConsoleClient, WrongBaudRateError } from '../../host-bridge/console/index';
import { createTransport, type ReconnectingEvent, type ReconnectedEvent, type ReconnectingTransport } from '../../host-bridge/transports/index';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode } from '../exit-codes';
import { BOARD_OPTIONS, BOARD_OPTIONS_HELP, HELP_OPTION_HELP, boardTarget, parseOptions, positiveInteger, type BoardTarget } from '../options';
import { note, reportFailure } from '../output';
import { checkSerialDevice } from '../board';

const QUIT_KEY = 0x1d; // Ctrl-]
const DEFAULT_IDLE_MS = 500;
const DEFAULT_RETRIES = 10;

const HELP = `Usage: strap console --port <port> [options]

A terminal on the board's console. What you type goes to the board as you
type it (Ctrl-C included: it interrupts the board); what the board prints
comes back unchanged. Ctrl-] quits.
When stdin is not a terminal (a pipe, a file), sends stdin, prints the
board's output until stdin has ended and the board has been quiet for
--idle ms, and exits 0.
If the port goes away (board reset or unplugged, virtual board stopped), it
says so and reopens it; after --retries failed attempts it exits 3.

Options:
${BOARD_OPTIONS_HELP}
      --idle <ms>      pipe mode: quiet time before exiting (default ${DEFAULT_IDLE_MS})
      --retries <n>    attempts to reopen a port that went away (default ${DEFAULT_RETRIES})
${HELP_OPTION_HELP}

Examples:
  strap console --port /dev/ttyACM0
  echo 'strap.status()' | strap console --port tcp://127.0.0.1:4000

${EXIT_CODES_HELP}`;

export const consoleCommand: Command = {
  name: 'console',
  summary: "a terminal on the board's console (Ctrl-] quits); pipe mode when stdin is not a TTY",
  help: HELP,
  async run(argv) {
    const values = parseOptions('console', argv, { ...BOARD_OPTIONS, idle: { type: 'string' }, retries: { type: 'string' } });
    const target = boardTarget(values);
    const idleMs = values.idle === undefined ? DEFAULT_IDLE_MS : positiveInteger('--idle', values.idle);
    const retries = values.retries === undefined ? DEFAULT_RETRIES : positiveInteger('--retries', values.retries);
    try {
      checkSerialDevice(target.port);
    } catch (error) {
      return reportFailure('console', error, { port: target.port });
    }
    const transport = createTransport(target.port, {
      baudRate: target.baudRate,
      connectTimeoutMs: target.timeoutMs,
      ble: target.ble,
      reconnect: { initialDelayMs: 200, maxDelayMs: 2000, maxAttempts: retries },
    }) as ReconnectingTransport;
    try {
      await transport.open();
      await checkConsole(transport, target);
    } catch (error) {
      await transport.close().catch(() => undefined);
      return reportFailure('console', error, { port: target.port });
    }
    return process.stdin.isTTY ? interactive(transport) : piped(transport, idleMs);
  },
};

/**
 * A sync on the console. A board that answered at another baud rate is named
 * (exit 3); a console that stays silent (busy in a loop? not a console?) is
 * said and shown anyway, so Ctrl-C can reach it and its bytes can be seen.
 */
async function checkConsole(transport: Transport, target: BoardTarget): Promise<void> {
  try {
    await EspruinoConsoleClient.connect(transport, { syncTimeoutMs: target.timeoutMs });
  } catch (error) {
    const silent = error instanceof ConsoleTimeoutError || (error instanceof WrongBaudRateError && error.answeredAt === undefined);
    if (!silent) throw error;
    note('console', `${target.port}: ${error.message}; showing it anyway (Ctrl-C interrupts a busy board)`);
  }
}

/** Reports the port going away and coming back; resolves with exit 3 when reconnection gives up. */
function watchLink(transport: ReconnectingTransport, eol: string): Promise<number> {
  const say = (text: string) => process.stderr.write(`${eol}strap console: ${text}${eol}`);
  transport.on('disconnected', (error: Error) => say(`${transport.port} went away (${error.message}); reconnecting`));
  transport.on('reconnecting', (e: ReconnectingEvent) => {
    if (e.attempt > 1) say(`attempt ${e.attempt} in ${e.delayMs} ms (${e.error.message})`);
  });
  transport.on('reconnected', (e: ReconnectedEvent) => say(`reconnected to ${transport.port} after ${e.downMs} ms`));
  return new Promise((resolve) => {
    transport.on('close', (error?: Error) => {
      if (!error) return;
      say(error.message);
      resolve(ExitCode.unreachable);
    });
  });
}

async function interactive(transport: ReconnectingTransport): Promise<number> {
  const stdin = process.stdin;
  process.stderr.write(`strap console: connected to ${transport.port}; Ctrl-] quits\r\n`);
  transport.on('data', (bytes: Buffer) => process.stdout.write(bytes));
  let quit!: () => void;
  const quitting = new Promise<number>((resolve) => (quit = () => resolve(ExitCode.ok)));
  stdin.setRawMode(true);
  stdin.on('data', (keys: Buffer) => {
    const end = keys.indexOf(QUIT_KEY);
    const send = end < 0 ? keys : keys.subarray(0, end);
    if (send.length) transport.write(send).catch((error: Error) => process.stderr.write(`\r\nstrap console: not sent: ${error.message}\r\n`));
    if (end >= 0) quit();
  });
  stdin.resume();
  const code = await Promise.race([quitting, watchLink(transport, '\r\n')]);
  stdin.setRawMode(false);
  stdin.pause();
  await transport.close().catch(() => undefined);
  process.stderr.write('\n');
  return code;
}

async function piped(transport: ReconnectingTransport, idleMs: number): Promise<number> {
  let finished!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finished = resolve));
  let idleTimer: NodeJS.Timeout | undefined;
  let inputEnded = false;
  const armIdle = () => {
    clearTimeout(idleTimer);
    if (inputEnded) idleTimer = setTimeout(() => finished(ExitCode.ok), idleMs);
  };
  transport.on('data', (bytes: Buffer) => {
    process.stdout.write(bytes);
    armIdle();
  });
  // Input is sent in order; a chunk that arrives while the port is down waits for it to come back.
  let sending = Promise.resolve();
  process.stdin.on('data', (chunk: Buffer) => {
    sending = sending.then(() => sendWhenUp(transport, chunk)).catch((error: Error) => note('console', `not sent: ${error.message}`));
  });
  process.stdin.on('end', () => {
    void sending.then(() => {
      inputEnded = true;
      armIdle();
    });
  });
  const code = await Promise.race([done, watchLink(transport, '\n')]);
  clearTimeout(idleTimer);
  process.stdin.destroy();
  await transport.close().catch(() => undefined);
  return code;
}

async function sendWhenUp(transport: ReconnectingTransport, bytes: Buffer): Promise<void> {
  while (transport.reconnecting) {
    await new Promise<void>((resolve) => {
      const up = () => {
        transport.off('reconnected', up);
        transport.off('close', up);
        resolve();
      };
      transport.on('reconnected', up);
      transport.on('close', up);
    });
  }
  await transport.write(bytes);
}
