/**
 * The virtual field: a reader (a POS terminal, a phone) brings its 13.56 MHz
 * field to the strap's antenna, polls for an NFC-A card, activates ISO-DEP
 * and exchanges APDUs in ISO/IEC 14443-4 blocks at 106 kbit/s, all on the
 * virtual clock (air times: air-time.ts). The controller's antenna
 * (antenna.ts) answers as the card and routes each APDU to its SE.
 *
 *   const field = new VirtualField({ clock, controller: nfcc });
 *   const reader = field.enter();                       // field on
 *   const link = await settle(clock, reader.activate());  // REQA … RATS/ATS; undefined: no card
 *   const fci = await settle(clock, link!.transceive(selectPpse));
 *   reader.leave();                                     // field off; a pending transceive rejects with FieldLost
 *   reader.trace.save(dir, 'tap-1');                    // pcap (LINKTYPE_ISO_14443) and NCI log
 *
 * Frames (ISO/IEC 14443-3 6.3-6.5, 14443-4 5 and 7): REQA '26' (short
 * frame), ATQA, ANTICOLLISION '93 20' / UID CLn + BCC, SELECT '93 70' +
 * UID CLn + BCC, SAK (cascade levels '93', '95', '97' for 7- and 10-byte
 * UIDs), RATS 'E0' + FSDI/CID, ATS; then I-blocks with chaining and R(ACK)
 * when an APDU or its answer exceeds the frame size (FSC from the ATS, FSD
 * from RATS), S(WTX) when the card needs longer than FWT, S(DESELECT).
 * The blocks are built in iso-dep-link.ts; block numbers follow ISO/IEC
 * 14443-4 7.5.3 rules 1-2 in the simple form the exchanges here need (no
 * errors on air, so no retransmissions).
 */
import type { VirtualClock } from '../clock/virtual-clock';
import { encodeIsoDepBlock, encodeRats } from '../../protocols/iso14443/iso-dep';
import type { IsoDepBlock } from '../../protocols/iso14443/iso-dep';
import { FDT_MIN_US, FIELD_ON_GUARD_US, SHORT_FRAME_US, frameAirUs, frameSize, fwtUs, sfgtUs } from './air-time';
import { IsoDepLink } from './iso-dep-link';
import type { Antenna } from './antenna';
import { FieldLost } from './contactless';
import type { ReaderLink } from './contactless';
import type { NciLog } from './nci-log';
import type { LinkAir } from './iso-dep-link';
import { TapTrace } from './tap-trace';

export interface VirtualFieldOptions {
  clock: VirtualClock;
  /** The NFC controller whose antenna sits in this field (its NCI log goes into each tap's trace). */
  controller: { readonly antenna: Antenna; readonly log: NciLog };
}

export interface ReaderOptions {
  /** The reader's frame size index sent in RATS (ISO/IEC 14443-4 5.1); default 8 (256 bytes), EMV's. */
  fsdi?: number;
}

export class VirtualField {
  /** Every reader that entered, in order (each with its trace). */
  readonly taps: Reader[] = [];
  private current: Reader | undefined;

  constructor(private readonly options: VirtualFieldOptions) {}

  /** A reader's field comes up at the antenna now (one reader at a time: a previous one leaves first). */
  enter(readerOptions: ReaderOptions = {}): Reader {
    this.current?.leave();
    const { clock, controller: { antenna, log } } = this.options;
    const reader = new Reader(clock, antenna, new TapTrace(clock.nowMs() * 1000, log, log.entries().length), readerOptions.fsdi ?? 8, () => {
      if (this.current === reader) this.current = undefined;
    });
    this.current = reader;
    this.taps.push(reader);
    return reader;
  }

  /** The reader in the field now, if any. */
  reader(): Reader | undefined {
    return this.current;
  }
}

interface Waiter {
  event: number;
  reject: (e: Error) => void;
}

export class Reader implements LinkAir {
  private present = true;
  private readonly waiters = new Set<Waiter>();
  private link: IsoDepLink | undefined;
  private muted = false;
  private readonly unsubscribe: () => void;
  /** The card's ATS (TL first, no CRC) once activate() found one. */
  ats: Uint8Array | undefined;

  constructor(private readonly clock: VirtualClock, private readonly card: Antenna, readonly trace: TapTrace, private readonly fsdi: number, private readonly onLeave: () => void) {
    trace.field(this.nowUs(), true);
    this.unsubscribe = card.onStop(() => { this.muted = true; });
    card.fieldOn();
  }

  inField(): boolean {
    return this.present;
  }

  /** Polls once for an NFC-A card and activates ISO-DEP: the link, or undefined when no card answered. */
  async activate(): Promise<ReaderLink | undefined> {
    await this.wait(FIELD_ON_GUARD_US);
    await this.air(true, Uint8Array.of(0x26), false, SHORT_FRAME_US);
    const id = this.card.sense();
    if (!id) {
      await this.wait(FDT_MIN_US + frameAirUs(2));
      return undefined;
    }
    await this.wait(FDT_MIN_US);
    await this.air(false, id.atqa, false);
    for (const [level, part] of cascade(id.uid).entries()) {
      const sel = 0x93 + 2 * level;
      const withBcc = Uint8Array.from([...part, part.reduce((x, b) => x ^ b, 0)]);
      await this.turn();
      await this.air(true, Uint8Array.of(sel, 0x20), false);
      await this.turn();
      await this.air(false, withBcc, false);
      await this.turn();
      await this.air(true, Uint8Array.from([sel, 0x70, ...withBcc]), true);
      await this.turn();
      const last = level === cascade(id.uid).length - 1;
      await this.air(false, Uint8Array.of(last ? id.sak : 0x04), true);
    }
    if ((id.sak & 0x20) === 0) return undefined; // SAK b6: compliant with ISO/IEC 14443-4 (14443-3 Table 9); otherwise no RATS
    await this.turn();
    const rats = encodeRats(this.fsdi, 0);
    await this.air(true, rats, true);
    const ats = this.card.rats(rats[1]!);
    if (!ats) {
      await this.wait(fwtUs(4));
      return undefined;
    }
    this.ats = ats.slice();
    await this.turn();
    await this.air(false, ats, true);
    const t0 = ats[1] ?? 0;
    const tb1 = (t0 & 0x20) !== 0 ? ats[2 + ((t0 & 0x10) !== 0 ? 1 : 0)] ?? 0x40 : 0x40;
    await this.wait(Math.max(FDT_MIN_US, sfgtUs(tb1 & 0x0f)));
    this.muted = false;
    this.link = new IsoDepLink(this, this.card, frameSize(t0 & 0x0f), frameSize(this.fsdi), fwtUs(tb1 >> 4));
    return this.link;
  }

  /** S(DESELECT) and its answer: the card leaves ISO-DEP, the field stays. */
  async deselect(): Promise<void> {
    const block = encodeIsoDepBlock({ type: 'S', kind: 'deselect', inf: new Uint8Array(0) });
    await this.air(true, block, true);
    this.card.deselect();
    await this.turn();
    await this.air(false, block, true);
    this.link = undefined;
  }

  /** The field goes away now: anything in flight rejects with FieldLost; the controller notifies its host. */
  leave(): void {
    if (!this.present) return;
    this.present = false;
    this.trace.field(this.nowUs(), false);
    this.trace.endUs = this.nowUs();
    for (const w of [...this.waiters]) {
      this.clock.cancel(w.event);
      w.reject(new FieldLost());
    }
    this.waiters.clear();
    this.unsubscribe();
    this.card.fieldOff();
    this.onLeave();
  }

  // --- for the ISO-DEP link ------------------------------------------------------------

  isMuted(): boolean {
    return this.muted;
  }

  /** A frame on air from its first bit: recorded, then its air time passes. */
  async air(toCard: boolean, bytes: Uint8Array, crc: boolean, airUs = frameAirUs(bytes.length + (crc ? 2 : 0))): Promise<void> {
    if (!this.present) throw new FieldLost();
    this.trace.frame(this.nowUs(), toCard, bytes, crc);
    await this.wait(airUs);
  }

  async block(toCard: boolean, block: IsoDepBlock): Promise<void> {
    await this.air(toCard, encodeIsoDepBlock(block), true);
  }

  /** The minimum frame delay between two frames. */
  turn(): Promise<void> {
    return this.wait(FDT_MIN_US);
  }

  /** Waits until `promise` settles (true) or `us` pass (false), whichever is first. */
  waitFor(promise: Promise<unknown>, us: number): Promise<boolean> {
    if (!this.present) return Promise.reject(new FieldLost());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        event: this.clock.scheduleIn(us / 1000, () => {
          this.waiters.delete(waiter);
          resolve(false);
        }, 'field: waiting for the host'),
        reject,
      };
      this.waiters.add(waiter);
      const done = () => {
        if (!this.waiters.delete(waiter)) return;
        this.clock.cancel(waiter.event);
        resolve(true);
      };
      promise.then(done, done);
    });
  }

  wait(us: number): Promise<void> {
    if (!this.present) return Promise.reject(new FieldLost());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        event: this.clock.scheduleIn(us / 1000, () => {
          this.waiters.delete(waiter);
          resolve();
        }, 'field: air time'),
        reject,
      };
      this.waiters.add(waiter);
    });
  }

  private nowUs(): number {
    return this.clock.nowMs() * 1000;
  }
}

/** UID CLn parts: 4 bytes; 7 = CT '88' + 3, then 4; 10 = CT + 3, CT + 3, 4 (ISO/IEC 14443-3 6.5.4). */
function cascade(uid: Uint8Array): Uint8Array[] {
  if (uid.length === 4) return [uid];
  if (uid.length === 7) return [Uint8Array.of(0x88, ...uid.subarray(0, 3)), uid.slice(3)];
  return [Uint8Array.of(0x88, ...uid.subarray(0, 3)), Uint8Array.of(0x88, ...uid.subarray(3, 6)), uid.slice(6)];
}
