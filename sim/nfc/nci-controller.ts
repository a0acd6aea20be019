/**
 * An NCI 2.0 NFC controller of the PN7150 / SN1x0 class with an embedded
 * secure element behind it, as an I2C device with an IRQ line (host side:
 * nci-host-port.ts) and an antenna (antenna.ts: what a reader in the virtual
 * field talks to).
 *
 *   const nfcc = new NciController({ clock, random, pins: board.pins, irqPin: STRAP_PINS.NFC_IRQ });
 *   board.i2c.attach(PN7150_I2C_ADDRESS, nfcc);
 *   nfcc.attachNfcee(se.contactless);      // the SE's ContactlessTarget, NFCEE ID 0xC0
 *   nfcc.setVen(true);                     // VEN high: out of hard power-down
 *
 * The DH's commands are handled by nci-commands.ts; this class holds the
 * state they act on: VEN, the core state (reset / initialized), the RF state
 * of NCI 2.0 5.2 (RFST_IDLE, RFST_DISCOVERY, RFST_LISTEN_ACTIVE; the poll
 * states are not modelled: the strap only emulates a card), configuration
 * parameters, the listen-mode routing table and the NFCEE. Nothing thrown by
 * a handler escapes write()/read(): it becomes CORE_GENERIC_ERROR_NTF
 * (STATUS_FAILED) and is kept in `internalErrors` for tests.
 */
import type { I2CDevice } from '../board/buses/i2c-bus';
import type { PinBus } from '../board/buses/pin-bus';
import type { SeededRandom } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import { ConfigParam, Status } from '../../protocols/nci/identifiers';
import { EMPTY_REASSEMBLY, decodePacket, reassemble } from '../../protocols/nci/packet';
import type { Message, Reassembly } from '../../protocols/nci/packet';
import { CORE_GENERIC_ERROR_NTF, CORE_RESET_NTF, ResetTrigger } from '../../protocols/nci/core';
import type { MessageCodec } from '../../protocols/nci/payload';
import type { ContactlessTarget } from './contactless';
import { ListenRoutingTable } from './listen-routing';
import { NciHostPort } from './nci-host-port';
import { NciLog } from './nci-log';
import { MANUFACTURER_INFO, NCI_VERSION, NXP_MANUFACTURER_ID, handleCommand, handleData } from './nci-commands';
import { Antenna } from './antenna';
import { nfccPowerState, type NfccPowerState } from './nfcc-power';
import { EMBEDDED_SE_NFCEE_ID } from './nfcc-state';
import type { CoreState, Nfcee, NfccCore, RfState } from './nfcc-state';

export { PN7150_I2C_ADDRESS } from './nci-host-port';

export { EMBEDDED_SE_NFCEE_ID } from './nfcc-state';
export type { RfState, CoreState, Nfcee } from './nfcc-state';

export interface NciControllerOptions {
  clock: VirtualClock;
  /** For the NFCID1 (a fresh random UID per activation, ISO/IEC 14443-3 6.5.4). */
  random: SeededRandom;
  pins?: PinBus;
  irqPin?: number;
  /** A pin wired to VEN (the level the board drives on it switches the controller); without one, call setVen(). */
  venPin?: number;
  /**
   * Time from VEN high to the controller's CORE_RESET_NTF with Reset Trigger '01' (powered on),
   * an estimate (no data sheet figure reached); default 2000 µs. NCI 2.0 controllers of the
   * SN1x0 class send it unasked (NXP's Android HAL reads and skips it); a CORE_RESET_CMD
   * sent before it cancels it. 0 or less: the controller stays silent until CORE_RESET_CMD.
   */
  bootUs?: number;
  /** Time from a command's last byte to its response (an estimate: no data sheet figure reached); default 500 µs. */
  responseLatencyUs?: number;
  log?: NciLog;
}

/** The defaults NCI 2.0's configuration table gives (TOTAL_DURATION 1000 ms, RF_NFCEE_ACTION on, RF_FIELD_INFO off), LA_SEL_INFO with ISO-DEP, FWI 7. */
function defaultConfig(): Map<number, Uint8Array> {
  return new Map([
    [ConfigParam.TOTAL_DURATION, Uint8Array.of(0xe8, 0x03)],
    [ConfigParam.LA_SEL_INFO, Uint8Array.of(0x20)],
    [ConfigParam.LI_A_RATS_TB1, Uint8Array.of(0x70)],
    [ConfigParam.LI_A_HIST_BY, new Uint8Array(0)],
    [ConfigParam.RF_FIELD_INFO, Uint8Array.of(0x00)],
    [ConfigParam.RF_NFCEE_ACTION, Uint8Array.of(0x01)],
  ]);
}

export class NciController implements I2CDevice, NfccCore {
  readonly log: NciLog;
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  /** What the reader in the virtual field talks to. */
  readonly antenna: Antenna;
  /** Exceptions a handler threw (a bug in the model, never the DH's fault): each also became CORE_GENERIC_ERROR_NTF. */
  readonly internalErrors: unknown[] = [];

  ven = false;
  core: CoreState = 'unreset';
  rf: RfState = 'RFST_IDLE';
  /** RF_DISCOVER_CMD asked for Listen NFC-A. */
  listenA = false;
  standbyEnabled = true;
  powerSubState = 0;
  config = defaultConfig();
  readonly routing = new ListenRoutingTable();
  nfcee: Nfcee | undefined;

  private readonly port: NciHostPort;
  private reassembly: Reassembly = EMPTY_REASSEMBLY;
  /** Bumped at every power cycle and reset: responses scheduled before are dropped. */
  private epoch = 0;
  private readonly latencyMs: number;
  private readonly bootMs: number;
  private readonly powerListeners = new Set<(state: NfccPowerState) => void>();
  private lastPower: NfccPowerState = 'hpd';
  private unsubscribeTarget: (() => void) | undefined;

  constructor(options: NciControllerOptions) {
    this.clock = options.clock;
    this.random = options.random;
    this.log = options.log ?? new NciLog();
    this.latencyMs = (options.responseLatencyUs ?? 500) / 1000;
    this.bootMs = (options.bootUs ?? 2000) / 1000;
    this.port = new NciHostPort({ clock: options.clock, log: this.log, pins: options.pins, irqPin: options.irqPin });
    this.antenna = new Antenna(this);
    const { pins, venPin } = options;
    if (pins && venPin !== undefined) {
      pins.onChange((change) => { if (change.pin === venPin) this.setVen(change.level); });
      this.setVen(pins.level(venPin));
    }
  }

  // --- the board's side -------------------------------------------------------------

  /** VEN: high takes the controller out of hard power-down (it then waits for CORE_RESET_CMD); low cuts it. */
  setVen(level: boolean): void {
    if (level === this.ven) return;
    this.ven = level;
    this.epoch++;
    this.port.flush();
    this.reassembly = EMPTY_REASSEMBLY;
    this.core = 'unreset';
    this.antenna.stop('power');
    this.rf = 'RFST_IDLE';
    this.listenA = false;
    this.standbyEnabled = true;
    if (!level) {
      this.config = defaultConfig();
      this.routing.clear();
      if (this.nfcee) Object.assign(this.nfcee, { enabled: false, discovered: false });
    } else if (this.bootMs > 0) {
      const epoch = this.epoch;
      this.clock.scheduleIn(this.bootMs, () => {
        if (epoch !== this.epoch || !this.ven) return;
        this.sendNow(CORE_RESET_NTF.encode({
          trigger: ResetTrigger.POWERED_ON, configurationStatus: 1, nciVersion: NCI_VERSION, manufacturerId: NXP_MANUFACTURER_ID, manufacturerInfo: MANUFACTURER_INFO,
        }));
      }, 'nfcc: booted');
    }
    this.powerChanged();
  }

  /** Plugs the embedded SE's contactless interface in (the NFCEE the controller reports). */
  attachNfcee(target: ContactlessTarget, nfceeId = EMBEDDED_SE_NFCEE_ID): void {
    this.unsubscribeTarget?.();
    this.nfcee = { id: nfceeId, target, enabled: false, discovered: false };
    this.unsubscribeTarget = target.onEvent((event) => this.antenna.seEvent(event));
  }

  write(bytes: Uint8Array): void {
    if (!this.ven) return; // hard power-down: nothing listens (the real part does not acknowledge)
    try {
      this.port.logInbound(bytes);
      this.receive(bytes);
    } catch (e) {
      this.internalErrors.push(e);
      this.sendNow([CORE_GENERIC_ERROR_NTF.encode({ status: Status.FAILED })[0]!]);
    }
  }

  read(length: number): Uint8Array {
    if (!this.ven) return new Uint8Array(0);
    return this.port.read(length);
  }

  irqActive(): boolean {
    return this.port.irqActive();
  }

  pendingPackets(): number {
    return this.port.pendingPackets();
  }

  powerState(): NfccPowerState {
    return nfccPowerState(this);
  }

  onPowerState(listener: (state: NfccPowerState) => void): () => void {
    this.powerListeners.add(listener);
    return () => this.powerListeners.delete(listener);
  }

  // --- for the command handlers and the antenna --------------------------------------

  /** Sends a message (as its packets) to the DH after the response latency. */
  send<T>(codec: MessageCodec<T>, value: T): void {
    this.sendLater(codec.encode(value));
  }

  sendLater(packets: Uint8Array[]): void {
    const epoch = this.epoch;
    this.clock.scheduleIn(this.latencyMs, () => {
      if (epoch === this.epoch && this.ven) this.sendNow(packets);
    }, 'nfcc: to DH');
  }

  configValue(id: number): Uint8Array | undefined {
    return this.config.get(id);
  }

  configFlag(id: number): boolean {
    return (this.config.get(id)?.[0] ?? 0) === 1;
  }

  /** CORE_RESET_CMD: unread packets and unfinished segments go, the RF state returns to idle. */
  resetCore(keepConfig: boolean): void {
    this.epoch++;
    this.port.flush();
    this.reassembly = EMPTY_REASSEMBLY;
    this.antenna.stop('reset');
    this.rf = 'RFST_IDLE';
    this.listenA = false;
    this.core = 'reset';
    if (!keepConfig) {
      this.config = defaultConfig();
      this.routing.clear();
    }
    this.powerChanged();
  }

  powerChanged(): void {
    const state = this.powerState();
    if (state === this.lastPower) return;
    this.lastPower = state;
    for (const listener of [...this.powerListeners]) listener(state);
  }

  // ---------------------------------------------------------------------------------

  private sendNow(packets: Uint8Array[]): void {
    for (const p of packets) this.port.send(p);
  }

  private receive(bytes: Uint8Array): void {
    const decoded = decodePacket(bytes);
    if (!decoded.ok) return this.genericError(Status.SYNTAX_ERROR);
    const packet = decoded.value;
    // The DH sends commands and data only (NCI 2.0 3.2): a response or notification from it is a syntax error.
    if (packet.kind === 'control' && packet.mt !== 1) return this.genericError(Status.SYNTAX_ERROR);
    if (packet.kind === 'data' && !this.antenna.takeDhPacket(packet.connId)) return;
    const folded = reassemble(this.reassembly, packet);
    if (!folded.ok) {
      this.reassembly = EMPTY_REASSEMBLY;
      return this.genericError(Status.SYNTAX_ERROR);
    }
    this.reassembly = folded.state;
    if (folded.message) this.dispatch(folded.message);
  }

  private dispatch(message: Message): void {
    if (message.kind === 'data') handleData(this, message);
    else handleCommand(this, message);
    this.powerChanged();
  }

  private genericError(status: number): void {
    this.send(CORE_GENERIC_ERROR_NTF, { status });
  }
}
