/**
 * The reader's end of an activated ISO-DEP link (ISO/IEC 14443-4 7): each
 * APDU in I-blocks of at most FSC - 3 bytes of INF (PCB and CRC_A take the
 * rest), chained with R(ACK) in between; the answer likewise within FSD;
 * S(WTX) while the card needs longer than FWT. The reader (field.ts) gives
 * it the air: frames, waits and field loss.
 */
import type { IsoDepBlock } from '../../protocols/iso14443/iso-dep';
import { FDT_MIN_US } from './air-time';
import type { Antenna } from './antenna';
import { FieldLost } from './contactless';
import type { ReaderLink } from './contactless';

/** What the link needs of the reader holding it. */
export interface LinkAir {
  inField(): boolean;
  isMuted(): boolean;
  block(toCard: boolean, block: IsoDepBlock): Promise<void>;
  turn(): Promise<void>;
  wait(us: number): Promise<void>;
  waitFor(promise: Promise<unknown>, us: number): Promise<boolean>;
}

/** How many S(WTX) rounds a reader grants a card before it gives up (about 1 s at FWI 7). */
const MAX_WTX_ROUNDS = 30;

/** The reader's end of an activated ISO-DEP link. */
export class IsoDepLink implements ReaderLink {
  private blockNumber: 0 | 1 = 0;
  private busy = false;

  constructor(private readonly reader: LinkAir, private readonly card: Antenna, private readonly fsc: number, private readonly fsd: number, private readonly fwt: number) {}

  async transceive(apdu: Uint8Array): Promise<Uint8Array> {
    if (!this.reader.inField()) throw new FieldLost();
    if (this.busy) throw new Error('one APDU at a time on an ISO-DEP link');
    this.busy = true;
    try {
      return await this.exchange(apdu);
    } finally {
      this.busy = false;
    }
  }

  private async exchange(apdu: Uint8Array): Promise<Uint8Array> {
    const r = this.reader;
    // Command: I-blocks of at most FSC - 3 INF bytes (PCB + CRC_A), each but the last acknowledged with R(ACK).
    const chunks = split(apdu, this.fsc - 3);
    for (const [i, inf] of chunks.entries()) {
      const chaining = i < chunks.length - 1;
      await r.block(true, { type: 'I', blockNumber: this.blockNumber, chaining, inf });
      if (!chaining) break;
      await this.cardTurn();
      await r.block(false, { type: 'R', blockNumber: this.blockNumber, nak: false });
      this.toggle();
      await r.turn();
    }
    const answer = r.isMuted() ? undefined : this.card.exchange(apdu);
    if (!answer) return this.mute();
    const response = 'fromHost' in answer ? await this.fromHost(answer.fromHost) : await this.fromSe(answer.response, answer.processingUs);
    if (!response || r.isMuted()) return this.mute();
    // Answer: I-blocks of at most FSD - 3 INF bytes, the reader acknowledging each chained one.
    const parts = split(response, this.fsd - 3);
    for (const [i, inf] of parts.entries()) {
      const chaining = i < parts.length - 1;
      await r.block(false, { type: 'I', blockNumber: this.blockNumber, chaining, inf });
      this.toggle();
      await r.turn();
      if (!chaining) break;
      await r.block(true, { type: 'R', blockNumber: this.blockNumber, nak: false });
      await this.cardTurn();
    }
    return response.slice();
  }

  /** The SE's answer after its processing time; past FWT the card asks for more with S(WTX) (ISO/IEC 14443-4 7.3). */
  private async fromSe(response: Uint8Array, processingUs: number): Promise<Uint8Array> {
    let left = Math.max(FDT_MIN_US, processingUs);
    while (left > this.fwt) {
      await this.reader.wait(this.fwt * 0.9);
      left -= this.fwt * 0.9;
      await this.waitingTimeExtension(Math.min(59, Math.max(1, Math.ceil(left / this.fwt))));
    }
    await this.reader.wait(left);
    return response;
  }

  /** The DH's answer (host card emulation) whenever it comes, with S(WTX) every 0.9 FWT meanwhile; a reader gives up after MAX_WTX_ROUNDS. */
  private async fromHost(answer: Promise<Uint8Array | undefined>): Promise<Uint8Array | undefined> {
    let response: Uint8Array | undefined;
    let settled = false;
    void answer.then((x) => { response = x; settled = true; });
    await this.reader.wait(FDT_MIN_US);
    for (let rounds = 0; !settled; rounds++) {
      if (rounds >= MAX_WTX_ROUNDS) throw new FieldLost('the card did not answer in time');
      if (await this.reader.waitFor(answer, this.fwt * 0.9)) break;
      await this.waitingTimeExtension(1);
    }
    return response;
  }

  private async waitingTimeExtension(wtxm: number): Promise<void> {
    await this.reader.block(false, { type: 'S', kind: 'wtx', inf: Uint8Array.of(wtxm) });
    await this.reader.turn();
    await this.reader.block(true, { type: 'S', kind: 'wtx', inf: Uint8Array.of(wtxm) });
  }

  /** The card stopped answering (the DH deactivated it, or the controller lost power): the reader gives up after FWT. */
  private async mute(): Promise<never> {
    await this.reader.wait(this.fwt);
    throw new FieldLost('the card stopped answering');
  }

  private cardTurn(): Promise<void> {
    return this.reader.turn();
  }

  private toggle(): void {
    this.blockNumber = this.blockNumber === 0 ? 1 : 0;
  }
}

function split(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length || out.length === 0; at += size) out.push(bytes.slice(at, at + size));
  return out;
}
