/**
 * The board process behind the pty rig: the virtual strap (firmware from
 * --firmware, the power model under it) paced to the wall clock, its console
 * on a real pseudo-terminal at --link (socat), and stimuli and probes on a
 * side channel (control-protocol.ts: JSON lines on stdin/stdout).
 *
 *   tsx hil/rigs/pty-process/board-process.ts --firmware dist/strap.js --link /tmp/x/ttyStrap [--seed 1] [--pace 1] [--realtime]
 *
 * Board time runs with the wall clock (×pace) while the host talks, as on a
 * bench; `advance` skips ahead so that waiting a minute for a heartbeat does
 * not take a minute. With --realtime nothing but the wall clock moves board
 * time: the skipping ops are refused, and stimuli land at the instant the
 * pace has reached instead of a paused one.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { ConsolePort } from '../../../sim/board/console/console-contract';
import type { ConsoleLink } from '../../../sim/board/console/console-link';
import { startPtyConsole, type PtyConsole } from '../../../sim/board/console/links/pty-console';
import { PacedDriver } from '../../../sim/clock/paced-driver';
import { attachPowerModel } from '../../../sim/power/board-power';
import { createVirtualStrap } from '../../../sim/scenario/virtual-strap';
import { posTap } from '../virtual/pos-reader';
import { attachVirtualPhone } from '../virtual/virtual-phone';
import { HapticRecorder, LedRecorder, PowerProbe } from '../virtual/virtual-probes';
import type { ControlOps, ControlReply, ControlRequest, ReadyNotice } from './control-protocol';

const { values } = parseArgs({
  options: {
    firmware: { type: 'string' },
    link: { type: 'string' },
    seed: { type: 'string', default: '1' },
    pace: { type: 'string', default: '1' },
    // the board's default: the strap firmware's boot at load() reaches 250 ms of wall on a loaded machine
    'busy-loop-ms': { type: 'string', default: '1000' },
    realtime: { type: 'boolean', default: false },
  },
  strict: true,
});
if (!values.firmware || !values.link) {
  process.stderr.write('usage: board-process.ts --firmware <bundle> --link <pty symlink path> [--seed n] [--pace x]\n');
  process.exit(2);
}
const linkPath = values.link;

const strap = createVirtualStrap({
  firmware: readFileSync(values.firmware, 'latin1'),
  seed: Number(values.seed),
  powerOn: false,
  board: { busyLoopLimitMs: Number(values['busy-loop-ms']) },
});
const { board, clock } = strap;
const model = attachPowerModel(board).power;
strap.payment.drivePower(model);
const power = new PowerProbe(model);
const leds = new LedRecorder(board.pins);
const haptic = new HapticRecorder(board.pins);
// the SoftDevice before power-on: boot finds its radio
const phone = attachVirtualPhone(strap, Number(values.seed));
// A POS tap's exchange and a phone's step drive the clock while they run: the pace holds meanwhile.
const driver = new PacedDriver(clock, { scale: Number(values.pace), hold: () => strap.payment.inFlight() !== undefined || phone.busy() });
let printed = 0;
board.console.onOutput((bytes) => (printed += bytes.length));
const port: ConsolePort = {
  input: (bytes) => {
    board.console.input(bytes);
    driver.poke();
  },
  onOutput: (listener) => board.console.onOutput(listener),
};
let pty: PtyConsole | undefined = await startPtyConsole({ console: port, linkPath });

/** Runs `change` with the pace paused, so skipping ahead and stimuli land at one board instant (in real time: at the paced instant). */
function paused<T>(change: () => T): T {
  if (values.realtime) return change();
  driver.stop();
  try {
    return change();
  } finally {
    driver.start();
  }
}

type Handlers = { [K in keyof ControlOps]: (params: ControlOps[K]['params']) => ControlOps[K]['value'] | Promise<ControlOps[K]['value']> };

const handlers: Handlers = {
  now: () => clock.nowMs(),
  advance: ({ ms }) => paused(() => (clock.advanceBy(ms), clock.nowMs())),
  'advance-until-output': ({ untilMs }) =>
    paused(() => {
      const before = printed;
      for (;;) {
        const next = clock.nextDeadlineMs();
        if (next === undefined || next > untilMs) {
          clock.advanceTo(Math.max(clock.nowMs(), untilMs));
          break;
        }
        clock.runNext();
        if (printed !== before) break;
      }
      return clock.nowMs();
    }),
  press: ({ holdMs }) => paused(() => (board.pressButton(holdMs), null)),
  'power-cycle': ({ offMs }) => paused(() => (board.powerCycle(offMs), null)),
  'power-off': () => paused(() => (board.powerOff('power-cut'), null)),
  'power-on': () => paused(() => (board.powerOn(), null)),
  'reset-pin': () => paused(() => (board.hardReset(), null)),
  battery: ({ percent }) => (board.cell.setPercent(percent), null),
  'pos-tap': async (purchase) => posTap(await strap.payment.tap(purchase)),
  clasp: ({ closed }) => paused(() => (strap.target.setClasp(closed), null)),
  'board-sends': ({ bytes }) => ((board.link('Serial1') as unknown as ConsoleLink).emit(bytes), null),
  link: async ({ up }) => {
    if (up && !pty) pty = await startPtyConsole({ console: port, linkPath });
    if (!up && pty) {
      await pty.close();
      pty = undefined;
    }
    return null;
  },
  'charge-mark': () => power.mark(),
  'current-window': ({ from }) => power.windowSince(from),
  energy: ({ fromMs, toMs }) => power.export(fromMs, toMs, `Energy, ${(fromMs / 1000).toFixed(1)}–${(toMs / 1000).toFixed(1)} s of board time (pty rig)`),
  'led-edges': ({ sinceMs }) => leds.edges(sinceMs),
  'led-levels': () => leds.levels(),
  'haptic-pulses': ({ sinceMs }) => haptic.pulses(sinceMs),
  'ble-pair': ({ passkey }) => phone.pair(passkey === undefined ? {} : { passkey }),
  'ble-reconnect': () => phone.reconnect(),
  'ble-battery': () => phone.readBattery(),
  'ble-wallet-status': () => phone.walletStatus(),
  'ble-wallet': ({ walletOp }) => phone.wallet(walletOp),
  'ble-disconnect': async () => (await phone.disconnect(), null),
  'ble-forget-bond': () => (phone.forgetBond(), null),
  'ble-trace-mark': () => phone.traceMark(),
  'ble-btsnoop': ({ since }) => phone.btsnoop(since),
  'ble-lend-radio': () => phone.lendRadio(() => driver.poke()),
  'ble-take-radio-back': () => (phone.takeRadioBack(), null),
  'nfc-read': () => phone.readTag(),
  exit: () => {
    setImmediate(() => void shutdown());
    return null;
  },
};

/** What only moves the clock: a real-time board has no such thing. */
const SKIPPING: readonly string[] = ['advance', 'advance-until-output'] satisfies (keyof ControlOps)[];

async function handle(request: ControlRequest): Promise<ControlReply> {
  const handler = handlers[request.op] as ((params: unknown) => unknown) | undefined;
  if (!handler) return { id: request.id, ok: false, error: `unknown op: ${String(request.op)}` };
  if (values.realtime && SKIPPING.includes(request.op)) return { id: request.id, ok: false, error: `${request.op}: a real-time board's clock follows the wall clock and is never skipped ahead` };
  try {
    const value = await handler(request);
    driver.poke();
    return { id: request.id, ok: true, value: value ?? null };
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

const reply = (message: ControlReply | ReadyNotice) => process.stdout.write(JSON.stringify(message) + '\n');

async function shutdown(): Promise<void> {
  driver.stop();
  await pty?.close();
  phone.close();
  process.exit(0);
}

// One request at a time, in order: each may move board time.
let queue = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  let request: ControlRequest;
  try {
    request = JSON.parse(line) as ControlRequest;
  } catch {
    process.stderr.write(`board process: not JSON: ${line}\n`);
    return;
  }
  queue = queue.then(async () => {
    reply(await handle(request));
  });
});
process.stdin.on('end', () => void shutdown());
process.once('SIGTERM', () => void shutdown());

driver.start();
board.powerOn();
reply({ ready: true, linkPath });
