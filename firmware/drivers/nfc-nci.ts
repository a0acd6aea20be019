/**
 * The NFC controller's host driver: NCI 2.0 control messages over I2C with
 * an interrupt line (NFC Forum NCI 2.0, 2017-03-30; I2C framing as NXP's
 * PN7150, UM10936 rev 2.06: the controller raises IRQ while it has a packet
 * for the host, which reads the 3-byte header, then the payload).
 * protocols/nci/ is the reference codec; nfc-nci.test.ts proves the bytes
 * this driver sends equal its bytes and that every notification it encodes
 * decodes here.
 *
 *   control packet  MT(3) PBF(1) GID(4) | RFU(2) OID(6) | L | payload[L]   (NCI 2.0 3.4.2)
 *
 * Segmentation (3.5): a message longer than the controller's Max Control
 * Packet Payload Size goes out in
 * packets with PBF set on all but the last; incoming control segments are
 * joined (an unfinished message is dropped when another one starts). Data
 * packets (3.4.3: an RF interface activated toward the host) are read and
 * dropped: card emulation routes every AID to the SE, and the strap has no
 * card of its own. One command is outstanding at a time; its response
 * (or 'timeout', 'busy', 'write') reaches its callback, with an error when
 * the response's status octet is not STATUS_OK. Notifications reach
 * `onEvent`, decoded where card emulation needs them.
 *
 * The nRF52832's TWI moves at most 255 bytes per transfer (EasyDMA MAXCNT
 * is 8 bits), so packets written stay within 255 bytes: payloads of at most
 * 252, whatever CORE_INIT_RSP allows. Reads are the header, then at most 255.
 *
 * Given its bus and IRQ pin by boot/, in the manner of the other drivers.
 */

import { concatBytes } from './concat-bytes';

export interface NciOptions {
  i2c: I2CBus;
  /** The controller's IRQ output (board/strap-pins.ts NFC_IRQ): high while it has a packet for us. */
  irq: Pin;
  /** 7-bit I2C address; PN7150 '28'. */
  address?: number;
  /** How long a command waits for its response (ms). */
  timeoutMs?: number;
  /** Retry interval for a NACKed write (the controller waking from standby) or a read that failed (ms). */
  pollMs?: number;
  onEvent?: (event: NciEvent) => void;
}

/** `error` undefined on STATUS_OK: 'busy', 'timeout', 'write' (the controller never took it), 'status <n>' (the payload has the rest). */
export type NciDone = (error: string | undefined, payload?: Uint8Array) => void;

/**
 * Notifications, with the field names of protocols/nci's codecs: only the two
 * card emulation reads are decoded; every other one (CORE_RESET_NTF,
 * RF_INTF_ACTIVATED_NTF...) is passed on as 'other', its payload undecoded.
 */
export type NciEvent =
  | { kind: 'field'; fieldOn: boolean }
  | { kind: 'action'; nfceeId: number; trigger: number; data: Uint8Array }
  | { kind: 'other' | 'malformed'; gid: number; oid: number; payload: Uint8Array };

/** Listen-mode routing entry types (NCI 2.0 6.3). */
export const ROUTE_TECHNOLOGY = 0;
export const ROUTE_PROTOCOL = 1;
export const ROUTE_AID = 2;

/** One listen-mode routing entry (6.3): type (with qualifiers), length, route (NFCEE ID), power state, value. */
export function routeEntry(type: number, route: number, powerState: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(value.length + 4);
  out[0] = type;
  out[1] = value.length + 2;
  out[2] = route;
  out[3] = powerState;
  out.set(value, 4);
  return out;
}

/** RF_FIELD_INFO_NTF (5.3) and RF_NFCEE_ACTION_NTF (layout: protocols/nci/rf.ts) decoded, 'malformed' when their length is wrong; any other notification is 'other'. */
export function decodeNotification(gid: number, oid: number, p: Uint8Array): NciEvent {
  const n = p.length;
  if (gid === 1 && oid === 7 && n === 1) return { kind: 'field', fieldOn: p[0] === 1 };
  if (gid === 1 && oid === 9 && n > 2 && n === 3 + p[2]!) return { kind: 'action', nfceeId: p[0]!, trigger: p[1]!, data: p.subarray(3) };
  return { kind: gid === 1 && (oid === 7 || oid === 9) ? 'malformed' : 'other', gid, oid, payload: p };
}

export class NfcNci {
  /** The controller's Max Control Packet Payload Size (CORE_INIT_RSP, `coreInit`), at most 252: see I2C framing above. */
  max = 252;
  // Its fields' names stay within the 4 characters an Espruino variable holds (longer ones take another).
  private readonly bus: I2CBus;
  private readonly irq: Pin;
  private readonly addr: number;
  /** How long a command waits for its response, how long before a NACKed write or a failed read is tried again (ms). */
  private readonly wait: number;
  private readonly poll: number;
  private readonly onEv: ((event: NciEvent) => void) | undefined;
  /** The IRQ watch (`closeNci` clears it). */
  readonly wid: number;
  /** The outstanding command: its callback, MT/GID byte and OID, its unsent bytes. */
  private done: NciDone | undefined;
  private cmd = 0;
  // Not `oid`: the minifier shortens a private name everywhere, the notifications' `oid` key with it.
  private coid = 0;
  private tx: Uint8Array | undefined;
  private txAt = 0;
  private left = 0;
  private tmr: TimerId | undefined;
  private rtry: TimerId | undefined;
  /** The unfinished incoming control message: its first header's two bytes (PBF cleared), and its segments. */
  private key = -1;
  private rx: Uint8Array[] = [];
  private stck = 0;

  constructor(options: NciOptions) {
    this.bus = options.i2c;
    this.irq = options.irq;
    this.addr = options.address || 0x28;
    this.wait = options.timeoutMs || 1000;
    this.poll = options.pollMs || 5;
    this.onEv = options.onEvent;
    // Bound, not an arrow: an arrow would keep the constructor's scope (the options) for as long as the watch.
    this.wid = setWatch(this.service.bind(this), options.irq, { edge: 'rising', repeat: true });
    // A packet already waiting (CORE_RESET_NTF after power-on) raised IRQ before the watch: no edge will come for it.
    if (options.irq.read()) setTimeout(later, 0, this, 'service');
  }

  /** Sends one command (gid, oid, payload) and calls back with its response's payload. */
  command(gid: number, oid: number, payload: Uint8Array, done: NciDone): void {
    if (this.done) return done('busy');
    this.done = done;
    this.cmd = 0x20 | gid;
    this.coid = oid;
    this.tx = payload;
    this.txAt = 0;
    this.left = 4;
    this.tmr = setTimeout(later, this.wait, this, 'timeout');
    this.write();
  }

  /** Writes the command's remaining packets; a NACK (the controller waking) is tried again after `poll` ms. */
  write(): void {
    const tx = this.tx;
    this.rtry = undefined;
    if (!tx) return;
    try {
      do {
        const len = Math.min(this.max, tx.length - this.txAt);
        const more = this.txAt + len < tx.length;
        const packet = new Uint8Array(len + 3);
        packet[0] = this.cmd | (more ? 0x10 : 0);
        packet[1] = this.coid;
        packet[2] = len;
        packet.set(tx.subarray(this.txAt, this.txAt + len), 3);
        this.bus.writeTo(this.addr, packet);
        this.txAt += len;
      } while (this.txAt < tx.length);
    } catch (e) {
      if (--this.left > 0) this.rtry = setTimeout(later, this.poll, this, 'write');
      else this.finish('write');
    }
  }

  /**
   * Reads packets while IRQ is high: the header, then the payload (UM10936, I2C read in two parts); joins
   * control segments (a message's first header's two bytes, PBF cleared, are its key), and hands each whole
   * response or notification on.
   */
  service(): void {
    const bus = this.bus;
    for (let n = 0; n < 8 && this.irq.read(); n++) {
      let head: Uint8Array;
      let payload: Uint8Array;
      try {
        head = bus.readFrom(this.addr, 3);
        payload = head[2] ? bus.readFrom(this.addr, head[2]) : new Uint8Array(0);
      } catch (e) {
        break;
      }
      this.stck = 0;
      const b0 = head[0]!;
      const b1 = head[1]!;
      const mt = b0 >> 5;
      // Data packets (MT 0) and RFU message types are dropped.
      if (mt === 0 || mt > 3) continue;
      const key = ((b0 & 0xef) << 8) | b1;
      if (this.key !== key) this.rx = [];
      this.key = key;
      this.rx.push(payload);
      if (b0 & 0x10) continue;
      const whole = concatBytes(this.rx);
      this.rx = [];
      this.key = -1;
      const oid = b1 & 63;
      if (mt === 2) {
        if (this.done && (b0 & 0x0f) === (this.cmd & 0x0f) && oid === this.coid) this.finish(whole[0] ? 'status ' + whole[0] : undefined, whole);
      } else if (mt === 3 && this.onEv) {
        this.onEv(decodeNotification(b0 & 15, oid, whole));
      }
    }
    if (this.irq.read() && ++this.stck < 100) setTimeout(later, this.poll, this, 'service');
  }

  timeout(): void {
    this.tmr = undefined;
    this.finish('timeout');
  }

  private finish(error: string | undefined, payload?: Uint8Array): void {
    const done = this.done;
    if (this.tmr !== undefined) clearTimeout(this.tmr);
    if (this.rtry !== undefined) clearTimeout(this.rtry);
    this.done = this.tx = this.tmr = this.rtry = undefined;
    if (done) done(error, payload);
  }
}

// The commands, as functions beside the class: the bundle keeps only those the firmware calls (card
// emulation sends its sequence through `command`), and a class's methods cost Espruino variables whether
// called or not.

/** Stops listening to IRQ. */
export function closeNci(nci: NfcNci): void {
  clearWatch(nci.wid);
}

/** CORE_RESET_CMD (4.1): 0 keeps the RF configuration, 1 resets it. NCI 2.0: CORE_RESET_NTF follows the response. */
export function coreReset(nci: NfcNci, resetType: number, done: NciDone): void {
  nci.command(0, 0, new Uint8Array([resetType]), done);
}

/** CORE_INIT_CMD, NCI 2.0 form (4.2: two Feature Enable octets '00 00'); takes the Max Control Packet Payload Size from the response. */
export function coreInit(nci: NfcNci, done: NciDone): void {
  nci.command(0, 1, new Uint8Array([0, 0]), function (error, p) {
    if (!error && p && p[8]) nci.max = Math.min(p[8], 252);
    done(error, p);
  });
}

/** CORE_SET_CONFIG_CMD (4.3.1) with one parameter, e.g. RF_FIELD_INFO '80' = 01 to get RF_FIELD_INFO_NTF. */
export function coreSetConfig(nci: NfcNci, id: number, value: Uint8Array, done: NciDone): void {
  nci.command(0, 2, concatBytes([new Uint8Array([1, id, value.length]), value]), done);
}

/** NFCEE_DISCOVER_CMD (NCI 2.0: no payload); NFCEE_DISCOVER_NTFs follow. */
export function nfceeDiscover(nci: NfcNci, done: NciDone): void {
  nci.command(2, 0, new Uint8Array(0), done);
}

/** NFCEE_MODE_SET_CMD: enable or disable one NFCEE; NCI 2.0's NFCEE_MODE_SET_NTF follows. */
export function nfceeModeSet(nci: NfcNci, nfceeId: number, enable: boolean, done: NciDone): void {
  nci.command(2, 1, new Uint8Array([nfceeId, enable ? 1 : 0]), done);
}

/** RF_SET_LISTEN_MODE_ROUTING_CMD (6.3): entries from `routeEntry`; `more` when another command continues the table. */
export function rfSetRouting(nci: NfcNci, entries: Uint8Array[], done: NciDone, more?: boolean): void {
  const head: Uint8Array[] = [new Uint8Array([more ? 1 : 0, entries.length])];
  nci.command(1, 1, concatBytes(head.concat(entries)), done);
}

/** RF_DISCOVER_CMD (7.1), each technology and mode every period; default listen NFC-A ('80'). */
export function rfDiscover(nci: NfcNci, done: NciDone, techModes?: number[]): void {
  const modes = techModes || [0x80];
  const p = new Uint8Array(modes.length * 2 + 1);
  p[0] = modes.length;
  for (let i = 0; i < modes.length; i++) {
    p[1 + 2 * i] = modes[i]!;
    p[2 + 2 * i] = 1;
  }
  nci.command(1, 3, p, done);
}

/** RF_DEACTIVATE_CMD (7.3): 0 idle (discovery stops), 1 sleep, 2 sleep AF, 3 back to discovery. */
export function rfDeactivate(nci: NfcNci, type: number, done: NciDone): void {
  nci.command(1, 6, new Uint8Array([type]), done);
}

/** NXP CORE_SET_POWER_MODE_CMD (UM10936 9.6.1): standby on (the controller sleeps between fields) or off. */
export function nxpSetPowerMode(nci: NfcNci, standby: boolean, done: NciDone): void {
  nci.command(0xf, 0, new Uint8Array([standby ? 1 : 0]), done);
}

// ---------------------------------------------------------------------------

/** A number on Espruino; whatever the host's timers return in tests. */
type TimerId = ReturnType<typeof setTimeout>;

/** Every timer's function: setTimeout's extra arguments carry the driver and the method to run (no closure per timer). */
function later(t: NfcNci, method: 'write' | 'service' | 'timeout'): void {
  t[method]();
}
