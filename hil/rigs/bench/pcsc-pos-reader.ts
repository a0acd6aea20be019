/**
 * The bench rig's `pos-reader`: the POS terminal's kernel (sim/pos) on a real
 * PC/SC contactless reader (sim/pos/pcsc-reader.ts) the strap is held to, and
 * the issuer (sim/cloud) behind it. The terminal is the virtual rigs' one
 * (same country, CVM limit, kernel); only its transport differs: PC/SC
 * instead of the virtual field, and real time.
 *
 * The issuer is the seeded world of `issuerSeed` (PCSC_ISSUER_SEED, default
 * 1, the simulator's default seed): the token its factory step personalizes
 * into the SE. A strap whose SE holds another token is refused by it
 * ('unknown-token'), as a real issuer would.
 *
 * What PC/SC cannot do as the virtual field does:
 *  - `loseFieldAtApdu: n`: a PC/SC client cannot cut the field while an APDU
 *    is on the air; the reader powers the card down (SCardDisconnect,
 *    SCARD_UNPOWER_CARD: its field to the card goes) instead of sending the
 *    nth APDU, and the terminal ends with 'field-lost' as it would.
 *  - `tapMs` is wall time from the card found in the field to the outcome
 *    (the reader's own polling before it is not the strap's).
 */
import { randomBytes } from 'node:crypto';
import { SeededRandom } from '../../../sim/clock/seeded-random';
import { FieldLost, type ReaderLink } from '../../../sim/nfc/contactless';
import { PcscReader, type PcscCard } from '../../../sim/pos/pcsc-reader';
import { PosTerminal, type TapResult } from '../../../sim/pos/terminal';
import { strapWorld, TERMINAL } from '../../../sim/scenario/strap-payment';
import { paymentRandom } from '../../../sim/scenario/virtual-strap';
import type { SeededIssuer } from '../../../sim/cloud/seeded-issuer';
import type { PosPurchase, PosTap } from '../../rig/rig';

export interface PcscPosReaderOptions {
  /** A part of the PC/SC reader's name (PCSC_READER; empty: the first reader pcscd lists). */
  readerName?: string;
  /** The seed of the strap's token and issuer (PCSC_ISSUER_SEED, default 1). */
  issuerSeed?: number | string;
  /** How long a tap waits for a card in the field (PCSC_CARD_TIMEOUT_MS, default 3000). */
  cardTimeoutMs?: number;
  /** How long to wait for pcscd to list the reader (default 5000 ms). */
  readerTimeoutMs?: number;
}

export class PcscPosReader {
  private readonly random = new SeededRandom(randomBytes(4).readUInt32BE(0));
  /** Where the taps are told (the rig's transcript). */
  note: (text: string) => void = () => undefined;

  private constructor(readonly reader: PcscReader, private readonly world: SeededIssuer, private readonly options: PcscPosReaderOptions) {}

  static async open(options: PcscPosReaderOptions = {}): Promise<PcscPosReader> {
    const reader = await PcscReader.open({ ...(options.readerName ? { name: options.readerName } : {}), readerTimeoutMs: options.readerTimeoutMs });
    return new PcscPosReader(reader, strapWorld(paymentRandom(options.issuerSeed ?? 1)), options);
  }

  get description(): string {
    return `a POS terminal on the PC/SC reader "${this.reader.name}"`;
  }

  /** One tap: the terminal waits for a card, runs the kernel through the reader, asks the issuer, powers the card down. */
  async tap(purchase: PosPurchase): Promise<PosTap> {
    const note = this.note;
    note(`POS terminal on ${this.reader.name} taps for ${(purchase.amountMinor / 100).toFixed(2)}${purchase.loseFieldAtApdu ? `, dropping the field at APDU ${purchase.loseFieldAtApdu}` : ''}`);
    const waitedAt = performance.now();
    const card = await this.reader.waitForCard(this.options.cardTimeoutMs ?? 3000);
    if (!card) {
      note('POS: no card');
      return { outcome: 'no-card', tapMs: Math.round(performance.now() - waitedAt) };
    }
    const startedAt = performance.now();
    const terminal = new PosTerminal(
      { ...TERMINAL, currency: purchase.currency ?? this.world.currency },
      { random: this.random, clock: { nowMs: () => performance.now() - startedAt }, epochMs: Date.now(), issuer: this.world.issuer },
    );
    let result: TapResult;
    try {
      result = await terminal.tap(droppingField(card, purchase.loseFieldAtApdu), { amountMinor: purchase.amountMinor });
    } finally {
      await card.release();
    }
    const tap = posTapOf(result, Math.round(performance.now() - startedAt));
    note(`POS: ${tap.outcome}${tap.atc === undefined ? '' : `, ATC ${tap.atc}`}, ${tap.tapMs} ms from the card found`);
    return tap;
  }

  close(): void {
    this.reader.close();
  }
}

/** The terminal's result as a rig reports it (hil/rig/rig.ts PosTap). */
export function posTapOf(result: TapResult, tapMs: number): PosTap {
  return {
    outcome: result.outcome,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    ...(result.atc === undefined ? {} : { atc: result.atc }),
    ...(result.cryptogram === undefined ? {} : { cryptogram: Buffer.from(result.cryptogram).toString('hex').toUpperCase() }),
    ...(result.arc === undefined ? {} : { arc: result.arc }),
    tapMs,
  };
}

/** The card's link, the reader powering the card down instead of sending the nth APDU. */
function droppingField(card: PcscCard, atApdu: number | undefined): ReaderLink {
  if (!atApdu) return card;
  let n = 0;
  return {
    async transceive(apdu) {
      if (++n === atApdu) {
        await card.release();
        throw new FieldLost(`the reader powered the card down at APDU ${atApdu}`);
      }
      return card.transceive(apdu);
    },
  };
}
