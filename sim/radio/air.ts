/**
 * The virtual air between controllers, on the virtual clock: advertising and
 * scanning (advertising-events.ts), connections (link.ts), seeded packet
 * loss and RSSI, and a tap where tests watch, change or drop PDUs between
 * link layers. Everything random comes from the air's seed, so the same
 * seed and the same hosts give the same trace.
 *
 *   const air = new Air({ clock, seed: 1 });
 *   const strap = air.addController({ name: 'strap', publicAddress: 'C0:00:00:00:00:01' });
 *   // strap.transport is what ble-host's BleManager.create takes
 */
import { bytesEqual, toHex } from '../../protocols/ble/bytes';
import { SeededRandom } from '../clock/seeded-random';
import type { VirtualClock } from '../clock/virtual-clock';
import { AdvertisingEvents } from './advertising-events';
import type { AdvertisingAir } from './advertising-events';
import { VirtualController } from './controller';
import type { ControllerOptions } from './controller';
import { Link } from './link';
import type { LinkParameters } from './link';
import type { HeardPdu, LinkAir, LinkSide, LlPdu } from './link-side';
import type { AirPdu, AirTap } from './air-pdu';

export type { AdvertisingPduType, AirPdu, AirTap } from './air-pdu';

export interface AirOptions {
  clock: VirtualClock;
  seed: number | string;
  /** Probability (0–1) that any one packet is lost (default 0). */
  lossRate?: number;
  /** LL payload octets per data PDU (default 27, Vol 6 Part B 2.4 without Data Length Update). */
  maxPayload?: number;
  /** Keep `trace` (default false: a long simulation would grow it without bound). */
  trace?: boolean;
}

export class Air implements LinkAir, AdvertisingAir {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly maxPayload: number;
  lossRate: number;
  tap: AirTap | undefined;
  /** One line per PDU on air (non-empty ones) and per loss, when `trace` was asked for: what a seeded run must reproduce. */
  readonly trace: string[] = [];
  private readonly tracing: boolean;
  readonly controllers: VirtualController[] = [];
  readonly links = new Set<Link>();
  private readonly lossRandom: SeededRandom;
  private readonly rssiRandom: SeededRandom;
  private readonly pathRssi = new Map<string, number>();
  private readonly advertising: AdvertisingEvents;
  private nextLinkId = 1;

  constructor(options: AirOptions) {
    this.clock = options.clock;
    this.random = new SeededRandom(options.seed).fork('air');
    this.lossRandom = this.random.fork('loss');
    this.rssiRandom = this.random.fork('rssi');
    this.lossRate = options.lossRate ?? 0;
    this.maxPayload = options.maxPayload ?? 27;
    this.tracing = options.trace ?? false;
    this.advertising = new AdvertisingEvents(this);
  }

  addController(options: ControllerOptions): VirtualController {
    const medium = {
      clock: this.clock,
      random: this.random.fork(`controller/${options.name}`),
      changed: (what: 'advertising' | 'scanning' | 'initiating') => this.advertising.changed(controller, what),
    };
    const controller: VirtualController = new VirtualController(medium, options);
    this.controllers.push(controller);
    return controller;
  }

  /** Fixes the mean RSSI between two devices (both directions), dBm; otherwise it is drawn from the seed. */
  setPathRssi(a: string, b: string, dBm: number): void {
    this.pathRssi.set([a, b].sort().join('|'), dBm);
  }

  /** RSSI of one packet from `a` at `b`: the path's mean (−45…−85 dBm if not set) ± 2 dB. */
  rssi(a: string, b: string): number {
    const key = [a, b].sort().join('|');
    let mean = this.pathRssi.get(key);
    if (mean === undefined) {
      mean = this.rssiRandom.int(-85, -45);
      this.pathRssi.set(key, mean);
    }
    return Math.max(-127, Math.min(20, mean + this.rssiRandom.int(-2, 2)));
  }

  /** Whether this one reception fails (seeded). */
  lost(): boolean {
    return this.lossRate > 0 && this.lossRandom.next() < this.lossRate;
  }

  /** Runs the tap on a non-empty PDU; undefined when dropped. */
  passTap<P extends AirPdu>(pdu: P): P | undefined {
    const result = this.tap?.(pdu);
    if (result === 'drop') {
      this.note(pdu, 'dropped by tap');
      return undefined;
    }
    const out = (result ?? pdu) as P;
    this.note(out, '');
    return out;
  }

  note(pdu: AirPdu, remark: string): void {
    if (!this.tracing) return;
    const t = pdu.timeMs.toFixed(3);
    const body = pdu.kind === 'advertising' ? `${pdu.pduType} ch${pdu.channel} ${toHex(pdu.data)}` : `llid${pdu.llid} ${toHex(pdu.payload)}`;
    this.trace.push(`${t} ${pdu.from}→${pdu.to ?? '*'} ${body}${remark ? ` (${remark})` : ''}`);
  }

  carryData(link: { id: number; encrypted: boolean }, from: LinkSide, to: LinkSide, pdu: LlPdu, atMs: number): HeardPdu | undefined {
    let llid: number = pdu.llid;
    let payload = pdu.payload;
    if (payload.length > 0) {
      const seen = this.passTap({ kind: 'data', timeMs: atMs, from: from.ctrl.name, to: to.ctrl.name, linkId: link.id, llid, payload, encrypted: link.encrypted });
      if (!seen) return undefined;
      llid = seen.llid;
      payload = seen.payload;
    }
    if (this.lost()) {
      if (this.tracing && pdu.payload.length > 0) this.trace.push(`${atMs.toFixed(3)} ${from.ctrl.name}→${to.ctrl.name} lost`);
      return undefined;
    }
    const tampered = llid !== pdu.llid || !bytesEqual(payload, pdu.payload);
    return { llid: llid as LlPdu['llid'], payload, rssi: this.rssi(from.ctrl.name, to.ctrl.name), tampered };
  }

  /** Called by advertising-events when a CONNECT_IND is sent: a new connection (without its peripheral if that did not hear it). */
  openLink(central: VirtualController, peripheral: VirtualController, params: LinkParameters, firstAnchorMs: number, peripheralJoined = true): Link {
    const link = new Link(
      this.nextLinkId++,
      this,
      { central: { ctrl: central, handle: central.allocateHandle() }, peripheral: { ctrl: peripheral, handle: peripheral.allocateHandle() } },
      params,
      this.maxPayload,
      firstAnchorMs,
    );
    central.links.set(link.central.handle, { link, handle: link.central.handle, role: 'central' });
    if (peripheralJoined) peripheral.links.set(link.peripheral.handle, { link, handle: link.peripheral.handle, role: 'peripheral' });
    else link.abandon('peripheral');
    this.links.add(link);
    return link;
  }

  linkClosed(link: object): void {
    this.links.delete(link as Link);
  }
}
