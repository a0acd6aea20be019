/**
 * A host-side T=1 over I2C driver in the simulator: what the strap's firmware
 * driver does, done synchronously on the virtual clock, for the factory
 * personalization step, tests and the fuzz suite. It writes one block, polls
 * the SE's address every 1 ms until it acknowledges (NXP middleware
 * phNxpEse_readPacket: ESE_POLL_DELAY_MS), reads NAD+PCB, LEN, then INF+CRC,
 * and runs chaining both ways and WTX (UM11225 2.1; ISO/IEC 7816-3 11.6).
 */
import type { I2CBus } from '../board/buses/i2c-bus';
import type { VirtualClock } from '../clock/virtual-clock';
import { NAD_HOST_TO_SE, NAD_SE_TO_HOST, decodeBlock, encodeBlock } from '../../protocols/t1/block';
import type { Block, BlockResult, SBlockKind } from '../../protocols/t1/block';
import { nextSendSequence, segmentApdu } from '../../protocols/t1/chaining';
import { SE050_I2C_ADDRESS } from './t1-link';
import { concatBytes } from '../../protocols/bytes';

export class T1DriverError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'T1DriverError';
  }
}

export interface T1DriverOptions {
  address?: number;
  pollMs?: number;
  /** Give up polling after this long without an answer (BWT × WTX plus margin). */
  timeoutMs?: number;
  ifsc?: number;
}

export class T1HostDriver {
  private ns: 0 | 1 = 0;
  private readonly address: number;
  private readonly pollMs: number;
  private readonly timeoutMs: number;
  private readonly ifsc: number;
  /** Every block both ways, for traces and tests. */
  readonly log: { dir: 'tx' | 'rx'; bytes: Uint8Array }[] = [];

  constructor(private readonly bus: I2CBus, private readonly clock: VirtualClock, options: T1DriverOptions = {}) {
    this.address = options.address ?? SE050_I2C_ADDRESS;
    this.pollMs = options.pollMs ?? 1;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.ifsc = options.ifsc ?? 254;
  }

  /** One APDU, chained out and back in. */
  transceive(apdu: Uint8Array): Uint8Array {
    const blocks = segmentApdu(apdu, this.ifsc, this.ns, NAD_HOST_TO_SE);
    this.ns = nextSendSequence(this.ns, blocks.length);
    let answer: Block | undefined;
    for (const block of blocks) {
      answer = this.exchange(block);
      if (block.more && !(answer.type === 'R' && answer.error === 'none')) throw new T1DriverError(`chained block not acknowledged: ${JSON.stringify(answer)}`);
    }
    const parts: Uint8Array[] = [];
    for (let rounds = 0; rounds < 1000; rounds++) {
      if (answer!.type === 'S' && answer!.kind === 'wtx' && !answer!.response) {
        answer = this.exchange({ type: 'S', nad: NAD_HOST_TO_SE, kind: 'wtx', response: true, inf: answer!.inf });
        continue;
      }
      if (answer!.type !== 'I') throw new T1DriverError(`expected an I-block, got ${JSON.stringify(answer)}`);
      parts.push(answer!.inf);
      if (!answer!.more) return concatBytes(...parts);
      answer = this.exchange({ type: 'R', nad: NAD_HOST_TO_SE, nr: (answer!.ns ^ 1) as 0 | 1, error: 'none' });
    }
    throw new T1DriverError('answer chain too long');
  }

  /** An S-block request and its response. */
  sBlock(kind: SBlockKind, inf: Uint8Array = new Uint8Array(0)): Block {
    const answer = this.exchange({ type: 'S', nad: NAD_HOST_TO_SE, kind, response: false, inf });
    if (kind === 'resynch' || kind === 'soft-reset' || kind === 'chip-reset') this.ns = 0;
    return answer;
  }

  /** Raw: writes bytes as they are, polls for and returns the answer's decoding. */
  raw(frame: Uint8Array): BlockResult {
    this.write(frame);
    return decodeBlock(this.readFrame(), { expectNad: NAD_SE_TO_HOST });
  }

  private exchange(block: Block): Block {
    const result = this.raw(encodeBlock(block));
    if (!result.ok) throw new T1DriverError(`unreadable answer: ${result.error.detail}`);
    return result.value;
  }

  private write(frame: Uint8Array): void {
    this.log.push({ dir: 'tx', bytes: frame.slice() });
    const deadline = this.clock.nowMs() + this.timeoutMs;
    while (this.bus.write(this.address, frame) !== 0) {
      if (this.clock.nowMs() >= deadline) throw new T1DriverError('the SE does not acknowledge its address');
      this.clock.advanceBy(this.pollMs);
    }
  }

  private readFrame(): Uint8Array {
    const deadline = this.clock.nowMs() + this.timeoutMs;
    let head = this.bus.read(this.address, 2);
    while (typeof head === 'number') {
      if (this.clock.nowMs() >= deadline) throw new T1DriverError('no answer from the SE');
      this.clock.advanceBy(this.pollMs);
      head = this.bus.read(this.address, 2);
    }
    const len = this.bus.read(this.address, 1);
    if (typeof len === 'number') throw new T1DriverError('the SE stopped in the middle of a frame');
    const rest = this.bus.read(this.address, len[0]! + 2);
    if (typeof rest === 'number') throw new T1DriverError('the SE stopped in the middle of a frame');
    const frame = concatBytes(head, len, rest);
    this.log.push({ dir: 'rx', bytes: frame });
    return frame;
  }
}

