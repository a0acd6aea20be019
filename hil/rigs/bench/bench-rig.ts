/**
 * The bench rig: a real board on a serial port (HIL_PORT=/dev/ttyACM0),
 * reached with the reconnecting serial transport, in real time. With a
 * Nordic PPK2 on PPK2_PORT it gains a current probe; in source-meter mode
 * (PPK2_MODE=source) the PPK2 also powers the board, so the rig gains a
 * switchable supply. With PCSC_READER naming a PC/SC contactless reader it
 * gains a POS terminal (pcsc-pos-reader.ts). With HIL_HCI naming a Bluetooth
 * LE controller and HIL_STRAP_ADDRESS the strap's address it gains a phone
 * (bench-phone.ts). Everything else skips with a reason.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from '../../../host-bridge/transports/index';
import { openConsoleTarget, type ConsoleTarget } from '../../rig/console-target';
import { type Capability, type Instruments } from '../../rig/rig';
import { RigBase } from '../../rig/rig-base';
import { currentCsv, renderCurrentSvg } from '../../report/current-plot-svg';
import { LogicProbe, parseLogicMap, type LogicMap } from '../ppk2/logic-probe';
import { Ppk2 } from '../ppk2/ppk2';
import type { Ppk2Mode } from '../ppk2/ppk2-protocol';
import { openBenchPhone, type BenchPhone } from './bench-phone';
import { PcscPosReader } from './pcsc-pos-reader';

export interface BenchRigOptions {
  /** The board's console port (HIL_PORT). */
  port: string;
  /** Its line speed (HIL_BAUD; default 9600, Espruino's UART default; USB CDC ignores it). */
  baudRate?: number;
  /** A PPK2's serial port (PPK2_PORT). */
  ppk2Port?: string;
  /** 'ampere' (default): the PPK2 measures the board's own supply; 'source': it is the supply (PPK2_MODE). */
  ppk2Mode?: Ppk2Mode;
  /** Supply voltage (PPK2_VDD_MV, default 3700: a Li-Po at rest). */
  ppk2VddMv?: number;
  /** Which PPK2 digital input each strap line is wired to (PPK2_LOGIC, e.g. LED1=0,LED2=1,LED3=2,HAPTIC=3): LED and haptic probes. */
  ppk2Logic?: LogicMap;
  /** Highest acceptable standby current (HIL_STANDBY_MAX_UA, default 2000). */
  standbyMaxUa?: number;
  /** A firmware bundle the rig may flash (HIL_FIRMWARE); without it the flashing scenario skips. */
  firmwarePath?: string;
  /** A part of a PC/SC contactless reader's name, '' for the first one (PCSC_READER): the POS terminal's reader. */
  pcscReader?: string;
  /** The seed of the token the strap's SE holds, for the terminal's issuer (PCSC_ISSUER_SEED, default 1). */
  pcscIssuerSeed?: number | string;
  /** How long a tap waits for the strap in the reader's field (PCSC_CARD_TIMEOUT_MS, default 3000). */
  pcscCardTimeoutMs?: number;
  /** The phone's Bluetooth LE controller, as `strap pair --hci` takes it: hciN, tcp:HOST:PORT, a serial H4 UART (HIL_HCI). */
  hci?: string;
  /** The strap's Bluetooth address, AA:BB:CC:DD:EE:FF (HIL_STRAP_ADDRESS): a bench has no NFC reader to read it off the tag. */
  strapAddress?: string;
  /** The phone's bond folder (HIL_BONDS; default a temporary folder per run, removed at close). */
  bondDir?: string;
}

/** The bench rig's settings from the environment (`strap hil --rig bench`). */
export function benchOptionsFromEnv(env: NodeJS.ProcessEnv = process.env, port = env.HIL_PORT): BenchRigOptions {
  if (!port) throw new Error('the bench rig needs the board\'s serial port: set HIL_PORT (e.g. /dev/ttyACM0)');
  const mode = env.PPK2_MODE ?? 'ampere';
  if (mode !== 'ampere' && mode !== 'source') throw new Error(`PPK2_MODE must be ampere or source, got ${mode}`);
  const number = (name: string) => (env[name] === undefined ? undefined : Number(env[name]));
  return {
    port,
    baudRate: number('HIL_BAUD'),
    ppk2Port: env.PPK2_PORT,
    ppk2Mode: mode,
    ppk2VddMv: number('PPK2_VDD_MV'),
    ppk2Logic: env.PPK2_LOGIC === undefined ? undefined : parseLogicMap(env.PPK2_LOGIC),
    standbyMaxUa: number('HIL_STANDBY_MAX_UA'),
    firmwarePath: env.HIL_FIRMWARE,
    pcscReader: env.PCSC_READER,
    // a number as the simulator takes `--seed 7` (SeededRandom hashes a string seed differently)
    pcscIssuerSeed: env.PCSC_ISSUER_SEED === undefined || !/^\d+$/.test(env.PCSC_ISSUER_SEED) ? env.PCSC_ISSUER_SEED : Number(env.PCSC_ISSUER_SEED),
    pcscCardTimeoutMs: number('PCSC_CARD_TIMEOUT_MS'),
    hci: env.HIL_HCI || undefined,
    strapAddress: env.HIL_STRAP_ADDRESS || undefined,
    bondDir: env.HIL_BONDS || undefined,
  };
}

export class BenchRig extends RigBase {
  readonly kind = 'bench';
  readonly realTime = true;
  readonly description: string;
  protected readonly instruments: Partial<Instruments> = {};
  protected readonly reasons: Partial<Record<Capability, string>> = {
    'pos-reader': "no POS reader: set PCSC_READER to (a part of) a PC/SC contactless reader's name (e.g. ACR122), pcscd running, the strap on the reader",
    clasp: "the bench rig does not switch the clasp contact (D2): close it by hand, or wire it to a relay the rig drives",
    haptic: 'no haptic probe: wire the motor driver line (D6) to a PPK2 digital input and name it in PPK2_LOGIC (HAPTIC=3)',
    button: 'the bench rig has no button actuator (press it by hand)',
    led: 'no LED probe: wire LED1-3 (D5, D4, D3) to PPK2 digital inputs and name them in PPK2_LOGIC (LED1=0,LED2=1,LED3=2)',
    battery: "a bench board's cell charge cannot be set (with PPK2_MODE=source, PPK2_VDD_MV sets the supply voltage)",
    supply: 'no switchable supply: set PPK2_PORT and PPK2_MODE=source to power the board from the PPK2',
    current: 'no current probe: set PPK2_PORT to a Nordic PPK2',
    'reset-line': 'the bench rig does not drive the reset pin',
    'wire-noise': 'the bench rig cannot put bytes on the board → host wire',
    'link-drop': 'the bench rig cannot take the port away (unplug the board by hand to see the reconnect)',
    flash: 'no firmware to flash: set HIL_FIRMWARE to a bundle (e.g. dist/strap.js)',
    'ble-central': "no phone: set HIL_HCI to a Bluetooth LE controller (hci0, tcp:HOST:PORT, or an H4 UART such as /dev/ttyACM1) and HIL_STRAP_ADDRESS to the strap's address",
    'nfc-tag-reader': "the bench rig has no NFC reader yet: it needs a PC/SC reader (ISO 14443-A, Type 2 READ) held to the strap's antenna",
  };

  private constructor(
    target: ConsoleTarget,
    private readonly openedAt: number,
    private readonly ppk2: Ppk2 | undefined,
    private readonly pos: PcscPosReader | undefined,
    private readonly phone: { phone: BenchPhone; tempBonds?: string } | undefined,
    options: BenchRigOptions,
  ) {
    super(target);
    this.description = `bench board on ${options.port}${ppk2 ? ` with a PPK2 on ${options.ppk2Port} (${options.ppk2Mode ?? 'ampere'} mode)` : ''}${pos ? `, ${pos.description}` : ''}${phone ? `, a phone on ${options.hci}` : ''}`;
    const note = (text: string) => this.transcript.note(text);
    if (ppk2) {
      this.instruments.current = {
        expectedStandby: {
          minUa: 1,
          maxUa: options.standbyMaxUa ?? 2000,
          basis: `HIL_STANDBY_MAX_UA (default 2000 µA: a Puck.js-class board asleep with its UART console on draws ~1 mA)`,
        },
        measure: (windowMs) => ppk2.measure(windowMs),
        export: async (fromMs, toMs) => {
          const bins = ppk2.binsBetween(fromMs, toMs);
          return { csv: currentCsv(bins), svg: renderCurrentSvg(bins, `PPK2 current, ${(fromMs / 1000).toFixed(1)}–${(toMs / 1000).toFixed(1)} s`) };
        },
      };
    }
    if (ppk2 && options.ppk2Mode === 'source') {
      this.instruments.supply = {
        powerCycle: async (offMs) => {
          note(`PPK2: DUT power off for ${offMs} ms`);
          await ppk2.setDutPower(false);
          await this.waitMs(offMs);
          await ppk2.setDutPower(true);
        },
        cut: async () => {
          note('PPK2: DUT power off');
          await ppk2.setDutPower(false);
        },
        restore: async () => {
          note('PPK2: DUT power on');
          await ppk2.setDutPower(true);
        },
      };
    }
    const probe = ppk2 && options.ppk2Logic ? new LogicProbe(() => ppk2.logicChanges(), options.ppk2Logic) : undefined;
    if (probe?.hasLeds) this.instruments.led = { edges: async (sinceMs) => probe.edges(sinceMs), levels: async () => probe.levels() };
    if (probe?.hasHaptic) this.instruments.haptic = { pulses: async (sinceMs) => probe.pulses(sinceMs) };
    if (pos) {
      pos.note = note;
      this.instruments['pos-reader'] = { tap: (purchase) => pos.tap(purchase) };
    }
    if (phone) this.instruments['ble-central'] = phone.phone.instrument;
    if (options.firmwarePath) this.instruments.flash = { bundle: readFileSync(options.firmwarePath) };
  }

  static async open(options: BenchRigOptions): Promise<BenchRig> {
    if (options.hci !== undefined) strapAddressFor(options);
    const openedAt = performance.now();
    const ppk2 = options.ppk2Port
      ? await Ppk2.openPath(options.ppk2Port, { mode: options.ppk2Mode ?? 'ampere', vddMv: options.ppk2VddMv ?? 3700, nowMs: () => performance.now() - openedAt })
      : undefined;
    let pos: PcscPosReader | undefined;
    let phone: { phone: BenchPhone; tempBonds?: string } | undefined;
    try {
      pos = options.pcscReader === undefined
        ? undefined
        : await PcscPosReader.open({
          readerName: options.pcscReader,
          issuerSeed: options.pcscIssuerSeed ?? 1,
          cardTimeoutMs: options.pcscCardTimeoutMs,
        });
      const transport = createTransport(options.port, { baudRate: options.baudRate, reconnect: { initialDelayMs: 200, maxDelayMs: 2000 } });
      await transport.open();
      const target = await openConsoleTarget(transport, { console: { syncTimeoutMs: 3000 } });
      try {
        if (options.hci !== undefined) phone = await openPhone(options, (text) => target.transcript.note(text));
      } catch (error) {
        await target.close();
        throw error;
      }
      return new BenchRig(target, openedAt, ppk2, pos, phone, options);
    } catch (error) {
      closePhone(phone);
      pos?.close();
      await ppk2?.close();
      throw error;
    }
  }

  async nowMs(): Promise<number> {
    return performance.now() - this.openedAt;
  }

  async waitMs(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  protected async step(untilMs: number): Promise<void> {
    await this.waitMs(Math.max(0, Math.min(20, untilMs - (await this.nowMs()))));
  }

  async close(): Promise<void> {
    await this.target.close();
    await this.ppk2?.close();
    this.pos?.close();
    closePhone(this.phone);
  }
}

async function openPhone(options: BenchRigOptions, note: (text: string) => void): Promise<{ phone: BenchPhone; tempBonds?: string }> {
  const address = strapAddressFor(options);
  const tempBonds = options.bondDir === undefined ? mkdtempSync(join(tmpdir(), 'strap-hil-bench-bonds-')) : undefined;
  try {
    const phone = await openBenchPhone({ hci: options.hci!, address, bondDir: options.bondDir ?? tempBonds! }, note);
    return { phone, ...(tempBonds ? { tempBonds } : {}) };
  } catch (error) {
    if (tempBonds) rmSync(tempBonds, { recursive: true, force: true });
    throw error;
  }
}

/** HIL_STRAP_ADDRESS, checked before anything opens. */
function strapAddressFor(options: BenchRigOptions): string {
  const address = options.strapAddress;
  if (!address || !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(address)) {
    throw new Error(`HIL_HCI gives the bench a phone, which needs the strap's address: set HIL_STRAP_ADDRESS to AA:BB:CC:DD:EE:FF${address ? ` (got ${JSON.stringify(address)})` : ''}`);
  }
  return address;
}

function closePhone(opened: { phone: BenchPhone; tempBonds?: string } | undefined): void {
  opened?.phone.close();
  if (opened?.tempBonds) rmSync(opened.tempBonds, { recursive: true, force: true });
}
