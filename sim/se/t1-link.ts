/**
 * The SE's host interface: an I2C device speaking T=1 over I2C as NXP's SE05x
 * does (NXP UM11225 rev 1.2; block layout and CRC in protocols/t1/block.ts,
 * chaining in protocols/t1/chaining.ts).
 *
 * What it does, and where the rule comes from:
 *   - one I2C write carries one whole block from the host (NAD '5A'); the SE
 *     answers with one block (NAD 'A5') that the host reads in as many reads
 *     as it likes (NXP's middleware reads 2 bytes, then LEN, then LEN + 2;
 *     phNxpEse_readPacket);
 *   - while the SE works on a block it does not acknowledge its address and
 *     the host polls: we could not read UM11225's own wording here, so the
 *     rule is taken from NXP's host middleware for UM11225
 *     (phNxpEse_readPacket: a 2-byte read every ESE_POLL_DELAY_MS = 1 ms until
 *     the start of frame 'A5' comes, a failed read meaning "not ready yet");
 *     that writes are refused the same way while busy is our choice. The
 *     answer is ready after the modelled processing time (timing.ts);
 *   - I-blocks: N(S) alternates from 0 on each side; a chained block (M = 1)
 *     is acknowledged by R(N(R) = the next N(S) expected); an answer longer
 *     than IFSD goes out chained and each next block waits for the host's
 *     R-block (ISO/IEC 7816-3:2006 11.6.2.1, UM11225 2.1.1.2.1);
 *   - a block the SE cannot read (CRC, LEN, NAD, PCB) or that breaks the
 *     protocol is answered R(N(R) = expected, error 'crc' for a CRC error and
 *     'other' for the rest) (ISO/IEC 7816-3 11.6.3.2 rule 7.1/7.2, UM11225
 *     2.1.1.2.2); an R-block that does not acknowledge our chained block asks
 *     for the last block again (rule 7.1);
 *   - S-blocks (UM11225 Table 10): RESYNCH (sequence numbers back to 0),
 *     IFS (the host's IFSD, 1-254, echoed), ABORT (chains dropped), WTX (the
 *     SE asks when an APDU takes longer than BWT; the host echoes the
 *     multiplier), interface soft reset and GET ATR (answered with the ATR),
 *     END OF APDU SESSION (protocol context reset, the SE may power down),
 *     chip reset (answered, then the SE resets).
 * Nothing throws out of write()/read() but I2CAddressNack.
 */
import type { I2CDevice } from '../board/buses/i2c-bus';
import { I2CAddressNack } from '../board/buses/i2c-bus';
import { MAX_INF, NAD_HOST_TO_SE, NAD_SE_TO_HOST, decodeBlock, encodeBlock, rBlockErrorFor } from '../../protocols/t1/block';
import type { Block, RBlockError, SBlockKind } from '../../protocols/t1/block';
import { nextSendSequence, segmentApdu } from '../../protocols/t1/chaining';
import type { ChainBlock } from '../../protocols/t1/chaining';
import type { VirtualClock } from '../clock/virtual-clock';
import type { SeTiming } from './timing';
import { concatBytes } from '../../protocols/bytes';

/** SE050 default 7-bit I2C address (SE050 datasheet: '48'). */
export const SE050_I2C_ADDRESS = 0x48;
/** The SE's IFSC and its default IFSD towards the host: [254], the largest a one-byte LEN carries (UM11225 2.1.2.1). */
export const DEFAULT_IFS = MAX_INF;
/** The longest APDU the SE accepts in one chain (an extended APDU, ISO/IEC 7816-4 5.1). */
const MAX_APDU = 65544;

/** What the link needs from the rest of the SE. */
export interface T1LinkHost {
  readonly clock: VirtualClock;
  readonly timing: SeTiming;
  /** SE_EN high and awake (past the wake-up time). */
  acceptsTraffic(): boolean;
  /** One APDU; undefined when the SE lost power doing it (a cut injected at a non-volatile write). */
  apdu(command: Uint8Array): { response: Uint8Array; processingUs: number } | undefined;
  atr(): Uint8Array;
  endOfSession(): void;
  chipReset(): void;
  activity(): void;
}

interface Outgoing {
  frame: Uint8Array;
  offset: number;
  readyAtMs: number;
}

export class T1OverI2C implements I2CDevice {
  /** The host's IFSD: the largest INF the SE sends (S(IFS) changes it). */
  ifsd = DEFAULT_IFS;
  private hostNs: 0 | 1 = 0;
  private seNs: 0 | 1 = 0;
  private rxChain: Uint8Array[] = [];
  private rxLength = 0;
  private txChain: ChainBlock[] = [];
  private lastSent: Block | undefined;
  private out: Outgoing | undefined;
  /** The answer held back behind an S(WTX request), and its WTX multiplier. */
  private afterWtx: { block: Block; rest: ChainBlock[]; readyAtMs: number; multiplier: number } | undefined;

  constructor(private readonly host: T1LinkHost) {}

  /** Power-up, soft reset, RESYNCH: the protocol state as new. */
  reset(options: { keepIfsd?: boolean } = {}): void {
    this.hostNs = 0;
    this.seNs = 0;
    this.rxChain = [];
    this.rxLength = 0;
    this.txChain = [];
    this.lastSent = undefined;
    this.out = undefined;
    this.afterWtx = undefined;
    if (!options.keepIfsd) this.ifsd = DEFAULT_IFS;
  }

  write(bytes: Uint8Array): void {
    if (!this.host.acceptsTraffic() || this.busy()) throw new I2CAddressNack();
    this.host.activity();
    this.out = undefined;
    const decoded = decodeBlock(bytes, { expectNad: NAD_HOST_TO_SE });
    if (!decoded.ok) return this.sendR(rBlockErrorFor(decoded.error.kind));
    const block = decoded.value;
    if (block.type === 'I') return this.onIBlock(block);
    if (block.type === 'R') return this.onRBlock(block);
    return this.onSBlock(block);
  }

  read(length: number): Uint8Array {
    if (!this.host.acceptsTraffic()) throw new I2CAddressNack();
    const out = this.out;
    if (!out || this.host.clock.nowMs() < out.readyAtMs) throw new I2CAddressNack();
    const chunk = out.frame.slice(out.offset, out.offset + Math.max(0, length));
    out.offset += chunk.length;
    if (out.offset >= out.frame.length) this.out = undefined;
    return chunk;
  }

  /** True while an answer is being worked on (the SE NACKs its address). */
  busy(): boolean {
    return this.out !== undefined && this.host.clock.nowMs() < this.out.readyAtMs;
  }

  // -------------------------------------------------------------------------

  private onIBlock(block: Extract<Block, { type: 'I' }>): void {
    if (this.txChain.length > 0 || this.afterWtx) return this.sendR('other'); // the SE is sending a chain: an I-block now breaks it
    if (block.ns !== this.hostNs) return this.sendR('other');
    this.hostNs = (this.hostNs ^ 1) as 0 | 1;
    this.rxLength += block.inf.length;
    if (this.rxLength > MAX_APDU) {
      this.rxChain = [];
      this.rxLength = 0;
      return this.sendR('other');
    }
    this.rxChain.push(block.inf);
    if (block.more) return this.sendR('none');
    const apdu = concatBytes(...this.rxChain);
    this.rxChain = [];
    this.rxLength = 0;
    const result = this.host.apdu(apdu);
    if (!result) return; // power lost mid-command: no answer ever comes
    const blocks = segmentApdu(result.response, this.ifsd, this.seNs, NAD_SE_TO_HOST);
    this.seNs = nextSendSequence(this.seNs, blocks.length);
    const [first, ...rest] = blocks;
    const processingMs = result.processingUs / 1000;
    const bwt = this.host.timing.bwtMs;
    const now = this.host.clock.nowMs();
    if (processingMs > bwt) {
      const multiplier = Math.min(255, Math.ceil((processingMs - bwt) / bwt));
      this.afterWtx = { block: first!, rest, readyAtMs: now + processingMs, multiplier };
      this.queue({ type: 'S', nad: NAD_SE_TO_HOST, kind: 'wtx', response: false, inf: Uint8Array.of(multiplier) }, now + bwt, false);
      return;
    }
    this.txChain = rest;
    this.queue(first!, now + processingMs);
  }

  private onRBlock(block: Extract<Block, { type: 'R' }>): void {
    const next = this.txChain[0];
    if (next && block.error === 'none' && block.nr === next.ns) {
      this.txChain.shift();
      return this.queue(next, this.blockDoneMs());
    }
    // ISO/IEC 7816-3 11.6.3.2 rule 7.1: the host did not get our last block (or flags an error): send it again.
    if (this.lastSent) return this.queue(this.lastSent, this.blockDoneMs());
    this.sendR('other');
  }

  private onSBlock(block: Extract<Block, { type: 'S' }>): void {
    if (block.response) {
      const held = this.afterWtx;
      if (block.kind === 'wtx' && held && block.inf[0] === held.multiplier) {
        this.afterWtx = undefined;
        this.txChain = held.rest;
        return this.queue(held.block, Math.max(held.readyAtMs, this.blockDoneMs()));
      }
      return this.sendR('other');
    }
    switch (block.kind) {
      case 'resynch':
        this.reset({ keepIfsd: true });
        return this.sendS('resynch');
      case 'ifs': {
        const n = block.inf[0] ?? 0;
        if (n < 1 || n > MAX_INF) return this.sendR('other');
        this.ifsd = n;
        return this.sendS('ifs', Uint8Array.of(n));
      }
      case 'abort':
        this.rxChain = [];
        this.rxLength = 0;
        this.txChain = [];
        this.afterWtx = undefined;
        return this.sendS('abort');
      case 'soft-reset':
        this.reset();
        return this.sendS('soft-reset', this.host.atr());
      case 'get-atr':
        return this.sendS('get-atr', this.host.atr());
      case 'end-of-apdu-session':
        this.reset({ keepIfsd: true });
        this.sendS('end-of-apdu-session');
        this.host.endOfSession();
        return;
      case 'chip-reset': {
        this.host.chipReset();
        this.reset();
        this.queue({ type: 'S', nad: NAD_SE_TO_HOST, kind: 'chip-reset', response: true, inf: new Uint8Array(0) }, this.host.clock.nowMs() + this.host.timing.wakeUpMs);
        return;
      }
      case 'wtx':
        return this.sendR('other'); // only the SE asks for more time
    }
  }

  private sendR(error: RBlockError): void {
    this.queue({ type: 'R', nad: NAD_SE_TO_HOST, nr: this.hostNs, error }, this.blockDoneMs(), error === 'none');
  }

  private sendS(kind: SBlockKind, inf: Uint8Array = new Uint8Array(0)): void {
    this.queue({ type: 'S', nad: NAD_SE_TO_HOST, kind, response: true, inf }, this.blockDoneMs());
  }

  /** Puts a block out for the host to read from `readyAtMs`; error R-blocks are not what a later R-block asks to repeat. */
  private queue(block: Block, readyAtMs: number, remember = true): void {
    if (remember) this.lastSent = block;
    this.out = { frame: encodeBlock(block), offset: 0, readyAtMs };
  }

  private blockDoneMs(): number {
    return this.host.clock.nowMs() + this.host.timing.blockUs / 1000;
  }
}

