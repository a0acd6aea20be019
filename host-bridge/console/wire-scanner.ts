/**
 * Splits what a board sends into the things the console client cares about,
 * whatever arrives around them (wire-format.ts and protocols/espruino/ have the byte layouts):
 *
 * - reply frames `STX id tag payload ETX id`;
 * - Espruino packets `DLE SOH hdr hdr data` and the ACK/NAK bytes (only
 *   when packet parsing is on, as uart.js's parsePackets);
 * - XON/XOFF flow control (anywhere but inside a packet, where bytes are data);
 * - everything else as raw lines (ended by "\n"; console-lines.ts cleans them).
 *
 * Recovery rules (the "resync at the next frame"):
 * - A frame is complete only when its closing id equals its opening id.
 *   A CR, LF, another STX or any control byte inside a frame, an id char
 *   that is not [0-9a-z], or a frame longer than maxFrameBytes breaks it:
 *   the broken frame is reported as `dropped` and scanning restarts at the
 *   byte that broke it (so a new STX starts the next frame at once).
 * - An ETX outside a frame is the tail of a frame we joined half-way (a
 *   half line on the wire): the partial line before it and the id after it
 *   are dropped.
 * - A packet longer than its header says cannot be detected; a packet that
 *   stays incomplete is abandoned by the caller after a timeout
 *   (abandonPacket(), uart.js uses 2 s) and its bytes reported as dropped.
 */
import { ACK, DLE, NAK, SOH, XOFF, XON } from '../../protocols/espruino/console-bytes';
import { decodePacketHeader } from '../../protocols/espruino/packet';
import { ETX, FRAME_ID_LENGTH, STX } from './wire-format';

export type WireEvent =
  | { kind: 'frame'; id: string; tag: string; payload: string }
  | { kind: 'line'; raw: string }
  | { kind: 'packet'; type: number; data: Buffer }
  | { kind: 'ack' }
  | { kind: 'nak' }
  | { kind: 'xon' }
  | { kind: 'xoff' }
  | { kind: 'dropped'; bytes: string; reason: string };

export interface WireScannerOptions {
  /** Parse DLE SOH packets and ACK/NAK (packet mode). Default false. */
  packets?: boolean;
  /** Longest frame payload kept before the frame counts as broken. Default 1 MiB. */
  maxFrameBytes?: number;
  /** Longest partial line kept; beyond it the line is emitted as is. Default 64 KiB. */
  maxLineBytes?: number;
}

type State =
  | { at: 'text' }
  | { at: 'dle' }
  | { at: 'stray-id'; left: number }
  | { at: 'frame-id'; id: string }
  | { at: 'frame-tag'; id: string }
  | { at: 'frame-payload'; id: string; tag: string; payload: string[]; size: number }
  | { at: 'frame-end'; id: string; tag: string; payload: string; end: string }
  | { at: 'packet-header'; bytes: number[] }
  | { at: 'packet-data'; type: number; length: number; data: number[] };

export class WireScanner {
  packets: boolean;
  private state: State = { at: 'text' };
  private line: string[] = [];
  private lineSize = 0;
  private readonly maxFrameBytes: number;
  private readonly maxLineBytes: number;

  constructor(options: WireScannerOptions = {}) {
    this.packets = options.packets ?? false;
    this.maxFrameBytes = options.maxFrameBytes ?? 1024 * 1024;
    this.maxLineBytes = options.maxLineBytes ?? 64 * 1024;
  }

  /** Whether a board packet is half received (the caller times it out). */
  get inPacket(): boolean {
    return this.state.at === 'packet-header' || this.state.at === 'packet-data';
  }

  /** The partial line so far (for diagnostics). */
  get partialLine(): string {
    return this.line.join('');
  }

  push(chunk: Buffer): WireEvent[] {
    const out: WireEvent[] = [];
    for (const byte of chunk) this.byte(byte, out);
    return out;
  }

  /** Gives up on a half-received packet: its bytes are dropped, scanning goes on as text. */
  abandonPacket(): WireEvent[] {
    const s = this.state;
    if (s.at !== 'packet-header' && s.at !== 'packet-data') return [];
    const bytes = s.at === 'packet-header' ? s.bytes : s.data;
    this.state = { at: 'text' };
    return [{ kind: 'dropped', bytes: '\x10\x01' + Buffer.from(bytes).toString('latin1'), reason: 'packet incomplete at timeout' }];
  }

  /** Forget everything half seen (after a reconnect). */
  reset(): void {
    this.state = { at: 'text' };
    this.line = [];
    this.lineSize = 0;
  }

  // -------------------------------------------------------------------------

  private byte(b: number, out: WireEvent[]): void {
    const s = this.state;
    // Flow control can come at any time, also while a frame is printed; inside a packet it is data.
    if ((b === XON || b === XOFF) && s.at !== 'packet-header' && s.at !== 'packet-data') {
      out.push({ kind: b === XON ? 'xon' : 'xoff' });
      return;
    }
    switch (s.at) {
      case 'text':
        return this.text(b, out);
      case 'dle':
        this.state = { at: 'text' };
        if (b === SOH) {
          this.state = { at: 'packet-header', bytes: [] };
          return;
        }
        return this.text(b, out); // a lone DLE is dropped, as uart.js does
      case 'stray-id':
        if (isIdChar(b) && s.left > 0) {
          this.state = s.left > 1 ? { at: 'stray-id', left: s.left - 1 } : { at: 'text' };
          return;
        }
        this.state = { at: 'text' };
        return this.text(b, out);
      case 'frame-id':
        if (!isIdChar(b)) return this.breakFrame('\x02' + s.id, 'bad frame id', b, out);
        s.id += String.fromCharCode(b);
        if (s.id.length === FRAME_ID_LENGTH) this.state = { at: 'frame-tag', id: s.id };
        return;
      case 'frame-tag':
        if (b < 0x20 || b >= 0x7f) return this.breakFrame('\x02' + s.id, 'bad frame tag', b, out);
        this.state = { at: 'frame-payload', id: s.id, tag: String.fromCharCode(b), payload: [], size: 0 };
        return;
      case 'frame-payload':
        if (b === ETX) {
          this.state = { at: 'frame-end', id: s.id, tag: s.tag, payload: s.payload.join(''), end: '' };
          return;
        }
        if (b < 0x20 || s.size >= this.maxFrameBytes) {
          return this.breakFrame('\x02' + s.id + s.tag + s.payload.join(''), b < 0x20 ? 'control byte inside a frame' : 'frame too long', b, out);
        }
        s.payload.push(String.fromCharCode(b));
        s.size++;
        return;
      case 'frame-end':
        if (!isIdChar(b) || s.id[s.end.length] !== String.fromCharCode(b)) {
          // the rest of the other id is not text either
          out.push({ kind: 'dropped', bytes: '\x02' + s.id + s.tag + s.payload + '\x03' + s.end, reason: 'closing id does not match' });
          this.state = { at: 'stray-id', left: FRAME_ID_LENGTH - s.end.length };
          return this.byte(b, out);
        }
        s.end += String.fromCharCode(b);
        if (s.end.length === FRAME_ID_LENGTH) {
          this.state = { at: 'text' };
          out.push({ kind: 'frame', id: s.id, tag: s.tag, payload: s.payload });
        }
        return;
      case 'packet-header':
        s.bytes.push(b);
        if (s.bytes.length === 2) {
          const { type, length } = decodePacketHeader(s.bytes[0]!, s.bytes[1]!);
          this.state = { at: 'packet-data', type, length, data: [] };
          this.packetDone(out);
        }
        return;
      case 'packet-data':
        s.data.push(b);
        this.packetDone(out);
        return;
    }
  }

  private text(b: number, out: WireEvent[]): void {
    if (b === STX) {
      this.state = { at: 'frame-id', id: '' };
      return;
    }
    if (b === ETX) {
      // the end of a frame whose start we never saw: drop that half line
      out.push({ kind: 'dropped', bytes: this.line.join('') + '\x03', reason: 'frame end without a start' });
      this.line = [];
      this.lineSize = 0;
      this.state = { at: 'stray-id', left: FRAME_ID_LENGTH };
      return;
    }
    if (this.packets) {
      if (b === DLE) {
        this.state = { at: 'dle' };
        return;
      }
      if (b === ACK || b === NAK) {
        out.push({ kind: b === ACK ? 'ack' : 'nak' });
        return;
      }
    }
    if (b === 0x0a) {
      out.push({ kind: 'line', raw: this.line.join('') });
      this.line = [];
      this.lineSize = 0;
      return;
    }
    this.line.push(String.fromCharCode(b));
    if (++this.lineSize >= this.maxLineBytes) {
      out.push({ kind: 'line', raw: this.line.join('') });
      this.line = [];
      this.lineSize = 0;
    }
  }

  /** A broken frame: report it and rescan from the byte that broke it. */
  private breakFrame(bytes: string, reason: string, b: number, out: WireEvent[]): void {
    out.push({ kind: 'dropped', bytes, reason });
    this.state = { at: 'text' };
    this.byte(b, out);
  }

  private packetDone(out: WireEvent[]): void {
    const s = this.state;
    if (s.at !== 'packet-data' || s.data.length < s.length) return;
    this.state = { at: 'text' };
    out.push({ kind: 'packet', type: s.type, data: Buffer.from(s.data) });
  }
}

function isIdChar(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a);
}
