/**
 * The pty rig: the virtual strap in a separate Node process (board-process.ts),
 * its console on a real pseudo-terminal opened through serialport, exactly as
 * a bench board's /dev/ttyACM0 is (with reconnect), and stimuli and probes on
 * a side channel to that process. Board time is paced to the wall clock;
 * waits skip ahead through the side channel. Needs socat.
 *
 * With `realtime` it is the real-time rig (`--rig realtime`): the same board
 * process, but nothing moves its clock but the wall clock (the process
 * refuses to skip), waits are waits, and it has only the instruments a bench
 * with a PPK2 and a probe board has (hil/README.md, "On a bench board").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BUNDLE_PATH } from '../../../firmware/build/outputs';
import { createTransport } from '../../../host-bridge/transports/index';
import { findSocat } from '../../../sim/board/console/links/socat-binary';
import { openConsoleTarget, type ConsoleTarget } from '../../rig/console-target';
import { type Capability, type Instruments } from '../../rig/rig';
import { RigBase } from '../../rig/rig-base';
import { bleInstruments } from '../virtual/ble-instruments';
import { virtualStandbyExpectation } from '../virtual/virtual-probes';
import type { ControlOp, ControlOps, ControlReply, ReadyNotice } from './control-protocol';

export interface PtyRigOptions {
  /** The firmware bundle's path (default dist/strap.js). */
  firmwarePath?: string;
  seed?: number;
  /** Board seconds per wall second while not skipping ahead (default 1). */
  pace?: number;
  /** The real-time rig: no skipping ahead, bench instruments only. */
  realtime?: boolean;
}

/** What a bench cannot do, so neither does the real-time rig (the bench rig's reasons, hil/rigs/bench/bench-rig.ts). */
const NOT_ON_A_BENCH: Partial<Record<Capability, string>> = {
  battery: "a bench board's cell charge cannot be set, so the real-time rig does not set it either",
  'wire-noise': 'a bench cannot put bytes on the board → host wire, so the real-time rig does not either',
};

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const BOARD_PROCESS = fileURLToPath(new URL('./board-process.ts', import.meta.url));
/** How long the wire may stay quiet before what the board printed counts as delivered (wall ms). */
const QUIET_MS = 40;

export class PtyProcessRig extends RigBase {
  readonly kind: 'pty' | 'realtime';
  readonly realTime: boolean;
  readonly description: string;
  protected readonly instruments: Partial<Instruments>;
  protected readonly reasons: Partial<Record<Capability, string>> = {};
  private lastByteAt = Date.now();

  private constructor(
    private readonly board: BoardProcess,
    target: ConsoleTarget,
    private readonly dir: string,
    bundle: Buffer,
    private readonly pace: number,
    realtime: boolean,
  ) {
    super(target);
    this.kind = realtime ? 'realtime' : 'pty';
    this.realTime = realtime;
    this.description = `virtual strap in process ${board.pid} on the pseudo-terminal ${board.linkPath}${realtime ? `, in real time (×${pace}, never skipped ahead)` : ''}`;
    target.console.transport.on('data', () => (this.lastByteAt = Date.now()));
    const note = (text: string) => this.transcript.note(text);
    this.instruments = {
      button: {
        press: async (holdMs) => {
          note(`button pressed for ${holdMs} ms`);
          await board.call('press', { holdMs });
          await this.waitMs(holdMs);
        },
      },
      supply: {
        powerCycle: async (offMs) => {
          note(`power cycle, off for ${offMs} ms`);
          await board.call('power-cycle', { offMs });
          await this.waitMs(offMs);
        },
        cut: async () => {
          note('power cut');
          await board.call('power-off', {});
        },
        restore: async () => {
          note('power restored');
          await board.call('power-on', {});
        },
      },
      battery: {
        setPercent: async (percent) => {
          note(`cell set to ${percent} %`);
          await board.call('battery', { percent });
        },
      },
      current: {
        expectedStandby: virtualStandbyExpectation(),
        measure: async (windowMs) => {
          const from = await board.call('charge-mark', {});
          await this.waitMs(windowMs);
          return board.call('current-window', { from });
        },
        export: (fromMs, toMs) => board.call('energy', { fromMs, toMs }),
      },
      led: { edges: (sinceMs) => board.call('led-edges', { sinceMs }), levels: () => board.call('led-levels', {}) },
      'pos-reader': {
        tap: async (purchase) => {
          note(`POS terminal taps for ${(purchase.amountMinor / 100).toFixed(2)}${purchase.loseFieldAtApdu ? `, leaving at APDU ${purchase.loseFieldAtApdu}` : ''}`);
          const tap = await board.call('pos-tap', purchase);
          note(`POS: ${tap.outcome}${tap.atc === undefined ? '' : `, ATC ${tap.atc}`}`);
          return tap;
        },
      },
      clasp: {
        set: async (closed) => {
          note(closed ? 'clasp closed' : 'clasp opened');
          await board.call('clasp', { closed });
        },
      },
      haptic: { pulses: (sinceMs) => board.call('haptic-pulses', { sinceMs }) },
      'reset-line': {
        pulse: async () => {
          note('reset pin pulsed');
          await board.call('reset-pin', {});
        },
      },
      'wire-noise': {
        boardSends: async (bytes) => {
          await board.call('board-sends', { bytes });
        },
      },
      'link-drop': {
        drop: async (downMs) => {
          note(`pseudo-terminal taken away for ${downMs} ms`);
          await board.call('link', { up: false });
          await sleep(downMs);
          await board.call('link', { up: true });
        },
      },
      flash: { bundle },
      ...bleInstruments(
        {
          pair: (passkey) => this.afterBoard(board.call('ble-pair', passkey === undefined ? {} : { passkey })),
          reconnect: () => this.afterBoard(board.call('ble-reconnect', {})),
          readBattery: () => this.afterBoard(board.call('ble-battery', {})),
          walletStatus: () => this.afterBoard(board.call('ble-wallet-status', {})),
          wallet: (op) => this.afterBoard(board.call('ble-wallet', { walletOp: op })),
          disconnect: () => this.afterBoard(board.call('ble-disconnect', {}).then(() => undefined)),
          forgetBond: () => board.call('ble-forget-bond', {}).then(() => undefined),
          traceMark: () => board.call('ble-trace-mark', {}),
          btsnoop: (since) => board.call('ble-btsnoop', { since }),
          readTag: () => board.call('nfc-read', {}),
          lendRadio: () => board.call('ble-lend-radio', {}),
          takeRadioBack: () => board.call('ble-take-radio-back', {}).then(() => undefined),
        },
        note,
      ),
    };
    if (realtime) for (const [capability, reason] of Object.entries(NOT_ON_A_BENCH)) this.withhold([capability as Capability], reason);
  }

  static async open(options: PtyRigOptions = {}): Promise<PtyProcessRig> {
    if (!findSocat()) throw new Error('the pty rig needs socat (Debian package socat)');
    const firmwarePath = options.firmwarePath ?? BUNDLE_PATH;
    const dir = mkdtempSync(path.join(tmpdir(), 'strap-hil-pty-'));
    const pace = options.pace ?? 1;
    const realtime = options.realtime ?? false;
    const args = ['--firmware', firmwarePath, '--link', path.join(dir, 'ttyStrap'), '--seed', String(options.seed ?? 1), '--pace', String(pace)];
    const board = await BoardProcess.start(realtime ? [...args, '--realtime'] : args);
    try {
      const transport = createTransport(board.linkPath, { reconnect: { initialDelayMs: 100, maxDelayMs: 1000 } });
      await transport.open();
      const target = await openConsoleTarget(transport, { console: { syncTimeoutMs: 5000 } });
      return new PtyProcessRig(board, target, dir, readFileSync(firmwarePath), pace, realtime);
    } catch (error) {
      await board.stop();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  nowMs(): Promise<number> {
    return this.board.call('now', {});
  }

  async waitMs(ms: number): Promise<void> {
    if (this.realTime) await sleep(ms / this.pace);
    else await this.board.call('advance', { ms });
    await this.quiet();
  }

  protected async step(untilMs: number): Promise<void> {
    if (this.realTime) return sleep(Math.max(0, Math.min(20, (untilMs - (await this.nowMs())) / this.pace)));
    await this.board.call('advance-until-output', { untilMs });
    await this.quiet();
  }

  protected override settle(): Promise<void> {
    return this.quiet();
  }

  async close(): Promise<void> {
    await this.target.close();
    await this.board.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A board op that ran the board's clock: what it printed meanwhile reaches the host first. */
  private async afterBoard<T>(op: Promise<T>): Promise<T> {
    const value = await op;
    await this.quiet();
    return value;
  }

  /** Waits until the wire has been quiet for a moment: what the board printed has reached the host. */
  private async quiet(): Promise<void> {
    const started = Date.now();
    while (Date.now() - this.lastByteAt < QUIET_MS || Date.now() - started < QUIET_MS) {
      if (Date.now() - started > 2000) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The board process and its side channel. */
class BoardProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private stderr = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly linkPath: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      for (const p of this.pending.values()) p.reject(new Error(`the board process exited: ${this.stderr.slice(-500)}`));
      this.pending.clear();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static start(args: string[]): Promise<BoardProcess> {
    const child = spawn(process.execPath, [TSX_CLI, BOARD_PROCESS, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-4000)));
    return new Promise((resolve, reject) => {
      let board: BoardProcess | undefined;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the board process did not start within 20 s:\n${stderr}`));
      }, 20_000);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!board) reject(new Error(`the board process exited (code ${code}, signal ${signal}) before it was ready:\n${stderr}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const message = JSON.parse(line) as ControlReply | ReadyNotice;
        if ('ready' in message) {
          clearTimeout(timer);
          board = new BoardProcess(child, message.linkPath);
          child.stderr!.on('data', (text: string) => (board!.stderr = (board!.stderr + text).slice(-4000)));
          resolve(board);
        } else board?.settle(message);
      });
    });
  }

  call<K extends ControlOp>(op: K, params: ControlOps[K]['params']): Promise<ControlOps[K]['value']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) return reject(new Error('the board process is not running'));
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin!.write(JSON.stringify({ id, op, ...params }) + '\n');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await this.call('exit', {}).catch(() => undefined);
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(killer);
  }

  private settle(reply: ControlReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`board process: ${reply.error}`));
  }
}
