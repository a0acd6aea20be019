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
 * packets with PBF set on all but the last; incoming segments are joined
 * (control and data apart; an unfinished control message is dropped when
 * another one starts). One command is outstanding at a time; its response
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
  /** Data packets (NCI 2.0 3.4.3), joined: connection ID and payload. */
  onData?: (connId: number, payload: Uint8Array) => void;
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
  /** The controller's Max Control Packet Payload Size (CORE_INIT_RSP), at most 252: see I2C framing above. */
  maxControlPayload = 252;
  private readonly i2c: I2CBus;
  private readonly irq: Pin;
  private readonly addr: number;
  private readonly timeoutMs: number;
  private readonly pollMs: number;
  private readonly onEvent: ((event: NciEvent) => void) | undefined;
  private readonly onData: ((connId: number, payload: Uint8Array) => void) | undefined;
  private readonly watch: number;
  /** The outstanding command: its callback, MT/GID byte and OID, its unsent bytes. */
  private done: NciDone | undefined;
  private cmd = 0;
  private oid = 0;
  private tx: Uint8Array | undefined;
  private txAt = 0;
  private tries = 0;
  private timer: TimerId | undefined;
  private retry: TimerId | undefined;
  /** Unfinished incoming messages, [data, control]: the first header's two bytes (PBF cleared), and the segments. */
  private rxKey = [-1, -1];
  private rx: Uint8Array[][] = [[], []];
  private stuck = 0;

  constructor(options: NciOptions) {
    this.i2c = options.i2c;
    this.irq = options.irq;
    this.addr = options.address || 0x28;
    this.timeoutMs = options.timeoutMs || 1000;
    this.pollMs = options.pollMs || 5;
    this.onEvent = options.onEvent;
    this.onData = options.onData;
    this.watch = setWatch(() => this.service(), options.irq, { edge: 'rising', repeat: true });
    // A packet already waiting (CORE_RESET_NTF after power-on) raised IRQ before the watch: no edge will come for it.
    if (options.irq.read()) setTimeout(serviceLater, 0, this);
  }

  /** Stops listening to IRQ. */
  close(): void {
    clearWatch(this.watch);
  }

  /** Sends one command (gid, oid, payload) and calls back with its response's payload. */
  command(gid: number, oid: number, payload: Uint8Array, done: NciDone): void {
    if (this.done) return done('busy');
    this.done = done;
    this.cmd = 0x20 | gid;
    this.oid = oid;
    this.tx = payload;
    this.txAt = 0;
    this.tries = 4;
    this.timer = setTimeout(timeoutLater, this.timeoutMs, this);
    this.write();
  }

  /** CORE_RESET_CMD (4.1): 0 keeps the RF configuration, 1 resets it. NCI 2.0: CORE_RESET_NTF follows the response. */
  reset(resetType: number, done: NciDone): void {
    this.command(0, 0, bytes([resetType]), done);
  }

  /** CORE_INIT_CMD, NCI 2.0 form (4.2: two Feature Enable octets '00 00'); takes the Max Control Packet Payload Size from the response. */
  init(done: NciDone): void {
    this.command(0, 1, bytes([0, 0]), (error, p) => {
      if (!error && p && p[8]) this.maxControlPayload = Math.min(p[8], 252);
      done(error, p);
    });
  }

  /** CORE_SET_CONFIG_CMD (4.3.1) with one parameter, e.g. RF_FIELD_INFO '80' = 01 to get RF_FIELD_INFO_NTF. */
  setConfig(id: number, value: Uint8Array, done: NciDone): void {
    this.command(0, 2, concatBytes([bytes([1, id, value.length]), value]), done);
  }

  /** NFCEE_DISCOVER_CMD (NCI 2.0: no payload); NFCEE_DISCOVER_NTFs follow. */
  nfceeDiscover(done: NciDone): void {
    this.command(2, 0, bytes([]), done);
  }

  /** NFCEE_MODE_SET_CMD: enable or disable one NFCEE; NCI 2.0's NFCEE_MODE_SET_NTF follows. */
  nfceeModeSet(nfceeId: number, enable: boolean, done: NciDone): void {
    this.command(2, 1, bytes([nfceeId, enable ? 1 : 0]), done);
  }

  /** RF_SET_LISTEN_MODE_ROUTING_CMD (6.3): entries from `routeEntry`; `more` when another command continues the table. */
  setRouting(entries: Uint8Array[], done: NciDone, more?: boolean): void {
    this.command(1, 1, concatBytes([bytes([more ? 1 : 0, entries.length])].concat(entries)), done);
  }

  /** RF_DISCOVER_CMD (7.1), each technology and mode every period; default listen NFC-A ('80'). */
  discover(done: NciDone, techModes?: number[]): void {
    const modes = techModes || [0x80];
    const p = new Uint8Array(modes.length * 2 + 1);
    p[0] = modes.length;
    for (let i = 0; i < modes.length; i++) {
      p[1 + 2 * i] = modes[i]!;
      p[2 + 2 * i] = 1;
    }
    this.command(1, 3, p, done);
  }

  /** RF_DEACTIVATE_CMD (7.3): 0 idle (discovery stops), 1 sleep, 2 sleep AF, 3 back to discovery. */
  deactivate(type: number, done: NciDone): void {
    this.command(1, 6, bytes([type]), done);
  }

  /** NXP CORE_SET_POWER_MODE_CMD (UM10936 9.6.1): standby on (the controller sleeps between fields) or off. */
  setPowerMode(standby: boolean, done: NciDone): void {
    this.command(0xf, 0, bytes([standby ? 1 : 0]), done);
  }

  /** Writes the command's remaining packets; a NACK (the controller waking) is tried again after pollMs. */
  write(): void {
    const tx = this.tx;
    this.retry = undefined;
    if (!tx) return;
    try {
      do {
        const len = Math.min(this.maxControlPayload, tx.length - this.txAt);
        const more = this.txAt + len < tx.length;
        const packet = new Uint8Array(len + 3);
        packet[0] = this.cmd | (more ? 0x10 : 0);
        packet[1] = this.oid;
        packet[2] = len;
        packet.set(tx.subarray(this.txAt, this.txAt + len), 3);
        this.i2c.writeTo(this.addr, packet);
        this.txAt += len;
      } while (this.txAt < tx.length);
    } catch (e) {
      if (--this.tries > 0) this.retry = setTimeout(writeLater, this.pollMs, this);
      else this.finish('write');
    }
  }

  /** Reads packets while IRQ is high: the header, then the payload (UM10936, I2C read in two parts). */
  service(): void {
    const bus = this.i2c;
    for (let n = 0; n < 8 && this.irq.read(); n++) {
      let head: Uint8Array;
      let payload: Uint8Array;
      try {
        head = bus.readFrom(this.addr, 3);
        payload = head[2] ? bus.readFrom(this.addr, head[2]) : bytes([]);
      } catch (e) {
        break;
      }
      this.stuck = 0;
      this.packet(head[0]!, head[1]!, payload);
    }
    if (this.irq.read() && ++this.stuck < 100) setTimeout(serviceLater, this.pollMs, this);
  }

  timeout(): void {
    this.timer = undefined;
    this.finish('timeout');
  }

  private packet(b0: number, b1: number, payload: Uint8Array): void {
    const mt = b0 >> 5;
    if (mt > 3) return;
    const c = mt ? 1 : 0;
    const key = ((b0 & 0xef) << 8) | b1;
    if (this.rxKey[c] !== key) this.rx[c] = [];
    this.rxKey[c] = key;
    this.rx[c]!.push(payload);
    if (b0 & 0x10) return;
    const whole = concatBytes(this.rx[c]!);
    this.rx[c] = [];
    this.rxKey[c] = -1;
    const gid = b0 & 15;
    const oid = b1 & 63;
    if (mt === 0) {
      if (this.onData) this.onData(gid, whole);
    } else if (mt === 2) {
      if (this.done && (b0 & 0x0f) === (this.cmd & 0x0f) && oid === this.oid) this.finish(whole[0] ? 'status ' + whole[0] : undefined, whole);
    } else if (mt === 3 && this.onEvent) {
      this.onEvent(decodeNotification(gid, oid, whole));
    }
  }

  private finish(error: string | undefined, payload?: Uint8Array): void {
    const done = this.done;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.done = this.tx = this.timer = this.retry = undefined;
    if (done) done(error, payload);
  }
}

// ---------------------------------------------------------------------------

/** A number on Espruino; whatever the host's timers return in tests. */
type TimerId = ReturnType<typeof setTimeout>;

// setTimeout's extra argument carries the driver: no closure per timer.
function timeoutLater(t: NfcNci): void {
  t.timeout();
}
function writeLater(t: NfcNci): void {
  t.write();
}
function serviceLater(t: NfcNci): void {
  t.service();
}

function bytes(values: number[]): Uint8Array {
  return new Uint8Array(values);
}
