// A secure element on an I2C stand-in for se-t1.ts's tests: it speaks T=1
// over I2C with protocols/t1's codecs (not the driver's), NACKs while "busy",
// serves a block as a byte stream (prologue, then the rest), and injects
// faults on demand.
import { decodeBlock, encodeBlock, rBlockErrorFor, type Block } from '../../../protocols/t1/block';
import { nextSendSequence, reassembleChain, segmentApdu, type ChainBlock } from '../../../protocols/t1/chaining';

export const SE_ADDRESS = 0x48;
export const ATR = new Uint8Array([0x00, 0xa0, 0x00, 0x00, 0x03, 0x96, 0x04, 0x03, 0xe8, 0x00, 0xfe]);

/** Faults applied to the SE's next frames, one per frame: a CRC bit flipped, an S(WTX) first, no answer, the host's next block taken as garbled. */
export type SeFault = 'crc' | 'wtx' | 'silent' | 'garbled-in';

const nack = (kind: 'Read' | 'Write') => new Error(`I2C ${kind} Error 33281\n`);

export class ScriptedSe implements I2CBus {
  /** Every block the host wrote, decoded by the codec. */
  readonly received: Block[] = [];
  readonly frames: Uint8Array[] = [];
  readonly apdus: Uint8Array[] = [];
  readonly faults: SeFault[] = [];
  /** Reads NACKed after each write (the SE working), and how many were NACKed in all. */
  busyReads = 0;
  nacks = 0;
  /** NACK every transfer (an SE that never answers). */
  dead = false;
  /** The WTX multiplier an injected S(WTX) asks for. */
  wtxMultiplier = 1;
  /** Reads NACKed after the host's S(WTX response). */
  busyAfterWtx = 0;
  /** The SE's own IFSD: how it cuts its responses. */
  chainSize = 254;
  answer: (apdu: Uint8Array) => Uint8Array = (apdu) => new Uint8Array([...apdu.slice(0, 2), 0x90, 0x00]);

  private ns: 0 | 1 = 0;
  private nr: 0 | 1 = 0;
  private chainIn: ChainBlock[] = [];
  private chainOut: ChainBlock[] = [];
  private chainAt = 0;
  private outgoing: Uint8Array | undefined;
  private readAt = 0;
  private last: Uint8Array | undefined;
  private stashed: Uint8Array | undefined;
  private nackLeft = 0;

  setup(): void {}

  writeTo(address: number, ...data: (number | string | Uint8Array | number[])[]): void {
    if (this.dead || address !== SE_ADDRESS) throw nack('Write');
    const frame = new Uint8Array(data[0] as Uint8Array);
    this.frames.push(frame);
    this.nackLeft = this.busyReads;
    this.onFrame(frame);
  }

  readFrom(address: number, quantity: number): Uint8Array {
    if (this.dead || address !== SE_ADDRESS || this.nackLeft > 0 || !this.outgoing) {
      this.nackLeft = Math.max(0, this.nackLeft - 1);
      this.nacks++;
      throw nack('Read');
    }
    const out = this.outgoing.slice(this.readAt, this.readAt + quantity);
    this.readAt += quantity;
    if (this.readAt >= this.outgoing.length) this.outgoing = undefined;
    return out;
  }

  private onFrame(frame: Uint8Array): void {
    const decoded = decodeBlock(frame, { expectNad: 0x5a });
    if (this.faults[0] === 'garbled-in') {
      this.faults.shift();
      return this.send({ type: 'R', nad: 0xa5, nr: this.nr, error: 'crc' });
    }
    if (!decoded.ok) return this.send({ type: 'R', nad: 0xa5, nr: this.nr, error: rBlockErrorFor(decoded.error.kind) });
    const block = decoded.value;
    this.received.push(block);
    if (block.type === 'S') {
      if (block.kind === 'wtx' && block.response) {
        this.nackLeft = this.busyAfterWtx;
        return this.emit(this.stashed!);
      }
      if (block.response) return this.resend();
      if (block.kind !== 'ifs') this.ns = this.nr = 0;
      return this.send({ type: 'S', nad: 0xa5, kind: block.kind, response: true, inf: block.kind === 'soft-reset' ? ATR : block.inf });
    }
    if (block.type === 'R') {
      const sent = this.chainOut[this.chainAt];
      if (sent && sent.more && block.error === 'none' && block.nr !== sent.ns) {
        this.chainAt++;
        return this.send(this.chainOut[this.chainAt]!);
      }
      return this.resend();
    }
    if (block.ns !== this.nr) return this.resend();
    this.nr = (this.nr ^ 1) as 0 | 1;
    this.chainIn.push(block);
    if (block.more) return this.send({ type: 'R', nad: 0xa5, nr: this.nr, error: 'none' });
    const joined = reassembleChain(this.chainIn);
    this.chainIn = [];
    if (!joined.ok) throw new Error(joined.error.detail);
    this.apdus.push(joined.value);
    this.chainOut = segmentApdu(this.answer(joined.value), this.chainSize, this.ns, 0xa5);
    this.ns = nextSendSequence(this.ns, this.chainOut.length);
    this.chainAt = 0;
    this.send(this.chainOut[0]!);
  }

  private resend(): void {
    this.emit(this.last!);
  }

  private send(block: Block): void {
    this.last = encodeBlock(block);
    this.emit(this.last);
  }

  /** Puts a frame out for the host to read, through the next fault. */
  private emit(frame: Uint8Array): void {
    const fault = this.faults.shift();
    this.readAt = 0;
    if (fault === 'silent') return void (this.outgoing = undefined);
    if (fault === 'wtx') {
      this.stashed = frame;
      this.outgoing = encodeBlock({ type: 'S', nad: 0xa5, kind: 'wtx', response: false, inf: new Uint8Array([this.wtxMultiplier]) });
      return;
    }
    this.outgoing = frame.slice();
    const at = frame.length - 1;
    if (fault === 'crc') this.outgoing[at] = this.outgoing[at]! ^ 0x01;
  }
}
