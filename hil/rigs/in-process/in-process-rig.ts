/**
 * The in-process rig: the virtual strap (dist/strap.js on the virtual board,
 * the power model under it) in this process, its console reached through an
 * in-memory port by the host bridge's own console and RPC clients, the
 * SoftDevice model and a phone on one air (virtual-phone.ts). Board
 * time is virtual and moves only when a scenario waits: deterministic for a
 * seed, and a minute of heartbeats costs milliseconds.
 */
import { readFileSync } from 'node:fs';
import { FlashMemory } from '../../../sim/board/storage/flash-memory';
import { NEXT_LOOP_TURN, PacedDriver } from '../../../sim/clock/paced-driver';
import type { ConsoleLink } from '../../../sim/board/console/console-link';
import { attachPowerModel } from '../../../sim/power/board-power';
import { HostTurn } from '../../../sim/radio/host-turn';
import { createVirtualStrap, type VirtualStrap } from '../../../sim/scenario/virtual-strap';
import { openConsoleTarget, type ConsoleTarget } from '../../rig/console-target';
import { type Capability, type Instruments } from '../../rig/rig';
import { RigBase } from '../../rig/rig-base';
import { bleInstruments } from '../virtual/ble-instruments';
import { posTap } from '../virtual/pos-reader';
import { attachVirtualPhone, type VirtualPhoneOps } from '../virtual/virtual-phone';
import { HapticRecorder, LedRecorder, PowerProbe, virtualStandbyExpectation } from '../virtual/virtual-probes';
import { BoardPort } from './board-port';
import { BUNDLE_PATH } from '../../../firmware/build/outputs';

export interface InProcessRigOptions {
  /** The firmware bundle (default dist/strap.js). */
  firmware?: Buffer;
  seed?: number;
  /** Another POS reader in place of the virtual field's terminal, given the strap (pcsc-pos-reader.test.ts puts a PC/SC reader there). */
  posReader?: (strap: VirtualStrap) => Instruments['pos-reader'];
}

/**
 * A busy loop counts as hung after this much wall time: the board's default, 1 s. (It was 250 ms, which the
 * strap firmware's own boot — the 34 KB bundle evaluated at load() — reached on a loaded machine, so a flash
 * ended in a watchdog reset; measured in ble-flashing.)
 */
const BUSY_LOOP_LIMIT_MS = 1000;

/**
 * While the phone's radio is lent, the air runs 10 times the wall clock's pace and waits for the runner's ble-host's
 * answer to each packet it hands it (sim/radio/host-turn.ts), so the host's latency costs no board time: ble-flashing
 * (dist/strap.js in 20-octet writes) took ~28 s in real time, now ~5 s for about the same ~23 s of board time.
 */
const LENT_AIR_PACE = 10;
const HOST_TURN_LOOP_TURNS = 4;

export class InProcessRig extends RigBase {
  readonly kind = 'in-process';
  readonly realTime = false;
  readonly description: string;
  protected readonly instruments: Partial<Instruments>;
  protected readonly reasons: Partial<Record<Capability, string>> = {};
  /** Runs the air while the phone's radio is lent to the runner's BLE transport. */
  private lentDriver: PacedDriver | undefined;

  private constructor(
    readonly strap: VirtualStrap,
    port: BoardPort,
    target: ConsoleTarget,
    probes: { power: PowerProbe; leds: LedRecorder; haptic: HapticRecorder },
    private readonly phone: VirtualPhoneOps,
    bundle: Buffer,
    seed: number,
    posReader: InProcessRigOptions['posReader'],
  ) {
    super(target);
    this.description = `virtual strap in this process (seed ${seed})`;
    const board = strap.board;
    this.instruments = {
      button: {
        press: async (holdMs) => {
          this.transcript.note(`button pressed for ${holdMs} ms`);
          board.pressButton(holdMs);
          await this.waitMs(holdMs);
        },
      },
      supply: {
        powerCycle: async (offMs) => {
          this.transcript.note(`power cycle, off for ${offMs} ms`);
          board.powerCycle(offMs);
          await this.waitMs(offMs);
        },
        cut: async () => {
          this.transcript.note('power cut');
          board.powerOff('power-cut');
          await flushIo();
        },
        restore: async () => {
          this.transcript.note('power restored');
          board.powerOn();
          await flushIo();
        },
      },
      battery: {
        setPercent: async (percent) => {
          this.transcript.note(`cell set to ${percent} %`);
          board.cell.setPercent(percent);
        },
      },
      current: {
        expectedStandby: virtualStandbyExpectation(),
        measure: async (windowMs) => {
          const from = probes.power.mark();
          await this.waitMs(windowMs);
          return probes.power.windowSince(from);
        },
        export: async (fromMs, toMs) => probes.power.export(fromMs, toMs, `Energy, ${(fromMs / 1000).toFixed(1)}–${(toMs / 1000).toFixed(1)} s of board time`),
      },
      led: { edges: async (sinceMs) => probes.leds.edges(sinceMs), levels: async () => probes.leds.levels() },
      'pos-reader': posReader?.(strap) ?? {
        // The tap drives the board's clock itself while its exchange runs (sim/scenario/strap-payment.ts).
        tap: async (purchase) => {
          this.transcript.note(`POS terminal taps for ${(purchase.amountMinor / 100).toFixed(2)}${purchase.loseFieldAtApdu ? `, leaving at APDU ${purchase.loseFieldAtApdu}` : ''}`);
          const tap = posTap(await strap.payment.tap(purchase));
          this.transcript.note(`POS: ${tap.outcome}${tap.atc === undefined ? '' : `, ATC ${tap.atc}`}`);
          await flushIo();
          return tap;
        },
      },
      clasp: {
        set: async (closed) => {
          this.transcript.note(closed ? 'clasp closed' : 'clasp opened');
          strap.target.setClasp(closed);
          await flushIo();
        },
      },
      haptic: { pulses: async (sinceMs) => probes.haptic.pulses(sinceMs) },
      'reset-line': {
        pulse: async () => {
          this.transcript.note('reset pin pulsed');
          board.hardReset();
          await flushIo();
        },
      },
      'wire-noise': {
        boardSends: async (bytes) => {
          (board.link('Serial1') as unknown as ConsoleLink).emit(bytes);
          await flushIo();
        },
      },
      'link-drop': {
        drop: async (downMs) => {
          this.transcript.note(`console port unplugged for ${downMs} ms`);
          port.unplug('the rig unplugged it');
          await new Promise((resolve) => setTimeout(resolve, downMs));
          port.plug();
        },
      },
      flash: { bundle },
      ...bleInstruments(
        {
          pair: (passkey) => settled(phone.pair(passkey === undefined ? {} : { passkey })),
          reconnect: () => settled(phone.reconnect()),
          readBattery: () => settled(phone.readBattery()),
          walletStatus: () => settled(phone.walletStatus()),
          wallet: (op) => settled(phone.wallet(op)),
          disconnect: () => settled(phone.disconnect()),
          forgetBond: async () => phone.forgetBond(),
          traceMark: async () => phone.traceMark(),
          btsnoop: async (since) => phone.btsnoop(since),
          readTag: async () => phone.readTag(),
          // the air runs paced while the runner's own ble-host drives the phone's controller over TCP
          lendRadio: async () => {
            const turn = new HostTurn(HOST_TURN_LOOP_TURNS, NEXT_LOOP_TURN);
            const driver = new PacedDriver(this.strap.clock, { scale: LENT_AIR_PACE, hold: turn.holds });
            turn.onLapse = () => driver.poke();
            this.lentDriver = driver;
            const link = await phone.lendRadio(() => driver.poke(), turn);
            driver.start();
            return link;
          },
          takeRadioBack: async () => {
            this.lentDriver?.stop();
            this.lentDriver = undefined;
            phone.takeRadioBack();
            await flushIo();
          },
        },
        (text) => this.transcript.note(text),
      ),
    };
  }

  static async open(options: InProcessRigOptions = {}): Promise<InProcessRig> {
    const bundle = options.firmware ?? readFileSync(BUNDLE_PATH);
    const seed = options.seed ?? 1;
    const strap = createVirtualStrap({ firmware: bundle.toString('latin1'), seed, flash: new FlashMemory(), powerOn: false, board: { busyLoopLimitMs: BUSY_LOOP_LIMIT_MS } });
    const { power } = attachPowerModel(strap.board);
    let note: (text: string) => void = () => undefined;
    // the SoftDevice before power-on: boot finds its radio
    const phone = attachVirtualPhone(strap, seed, (text) => note(text));
    strap.payment.drivePower(power);
    const leds = new LedRecorder(strap.board.pins);
    const haptic = new HapticRecorder(strap.board.pins);
    const port = new BoardPort(strap.board);
    const transport = port.transport();
    await transport.open();
    strap.board.powerOn();
    strap.board.settle();
    const target = await openConsoleTarget(transport);
    const rig = new InProcessRig(strap, port, target, { power: new PowerProbe(power), leds, haptic }, phone, bundle, seed, options.posReader);
    note = (text) => rig.transcript.note(text);
    return rig;
  }

  async nowMs(): Promise<number> {
    return this.strap.clock.nowMs();
  }

  async waitMs(ms: number): Promise<void> {
    this.strap.clock.advanceBy(ms);
    await flushIo();
  }

  protected async step(untilMs: number): Promise<void> {
    const clock = this.strap.clock;
    clock.advanceTo(Math.min(clock.nextDeadlineMs() ?? untilMs, untilMs));
    await flushIo();
  }

  protected override settle(): Promise<void> {
    return flushIo();
  }

  async close(): Promise<void> {
    await this.target.close();
    this.lentDriver?.stop();
    this.phone.close();
  }
}

/** The phone's steps run the clock themselves; then what the board printed meanwhile is delivered. */
async function settled<T>(step: Promise<T>): Promise<T> {
  const value = await step;
  await flushIo();
  return value;
}

/** Lets the in-memory link deliver: its bytes travel in microtasks, the console client parses them at once. */
async function flushIo(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}
