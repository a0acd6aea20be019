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

// The driver's state is this module's: the strap has one controller, and module-level functions and variables
// cost Espruino no prototype, `constructor` link or instance (a timer runs a function here, no bound method).
// `openNci` starts it afresh (a test opens one per case).

/** The controller's Max Control Packet Payload Size (CORE_INIT_RSP, `coreInit`), at most 252: see I2C framing above. */
let max = 252;
let bus: I2CBus;
let irq: Pin;
let addr: number;
/** How long a command waits for its response, how long before a NACKed write or a failed read is tried again (ms). */
let wait: number;
let poll: number;
let onEv: ((event: NciEvent) => void) | undefined;
/** The IRQ watch (`closeNci` clears it). */
let wid: number;
/** The outstanding command: its callback, MT/GID byte and OID, its unsent bytes. */
let pending: NciDone | undefined;
let cmd = 0;
let coid = 0;
let tx: Uint8Array | undefined;
let txAt = 0;
let left = 0;
let tmr: TimerId | undefined;
let rtry: TimerId | undefined;
/** The unfinished incoming control message: its first header's two bytes (PBF cleared), and its segments. */
let rxKey = -1;
let rx: Uint8Array[] = [];
let stck = 0;

/** Starts the driver on its bus and IRQ pin: watches IRQ, and reads a packet already waiting. */
export function openNci(options: NciOptions): void {
  max = 252;
  bus = options.i2c;
  irq = options.irq;
  addr = options.address || 0x28;
  wait = options.timeoutMs || 1000;
  poll = options.pollMs || 5;
  onEv = options.onEvent;
  pending = tx = tmr = rtry = undefined;
  rxKey = -1;
  rx = [];
  stck = 0;
  wid = setWatch(service, irq, { edge: 'rising', repeat: true });
  // A packet already waiting (CORE_RESET_NTF after power-on) raised IRQ before the watch: no edge will come for it.
  if (irq.read()) setTimeout(service, 0);
}

/** Sends one command (gid, oid, payload) and calls back with its response's payload (card emulation's sequences). */
export function command(gid: number, oid: number, payload: Uint8Array, done: NciDone): void {
  if (pending) return done('busy');
  pending = done;
  cmd = 0x20 | gid;
  coid = oid;
  tx = payload;
  txAt = 0;
  left = 4;
  tmr = setTimeout(timeout, wait);
  write();
}

/** Writes the command's remaining packets; a NACK (the controller waking) is tried again after `poll` ms. */
function write(): void {
  const bytes = tx;
  rtry = undefined;
  if (!bytes) return;
  try {
    do {
      const len = Math.min(max, bytes.length - txAt);
      const more = txAt + len < bytes.length;
      const packet = new Uint8Array(len + 3);
      packet[0] = cmd | (more ? 0x10 : 0);
      packet[1] = coid;
      packet[2] = len;
      packet.set(bytes.subarray(txAt, txAt + len), 3);
      bus.writeTo(addr, packet);
      txAt += len;
    } while (txAt < bytes.length);
  } catch (e) {
    if (--left > 0) rtry = setTimeout(write, poll);
    else finish('write');
  }
}

/**
 * Reads packets while IRQ is high: the header, then the payload (UM10936, I2C read in two parts); joins
 * control segments (a message's first header's two bytes, PBF cleared, are its key), and hands each whole
 * response or notification on.
 */
function service(): void {
  for (let n = 0; n < 8 && irq.read(); n++) {
    let head: Uint8Array;
    let payload: Uint8Array;
    try {
      head = bus.readFrom(addr, 3);
      payload = head[2] ? bus.readFrom(addr, head[2]) : new Uint8Array(0);
    } catch (e) {
      break;
    }
    stck = 0;
    const b0 = head[0]!;
    const b1 = head[1]!;
    const mt = b0 >> 5;
    // Data packets (MT 0) and RFU message types are dropped.
    if (mt === 0 || mt > 3) continue;
    const key = ((b0 & 0xef) << 8) | b1;
    if (rxKey !== key) rx = [];
    rxKey = key;
    rx.push(payload);
    if (b0 & 0x10) continue;
    const whole = concatBytes(rx);
    rx = [];
    rxKey = -1;
    const oid = b1 & 63;
    if (mt === 2) {
      if (pending && (b0 & 0x0f) === (cmd & 0x0f) && oid === coid) finish(whole[0] ? 'status ' + whole[0] : undefined, whole);
    } else if (mt === 3 && onEv) {
      onEv(decodeNotification(b0 & 15, oid, whole));
    }
  }
  if (irq.read() && ++stck < 100) setTimeout(service, poll);
}

function timeout(): void {
  tmr = undefined;
  finish('timeout');
}

function finish(error: string | undefined, payload?: Uint8Array): void {
  const done = pending;
  if (tmr !== undefined) clearTimeout(tmr);
  if (rtry !== undefined) clearTimeout(rtry);
  pending = tx = tmr = rtry = undefined;
  if (done) done(error, payload);
}

// The commands, as functions beside the driver: the bundle keeps only those the firmware calls (card
// emulation sends its sequence through `command`).

/** Stops listening to IRQ. */
export function closeNci(): void {
  clearWatch(wid);
}

/** CORE_RESET_CMD (4.1): 0 keeps the RF configuration, 1 resets it. NCI 2.0: CORE_RESET_NTF follows the response. */
export function coreReset(resetType: number, done: NciDone): void {
  command(0, 0, new Uint8Array([resetType]), done);
}

/** CORE_INIT_CMD, NCI 2.0 form (4.2: two Feature Enable octets '00 00'); takes the Max Control Packet Payload Size from the response. */
export function coreInit(done: NciDone): void {
  command(0, 1, new Uint8Array([0, 0]), function (error, p) {
    if (!error && p && p[8]) max = Math.min(p[8], 252);
    done(error, p);
  });
}

/** CORE_SET_CONFIG_CMD (4.3.1) with one parameter, e.g. RF_FIELD_INFO '80' = 01 to get RF_FIELD_INFO_NTF. */
export function coreSetConfig(id: number, value: Uint8Array, done: NciDone): void {
  command(0, 2, concatBytes([new Uint8Array([1, id, value.length]), value]), done);
}

/** NFCEE_DISCOVER_CMD (NCI 2.0: no payload); NFCEE_DISCOVER_NTFs follow. */
export function nfceeDiscover(done: NciDone): void {
  command(2, 0, new Uint8Array(0), done);
}

/** NFCEE_MODE_SET_CMD: enable or disable one NFCEE; NCI 2.0's NFCEE_MODE_SET_NTF follows. */
export function nfceeModeSet(nfceeId: number, enable: boolean, done: NciDone): void {
  command(2, 1, new Uint8Array([nfceeId, enable ? 1 : 0]), done);
}

/** RF_SET_LISTEN_MODE_ROUTING_CMD (6.3): entries from `routeEntry`; `more` when another command continues the table. */
export function rfSetRouting(entries: Uint8Array[], done: NciDone, more?: boolean): void {
  const head: Uint8Array[] = [new Uint8Array([more ? 1 : 0, entries.length])];
  command(1, 1, concatBytes(head.concat(entries)), done);
}

/** RF_DISCOVER_CMD (7.1), each technology and mode every period; default listen NFC-A ('80'). */
export function rfDiscover(done: NciDone, techModes?: number[]): void {
  const modes = techModes || [0x80];
  const p = new Uint8Array(modes.length * 2 + 1);
  p[0] = modes.length;
  for (let i = 0; i < modes.length; i++) {
    p[1 + 2 * i] = modes[i]!;
    p[2 + 2 * i] = 1;
  }
  command(1, 3, p, done);
}

/** RF_DEACTIVATE_CMD (7.3): 0 idle (discovery stops), 1 sleep, 2 sleep AF, 3 back to discovery. */
export function rfDeactivate(type: number, done: NciDone): void {
  command(1, 6, new Uint8Array([type]), done);
}

/** NXP CORE_SET_POWER_MODE_CMD (UM10936 9.6.1): standby on (the controller sleeps between fields) or off. */
export function nxpSetPowerMode(standby: boolean, done: NciDone): void {
  command(0xf, 0, new Uint8Array([standby ? 1 : 0]), done);
}

// ---------------------------------------------------------------------------

/** A number on Espruino; whatever the host's timers return in tests. */
type TimerId = ReturnType<typeof setTimeout>;
