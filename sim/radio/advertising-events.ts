/**
 * Advertising events on the virtual air (Core v5.4 Vol 6 Part B 4.4):
 *
 * - an advertiser sends one PDU on each channel of its map, 37, 38, 39 in
 *   turn; events repeat every T_advEvent = advInterval + advDelay, advDelay
 *   a pseudo-random 0–10 ms (4.4.2.2.1), drawn here from the air's seed;
 * - a scanner or initiator hears a channel during its scan window, once per
 *   scan interval, moving to the next channel each interval (4.4.3);
 * - active scanning sends SCAN_REQ and hears SCAN_RSP T_IFS later (4.4.2.3,
 *   4.4.3.2); each report goes to the host in an LE Advertising Report of
 *   its own (what ble-host reads reliably);
 * - an initiator that hears connectable advertising from its peer sends
 *   CONNECT_IND (4.4.4); the first anchor point follows after
 *   transmitWindowDelay 1.25 ms and a transmitWindowOffset of 0 (4.5.3).
 *   Both hosts get LE Connection Complete; the advertiser stops.
 */
import { toHex } from '../../protocols/ble/bytes';
import { encodeH4, H4PacketType } from '../../protocols/ble/hci/h4';
import { AdvertisingType } from '../../protocols/ble/hci/command-params';
import { LeSubevent } from '../../protocols/ble/hci/events';
import { advertisingReportEvent, AdvertisingReportType, LeEventParameters, leMetaEvent, Role } from '../../protocols/ble/hci/le-events';
import type { SeededRandom } from '../clock/seeded-random';
import type { EventId, VirtualClock } from '../clock/virtual-clock';
import type { AdvertisingPduType, AirPdu } from './air-pdu';
import type { VirtualController } from './controller';
import type { AddressEntry } from './controller-state';
import { sameAddress } from './controller-state';
import type { Link, LinkParameters } from './link';
import { T_IFS_US } from './link';
import { RadioSteps } from './radio-activity';

/** Gap between the starts of an event's PDUs on successive channels (our figure; 4.4.2.2.1 allows up to 10 ms). */
export const CHANNEL_SPACING_MS = 0.5;
const ADV_UNIT_MS = 0.625;
const CHANNELS = [37, 38, 39] as const;

/** A packet's start on LE 1M: preamble 1 and access address 4 octets, 8 µs each (2.1). */
export const LISTEN_FOR_START_US = (1 + 4) * 8;

/** Air time on LE 1M (2.1, 2.3): preamble 1, access address 4, header 2, payload, CRC 3; 8 µs per octet. */
function advAirTimeMs(payloadOctets: number): number {
  return ((1 + 4 + 2 + payloadOctets + 3) * 8) / 1000;
}

/** What the advertising model asks of the air (air.ts). */
export interface AdvertisingAir {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly controllers: readonly VirtualController[];
  lost(): boolean;
  rssi(from: string, to: string): number;
  passTap<P extends AirPdu>(pdu: P): P | undefined;
  openLink(central: VirtualController, peripheral: VirtualController, params: LinkParameters, firstAnchorMs: number, peripheralJoined: boolean): Link;
}

const PDU_TYPE: Record<number, AdvertisingPduType> = {
  [AdvertisingType.ADV_IND]: 'ADV_IND',
  [AdvertisingType.ADV_DIRECT_IND_HIGH_DUTY]: 'ADV_DIRECT_IND',
  [AdvertisingType.ADV_SCAN_IND]: 'ADV_SCAN_IND',
  [AdvertisingType.ADV_NONCONN_IND]: 'ADV_NONCONN_IND',
  [AdvertisingType.ADV_DIRECT_IND_LOW_DUTY]: 'ADV_DIRECT_IND',
};
const REPORT_TYPE: Record<AdvertisingPduType, number> = {
  ADV_IND: AdvertisingReportType.ADV_IND,
  ADV_DIRECT_IND: AdvertisingReportType.ADV_DIRECT_IND,
  ADV_SCAN_IND: AdvertisingReportType.ADV_SCAN_IND,
  ADV_NONCONN_IND: AdvertisingReportType.ADV_NONCONN_IND,
  SCAN_RSP: AdvertisingReportType.SCAN_RSP,
  SCAN_REQ: -1,
  CONNECT_IND: -1,
};

export class AdvertisingEvents {
  private readonly timers = new Map<VirtualController, EventId>();
  private readonly advRandom: SeededRandom;

  constructor(private readonly air: AdvertisingAir) {
    this.advRandom = air.random.fork('advDelay');
  }

  changed(c: VirtualController, what: 'advertising' | 'scanning' | 'initiating'): void {
    if (what !== 'advertising') return; // scanners and initiators only listen: advertising events find them
    const timer = this.timers.get(c);
    if (timer !== undefined) this.air.clock.cancel(timer);
    this.timers.delete(c);
    if (c.adv.enabled && c.powered) this.schedule(c, this.advDelayMs());
  }

  private advDelayMs(): number {
    return this.advRandom.int(0, 10_000) / 1000;
  }

  private schedule(c: VirtualController, inMs: number): void {
    this.timers.set(c, this.air.clock.scheduleIn(inMs, () => this.event(c), `${c.name}:adv`));
  }

  private event(c: VirtualController): void {
    this.timers.delete(c);
    if (!c.adv.enabled || !c.powered) return;
    const start = this.air.clock.nowMs();
    const pduType = PDU_TYPE[c.adv.type] ?? 'ADV_IND';
    const own = c.ownAddress(c.adv.ownAddressType);
    const channels = CHANNELS.filter((_, i) => (c.adv.channelMap >> i) & 1);
    const steps = new RadioSteps();
    const answers = pduType !== 'ADV_NONCONN_IND';
    const report = (): void => c.report({ device: c.name, kind: 'advertising-event', startMs: start, steps: steps.steps });
    for (const [i, channel] of channels.entries()) {
      const t = start + i * CHANNEL_SPACING_MS;
      const data = pduType === 'ADV_DIRECT_IND' ? new Uint8Array(0) : c.adv.data;
      steps.add('tx', advAirTimeMs(6 + data.length) * 1000);
      // A connectable or scannable advertiser listens T_IFS and a SCAN_REQ / CONNECT_IND's start after each PDU: the
      // preamble and access address (2.1), by which a receiver knows whether a packet is coming; a SCAN_REQ that
      // comes is charged below with the SCAN_RSP.
      if (answers) steps.add('rx', T_IFS_US + LISTEN_FOR_START_US);
      const sent = this.air.passTap({ kind: 'advertising', timeMs: t, from: c.name, channel, pduType, data });
      if (!sent) continue;
      const heardAt = t + advAirTimeMs(6 + sent.data.length);
      for (const listener of this.air.controllers) {
        if (listener === c || !listener.powered) continue;
        if (this.tryConnect(c, own, pduType, listener, channel, heardAt)) {
          report();
          return;
        }
        // a SCAN_REQ heard: the rest of it (ScanA, AdvA after its start), T_IFS, the SCAN_RSP
        if (this.tryScan(c, own, pduType, sent.data, listener, channel, heardAt)) steps.add('rx', advAirTimeMs(12) * 1000 - LISTEN_FOR_START_US + T_IFS_US).add('tx', advAirTimeMs(6 + c.adv.scanResponse.length) * 1000);
      }
    }
    report();
    const intervalUnits = this.advRandom.int(c.adv.intervalMin, c.adv.intervalMax);
    this.schedule(c, intervalUnits * ADV_UNIT_MS + this.advDelayMs());
  }

  private tryConnect(adv: VirtualController, own: AddressEntry, pduType: AdvertisingPduType, initiator: VirtualController, channel: number, atMs: number): boolean {
    const init = initiator.initiating;
    if (!init || (pduType !== 'ADV_IND' && pduType !== 'ADV_DIRECT_IND')) return false;
    if (!listening(init.startedMs, init.scanInterval, init.scanWindow, atMs, channel)) return false;
    const initiatorAddress = initiator.ownAddress(init.ownAddressType);
    if (pduType === 'ADV_DIRECT_IND' && !sameAddress({ type: adv.adv.directAddressType, address: adv.adv.directAddress }, initiatorAddress)) return false;
    const wanted = init.filterPolicy === 1 ? initiator.acceptList.some((a) => sameAddress(a, own)) : sameAddress({ type: init.peerAddressType, address: init.peerAddress }, own);
    if (!wanted || this.air.lost()) return false;
    const connectAt = atMs + T_IFS_US / 1000;
    const connectInd = this.air.passTap({ kind: 'advertising', timeMs: connectAt, from: initiator.name, to: adv.name, channel, pduType: 'CONNECT_IND', data: new Uint8Array(0) });
    // The initiator has sent CONNECT_IND and is in the connection whether or not the advertiser heard it;
    // if it did not, the advertiser goes on advertising and the central's link fails to be established (0x3E, 4.5.2).
    const heard = connectInd !== undefined && !this.air.lost();
    // CONNECT_IND payload: InitA 6, AdvA 6, LLData 22 (2.3.3.1).
    const endMs = connectAt + advAirTimeMs(34);
    initiator.initiating = undefined;
    initiator.report({ device: initiator.name, kind: 'scanning', startMs: connectAt, on: false, rxDutyCycle: 0 });
    if (heard) {
      adv.adv.enabled = false;
      this.changed(adv, 'advertising');
    }
    const params = { intervalUnits: init.connectionInterval, latency: init.latency, timeoutUnits: init.supervisionTimeout };
    const link = this.air.openLink(initiator, adv, params, endMs + 1.25, heard);
    const complete = (handle: number, role: number, peer: AddressEntry): Uint8Array =>
      leMetaEvent(LeSubevent.CONNECTION_COMPLETE, LeEventParameters.CONNECTION_COMPLETE.encode({
        status: 0, connectionHandle: handle, role, peerAddressType: peer.type, peerAddress: peer.address,
        connectionInterval: params.intervalUnits, peripheralLatency: params.latency, supervisionTimeout: params.timeoutUnits, centralClockAccuracy: 0,
      }));
    initiator.toHostAt(endMs, h4Event(complete(link.central.handle, Role.CENTRAL, own)));
    if (heard) adv.toHostAt(endMs, h4Event(complete(link.peripheral.handle, Role.PERIPHERAL, initiatorAddress)));
    return heard;
  }

  /** Reports what `scanner` hears; true when `adv` got a SCAN_REQ and sent its SCAN_RSP. */
  private tryScan(adv: VirtualController, own: AddressEntry, pduType: AdvertisingPduType, data: Uint8Array, scanner: VirtualController, channel: number, atMs: number): boolean {
    const scan = scanner.scan;
    if (!scan.enabled || pduType === 'ADV_DIRECT_IND') return false;
    if (!listening(scan.startedMs, scan.interval, scan.window, atMs, channel)) return false;
    if (scan.filterPolicy === 1 && !scanner.acceptList.some((a) => sameAddress(a, own))) return false;
    if (this.air.lost()) return false;
    this.report(scanner, adv, own, pduType, data, atMs);
    if (!scan.active || (pduType !== 'ADV_IND' && pduType !== 'ADV_SCAN_IND')) return false;
    const reqAt = atMs + T_IFS_US / 1000;
    const req = this.air.passTap({ kind: 'advertising', timeMs: reqAt, from: scanner.name, to: adv.name, channel, pduType: 'SCAN_REQ', data: new Uint8Array(0) });
    if (!req || this.air.lost()) return false;
    const rspAt = reqAt + advAirTimeMs(12) + T_IFS_US / 1000;
    const rsp = this.air.passTap({ kind: 'advertising', timeMs: rspAt, from: adv.name, to: scanner.name, channel, pduType: 'SCAN_RSP', data: adv.adv.scanResponse });
    if (!rsp) return true;
    if (!this.air.lost()) this.report(scanner, adv, own, 'SCAN_RSP', rsp.data, rspAt + advAirTimeMs(6 + rsp.data.length));
    return true;
  }

  private report(scanner: VirtualController, adv: VirtualController, own: AddressEntry, pduType: AdvertisingPduType, data: Uint8Array, atMs: number): void {
    const eventType = REPORT_TYPE[pduType];
    const key = `${own.type}/${toHex(own.address)}/${eventType}`;
    if (scanner.scan.filterDuplicates && scanner.scan.seen.has(key)) return;
    scanner.scan.seen.add(key);
    const rssi = this.air.rssi(adv.name, scanner.name);
    scanner.toHostAt(atMs, h4Event(advertisingReportEvent({ eventType, addressType: own.type, address: own.address, data: data.slice(0, 31), rssi })));
  }
}

/** 4.4.3: listening for `window` of every `interval` (0.625 ms units), on 37, 38, 39 in turn, one per interval. */
export function listening(startedMs: number, intervalUnits: number, windowUnits: number, atMs: number, channel: number): boolean {
  const intervalMs = intervalUnits * ADV_UNIT_MS;
  const elapsed = atMs - startedMs;
  if (elapsed < 0 || intervalMs <= 0) return false;
  const k = Math.floor(elapsed / intervalMs);
  return elapsed - k * intervalMs < windowUnits * ADV_UNIT_MS && CHANNELS[k % 3] === channel;
}

function h4Event(eventPacket: Uint8Array): Uint8Array {
  return encodeH4(H4PacketType.EVENT, eventPacket);
}
