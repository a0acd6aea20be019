/**
 * One connection on the air between a central and a peripheral controller
 * (Core v5.4 Vol 6 Part B 4.5): connection events at every anchor point,
 * data PDUs exchanged central-first with acknowledgement as SN/NESN give it
 * (4.5.9: a PDU is resent until the peer's next packet acknowledges it, a
 * duplicate is not delivered twice), supervision timeout (4.5.2), and the LL
 * control procedures ble-host's commands start (ll-procedures.ts).
 *
 * Air time of a PDU on LE 1M (2.1, 2.4): preamble 1 + access address 4 +
 * header 2 + payload + MIC 4 (encrypted, non-empty) + CRC 3 octets, 8 µs
 * each; T_IFS 150 µs between packets (4.1.1); a connection event closes at
 * least T_IFS before the next anchor (4.5.6); a lost packet from the central
 * ends the event (4.5.6: the peripheral does not answer what it did not hear).
 */
import { Llid } from '../../protocols/ble/ll/control-pdu';
import { disconnectionCompleteEvent } from '../../protocols/ble/hci/event-params';
import { encodeH4, H4PacketType } from '../../protocols/ble/hci/h4';
import { HciStatus } from '../../protocols/ble/hci/status';
import type { VirtualController } from './controller';
import type { ConnectionLink, Role } from './link-types';
import { LlProcedures } from './ll-procedures';
import type { LinkAir, LinkSide, LlPdu } from './link-side';
import { RadioSteps } from './radio-activity';

export const T_IFS_US = 150;
const US_PER_OCTET_1M = 8;

export function pduAirTimeUs(payloadOctets: number, encrypted: boolean): number {
  const mic = encrypted && payloadOctets > 0 ? 4 : 0;
  return (1 + 4 + 2 + payloadOctets + mic + 3) * US_PER_OCTET_1M;
}

interface EventProgress {
  startMs: number;
  /** µs into the event so far. */
  tUs: number;
  steps: Record<Role, RadioSteps>;
}

export interface LinkParameters {
  /** 1.25 ms units. */
  intervalUnits: number;
  latency: number;
  /** 10 ms units. */
  timeoutUnits: number;
}

export class Link implements ConnectionLink {
  readonly central: LinkSide;
  readonly peripheral: LinkSide;
  encrypted = false;
  closed = false;
  params: LinkParameters;
  eventCounter = 0;
  readonly procedures: LlProcedures;
  private anchorMs: number;
  private established = false;

  constructor(
    readonly id: number,
    private readonly air: LinkAir,
    ends: { central: { ctrl: VirtualController; handle: number }; peripheral: { ctrl: VirtualController; handle: number } },
    params: LinkParameters,
    readonly maxPayload: number,
    firstAnchorMs: number,
  ) {
    const side = (role: Role, end: { ctrl: VirtualController; handle: number }): LinkSide => ({
      role, ctrl: end.ctrl, handle: end.handle, control: [], data: [], inFlight: undefined, nextSeq: 1, lastSeqIn: 0,
      lastHeardMs: air.clock.nowMs(), silent: false, rssi: 0,
    });
    this.central = side('central', ends.central);
    this.peripheral = side('peripheral', ends.peripheral);
    this.params = params;
    this.anchorMs = firstAnchorMs;
    this.procedures = new LlProcedures(this, air);
    air.clock.scheduleAt(firstAnchorMs, () => this.connectionEvent(), `link${id}:event`);
  }

  get intervalMs(): number {
    return this.params.intervalUnits * 1.25;
  }

  side(role: Role): LinkSide {
    return role === 'central' ? this.central : this.peripheral;
  }

  peer(role: Role): LinkSide {
    return role === 'central' ? this.peripheral : this.central;
  }

  sendData(from: Role, llid: Llid, payload: Uint8Array, completesHostPacket: boolean): void {
    const s = this.side(from);
    s.data.push({ llid, payload, seq: 0, completesHostPacket });
  }

  queueControl(from: Role, payload: Uint8Array): void {
    this.side(from).control.push({ llid: Llid.CONTROL, payload, seq: 0, completesHostPacket: false });
  }

  startEncryption(rand: Uint8Array, ediv: number, ltk: Uint8Array): void {
    this.procedures.startEncryption(rand, ediv, ltk);
  }

  longTermKeyReply(ltk: Uint8Array | undefined): void {
    this.procedures.longTermKeyReply(ltk);
  }

  terminate(from: Role, reason: number): void {
    this.procedures.terminate(from, reason);
  }

  updateParameters(_from: Role, intervalUnits: number, latency: number, timeoutUnits: number): void {
    this.procedures.update({ intervalUnits, latency, timeoutUnits });
  }

  readRemoteFeatures(from: Role): void {
    this.procedures.readRemoteFeatures(from);
  }

  readRemoteVersion(from: Role): void {
    this.procedures.readRemoteVersion(from);
  }

  rssi(at: Role): number {
    return this.side(at).rssi;
  }

  abandon(side: Role): void {
    this.side(side).silent = true;
  }

  /** Ends the link: each side still listening gets Disconnection Complete with its reason at `atMs`. */
  close(atMs: number, reasons: Record<Role, number>): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [this.central, this.peripheral]) {
      if (s.silent) continue;
      s.ctrl.toHostAt(atMs, encodeH4(H4PacketType.EVENT, disconnectionCompleteEvent(s.handle, reasons[s.role])));
      s.ctrl.linkClosed(s.handle);
    }
    this.air.linkClosed(this);
  }

  private alive(s: LinkSide): boolean {
    return !s.silent && s.ctrl.powered;
  }

  /** The PDU a side sends next: the unacknowledged one, else control, else data (unless paused), else empty. */
  private nextPdu(s: LinkSide): LlPdu {
    if (!s.inFlight) {
      const next = s.control.shift() ?? (this.procedures.dataPaused ? undefined : s.data.shift());
      if (next) s.inFlight = { ...next, seq: s.nextSeq++ };
    }
    return s.inFlight ?? { llid: Llid.CONTINUATION, payload: new Uint8Array(0), seq: 0, completesHostPacket: false };
  }

  private hasMore(s: LinkSide): boolean {
    return s.inFlight !== undefined || s.control.length > 0 || (!this.procedures.dataPaused && s.data.length > 0);
  }

  /**
   * One connection event (4.5.1): exchanges until nothing is left, a packet is lost, or the event's time is
   * up. Each exchange (a central packet and the peripheral's answer) runs at its own virtual time, and
   * buffers freed by it are reported at once, so a host can refill them for the next exchange of the event.
   */
  private connectionEvent(): void {
    if (this.closed) return;
    if (!this.alive(this.central) && !this.alive(this.peripheral)) {
      // Nobody left to notice: the link just ends (no host hears of it).
      this.close(this.air.clock.nowMs(), { central: HciStatus.CONNECTION_TIMEOUT, peripheral: HciStatus.CONNECTION_TIMEOUT });
      return;
    }
    this.procedures.atEventStart(this.eventCounter);
    this.exchangeStep({ startMs: this.air.clock.nowMs(), tUs: 0, steps: { central: new RadioSteps(), peripheral: new RadioSteps() } });
  }

  private exchangeStep(event: EventProgress): void {
    if (this.closed) return;
    const more = this.exchangePair(event);
    const atMs = event.startMs + event.tUs / 1000;
    this.central.ctrl.flushCompleted(atMs);
    this.peripheral.ctrl.flushCompleted(atMs);
    if (this.closed) return;
    if (more) this.air.clock.scheduleAt(atMs, () => this.exchangeStep(event), `link${this.id}:exchange`);
    else this.endEvent(event);
  }

  /** One central packet and the peripheral's answer; whether the event goes on. */
  private exchangePair(event: EventProgress): boolean {
    const { steps, startMs } = event;
    const onAir = (sender: Role, us: number): void => {
      // Both radios are busy for a packet: one sends, the other listens (whether or not it hears).
      steps[sender].add('tx', us);
      steps[sender === 'central' ? 'peripheral' : 'central'].add('rx', us);
    };
    const turnaround = (): void => {
      steps.central.add('rx', T_IFS_US);
      steps.peripheral.add('rx', T_IFS_US);
    };
    if (!this.alive(this.central)) return false;
    const m = this.nextPdu(this.central);
    const mUs = pduAirTimeUs(m.payload.length, this.encrypted);
    const budgetUs = this.intervalMs * 1000 - T_IFS_US;
    if (event.tUs > 0 && event.tUs + mUs + T_IFS_US + pduAirTimeUs(this.maxPayload, this.encrypted) > budgetUs) return false;
    event.tUs += mUs;
    onAir('central', mUs);
    if (!this.exchange(this.central, this.peripheral, m, startMs + event.tUs / 1000)) return false;
    event.tUs += T_IFS_US;
    turnaround();
    const s = this.nextPdu(this.peripheral);
    const sUs = pduAirTimeUs(s.payload.length, this.encrypted);
    event.tUs += sUs;
    onAir('peripheral', sUs);
    if (!this.exchange(this.peripheral, this.central, s, startMs + event.tUs / 1000)) return false;
    event.tUs += T_IFS_US;
    turnaround();
    return this.hasMore(this.central) || this.hasMore(this.peripheral);
  }

  private endEvent(event: EventProgress): void {
    for (const side of [this.central, this.peripheral]) {
      if (this.alive(side)) side.ctrl.report({ device: side.ctrl.name, kind: 'connection-event', startMs: event.startMs, steps: event.steps[side.role].steps });
    }
    this.checkSupervision(event.startMs);
    if (this.closed) return;
    this.eventCounter = (this.eventCounter + 1) & 0xffff;
    this.anchorMs += this.intervalMs;
    this.air.clock.scheduleAt(this.anchorMs, () => this.connectionEvent(), `link${this.id}:event`);
  }

  /** `from` sends `pdu`; returns whether `to` received it. Acknowledgement and delivery happen on reception. */
  private exchange(from: LinkSide, to: LinkSide, pdu: LlPdu, atMs: number): boolean {
    if (!this.alive(from)) return false;
    const heard = this.air.carryData(this, from, to, pdu, atMs);
    if (heard === undefined || !this.alive(to) || this.closed) return false;
    if (heard.tampered && this.encrypted) {
      // 5.1.3.1 / Vol 1 Part F: a PDU that fails its MIC ends the connection.
      this.close(atMs, { central: HciStatus.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE, peripheral: HciStatus.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE });
      return false;
    }
    to.lastHeardMs = atMs;
    to.rssi = heard.rssi;
    this.established = true;
    // The peer's packet carries its NESN: `to`'s own PDU in flight is acknowledged if `from` got it.
    if (to.inFlight && to.inFlight.seq <= from.lastSeqIn) {
      if (to.inFlight.completesHostPacket) to.ctrl.packetCompleted(to.handle);
      to.inFlight = undefined;
    }
    if (pdu.seq !== 0 && pdu.seq > to.lastSeqIn) {
      to.lastSeqIn = pdu.seq;
      if (heard.llid === Llid.CONTROL) this.procedures.received(to.role, heard.payload, atMs);
      else to.ctrl.deliverData(atMs, to.handle, heard.llid, heard.payload);
    }
    return !this.closed;
  }

  /** 4.5.2: the supervision timer restarts on every packet received; before the first, 6 intervals (0x3E). */
  private checkSupervision(nowMs: number): void {
    const limitMs = this.established ? this.params.timeoutUnits * 10 : 6 * this.intervalMs;
    const reason = this.established ? HciStatus.CONNECTION_TIMEOUT : HciStatus.CONNECTION_FAILED_TO_BE_ESTABLISHED;
    for (const s of [this.central, this.peripheral]) {
      if (this.alive(s) && nowMs - s.lastHeardMs >= limitMs) {
        this.close(nowMs, { central: reason, peripheral: reason });
        return;
      }
    }
  }

  /** Connection parameters change at an instant (5.1.1). */
  applyParameters(params: LinkParameters): void {
    this.params = params;
  }

  setEncrypted(on: boolean): void {
    this.encrypted = on;
  }
}
