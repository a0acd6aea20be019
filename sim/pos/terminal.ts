/**
 * A POS terminal's contactless kernel for Visa qVSDC online, simplified from
 * EMV Contactless Book B (Entry Point) and Book C-3 (Kernel 3):
 *
 *  1. SELECT '2PAY.SYS.DDF01' (Book B 3.3.2); the directory's AIDs this
 *     terminal supports, by priority ('87', lower first; Book B 3.3.3).
 *  2. SELECT each candidate AID until one answers 9000.
 *  3. GET PROCESSING OPTIONS with the PDOL filled from the terminal's own data
 *     (EMV Book 3 5.4): TTQ, amount, other amount, country, TVR, currency,
 *     date from the virtual clock, type, an unpredictable number from seeded
 *     randomness. TTQ byte 2 b7 "CVM required" is set above the CVM limit.
 *     A '6985' answer is Book C-3's "try another interface".
 *  4. READ RECORD every record the AFL names (Book 3 10.2).
 *  5. Outcome: AAC → declined offline by the card; TC → declined (this
 *     terminal approves online only); ARQC → if CVM is required the card must
 *     report the consumer device CVM in its CTQ (this terminal takes no PIN or
 *     signature), then the issuer is asked with the chip data in field 55 and
 *     its answer is the outcome. The card may leave the field after step 4.
 *
 * A field lost mid-tap ends the tap with 'field-lost': nothing was sent to the
 * issuer, and the reader asks for the card again.
 */
import { encodeTlv, findTag, parseTlv } from '../../protocols/ber-tlv/tlv';
import type { TlvInput, TlvNode } from '../../protocols/ber-tlv/tlv';
import { statusWord } from '../../protocols/iso7816/apdu';
import { buildDolData, dolDataLength, parseDol } from '../../protocols/emv/dol';
import { encodeAmount, encodeCode3, encodeDate } from '../../protocols/emv/numeric';
import { CTQ, TTQ, decodeCryptogramInformation, hasBit, withBits } from '../../protocols/emv/qualifiers';
import type { SeededRandom } from '../clock/seeded-random';
import type { AuthorizationHost } from '../cloud/authorization';
import { FieldLost } from '../nfc/contactless';
import type { ReaderLink } from '../nfc/contactless';
import { exchange } from './exchange';
import type { ExchangeLog } from './exchange';

export interface TerminalConfig {
  /** ISO 3166-1 numeric ('9F1A'). */
  country: number;
  /** ISO 4217 numeric ('5F2A'). */
  currency: number;
  /** Above this amount (minor units) a CVM is required. */
  cvmLimitMinor: number;
  /** The AIDs this terminal accepts (default Visa credit/debit). */
  aids?: Uint8Array[];
}

export interface Purchase {
  amountMinor: number;
  /** '9C': 00 purchase. */
  type?: number;
}

export type Outcome = 'approved' | 'declined' | 'try-another-interface' | 'not-accepted' | 'field-lost' | 'card-error';

export interface TapResult {
  outcome: Outcome;
  /** Why, when not approved: 'card-declined' (AAC), 'cvm-required', an issuer reason, a status word. */
  reason?: string;
  aid?: Uint8Array;
  pan?: string;
  atc?: number;
  cryptogram?: Uint8Array;
  cid?: number;
  /** The card reported the consumer device CVM performed (CTQ byte 2 b8). */
  cdcvm?: boolean;
  arc?: string;
  arpc?: Uint8Array;
  exchanges: ExchangeLog[];
}

const VISA = Uint8Array.of(0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10);
const PPSE = new TextEncoder().encode('2PAY.SYS.DDF01');
/** More records than any real card's AFL names; a hostile AFL (up to 63 entries × 255 records) stops here. */
const MAX_RECORDS = 32;
const FIELD_55_TAGS = [0x9f26, 0x9f27, 0x9f10, 0x9f37, 0x9f36, 0x95, 0x9a, 0x9c, 0x9f02, 0x5f2a, 0x82, 0x9f1a, 0x9f03, 0x9f66, 0x9f6c];

export class PosTerminal {
  constructor(
    private readonly config: TerminalConfig,
    private readonly deps: { random: SeededRandom; clock: { nowMs(): number }; epochMs: number; issuer: AuthorizationHost },
  ) {}

  async tap(link: ReaderLink, purchase: Purchase): Promise<TapResult> {
    const log: ExchangeLog[] = [];
    try {
      return await this.run(link, purchase, log);
    } catch (error) {
      if (error instanceof FieldLost) return { outcome: 'field-lost', reason: error.message, exchanges: log };
      throw error;
    }
  }

  private async run(link: ReaderLink, purchase: Purchase, log: ExchangeLog[]): Promise<TapResult> {
    const end = (outcome: Outcome, reason?: string, more: Partial<TapResult> = {}): TapResult => ({ outcome, ...(reason ? { reason } : {}), ...more, exchanges: log });
    const select = (aid: Uint8Array) => exchange(link, { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: aid, ne: 256 }, log);

    const ppse = await select(PPSE);
    const ppseFci = ppse && statusWord(ppse) === 0x9000 ? tlv(ppse.data) : undefined;
    if (!ppseFci) return end('not-accepted', 'no PPSE');
    const accepted = this.config.aids ?? [VISA];
    const candidates = entries(ppseFci)
      .filter((e) => accepted.some((aid) => equal(aid, e.aid)))
      .sort((a, b) => a.priority - b.priority);

    for (const candidate of candidates) {
      const selected = await select(candidate.aid);
      if (!selected || statusWord(selected) !== 0x9000) continue;
      const fci = tlv(selected.data);
      if (!fci) return end('card-error', 'unreadable FCI');
      return this.transact(link, candidate.aid, fci, purchase, log, end);
    }
    return end('not-accepted', 'no supported application');
  }

  private async transact(
    link: ReaderLink, aid: Uint8Array, fci: TlvNode[], purchase: Purchase, log: ExchangeLog[],
    end: (outcome: Outcome, reason?: string, more?: Partial<TapResult>) => TapResult,
  ): Promise<TapResult> {
    const cvmRequired = purchase.amountMinor > this.config.cvmLimitMinor;
    const terminalData = this.terminalData(purchase, cvmRequired);
    const pdol = parseDol(findTag(fci, 0x9f38)?.value ?? new Uint8Array(0));
    if (!pdol.ok) return end('card-error', 'unreadable PDOL');
    if (dolDataLength(pdol.value) > 252) return end('card-error', 'the PDOL asks for more than a GPO carries');
    const pdolData = buildDolData(pdol.value, (tag) => terminalData.get(tag));
    const gpo = await exchange(link, { cla: 0x80, ins: 0xa8, p1: 0, p2: 0, data: Uint8Array.of(0x83, pdolData.length, ...pdolData), ne: 256 }, log);
    if (!gpo) return end('card-error', 'no answer to GPO');
    const gpoSw = statusWord(gpo);
    if (gpoSw === 0x6985) return end('try-another-interface', 'the card refused GPO (6985)');
    const template = gpoSw === 0x9000 ? tlv(gpo.data) : undefined;
    if (!template || template[0]?.tag !== 0x77) return end('card-error', `GPO answered ${hex(gpoSw)}`);
    const card = new Map<number, Uint8Array>();
    collect(template, card);

    const afl = card.get(0x94) ?? new Uint8Array(0);
    let reads = 0;
    for (let i = 0; i + 3 < afl.length; i += 4) {
      const sfi = afl[i]! >> 3;
      for (let record = afl[i + 1]!; record <= afl[i + 2]!; record++) {
        if (++reads > MAX_RECORDS) return end('card-error', `the AFL names more than ${MAX_RECORDS} records`);
        const read = await exchange(link, { cla: 0x00, ins: 0xb2, p1: record, p2: (sfi << 3) | 4, data: new Uint8Array(0), ne: 256 }, log);
        const nodes = read && statusWord(read) === 0x9000 ? tlv(read.data) : undefined;
        if (!nodes || nodes[0]?.tag !== 0x70) return end('card-error', `READ RECORD ${sfi}/${record} failed`);
        collect(nodes, card);
      }
    }

    const cryptogram = card.get(0x9f26);
    const cidByte = card.get(0x9f27)?.[0];
    const atcBytes = card.get(0x9f36);
    const pan = panOf(card);
    if (!cryptogram || cidByte === undefined || !atcBytes || atcBytes.length !== 2 || !pan) return end('card-error', 'the card data is incomplete');
    const ctq = card.get(0x9f6c) ?? new Uint8Array(2);
    const facts: Partial<TapResult> = {
      aid, pan, atc: (atcBytes[0]! << 8) | atcBytes[1]!, cryptogram, cid: cidByte, cdcvm: hasBit(ctq, CTQ.CONSUMER_DEVICE_CVM_PERFORMED),
    };
    const type = decodeCryptogramInformation(cidByte).type;
    if (type === 'AAC') return end('declined', 'card-declined', facts);
    if (type !== 'ARQC') return end('declined', 'offline-approval-not-supported', facts);
    if (cvmRequired && !facts.cdcvm) return end('declined', 'cvm-required', facts);

    const field55: TlvInput[] = [];
    for (const tag of FIELD_55_TAGS) {
      const value = card.get(tag) ?? terminalData.get(tag);
      if (value) field55.push({ tag, value });
    }
    const psnByte = card.get(0x5f34)?.[0] ?? 0;
    const answer = this.deps.issuer.authorize({ pan, psn: psnByte.toString(16).padStart(2, '0'), iccData: encodeTlv(field55) });
    return end(answer.approved ? 'approved' : 'declined', answer.reason, { ...facts, arc: answer.arc, ...(answer.arpc ? { arpc: answer.arpc } : {}) });
  }

  private terminalData(purchase: Purchase, cvmRequired: boolean): Map<number, Uint8Array> {
    const now = new Date(this.deps.epochMs + this.deps.clock.nowMs());
    const un = this.deps.random.nextUint32();
    const ttq = withBits(4, [
      TTQ.EMV_MODE_SUPPORTED, TTQ.EMV_CONTACT_CHIP_SUPPORTED, TTQ.CONSUMER_DEVICE_CVM_SUPPORTED,
      ...(cvmRequired ? [TTQ.CVM_REQUIRED] : []),
    ]);
    return new Map<number, Uint8Array>([
      [0x9f66, ttq],
      [0x9f02, encodeAmount(purchase.amountMinor)],
      [0x9f03, encodeAmount(0)],
      [0x9f1a, encodeCode3(this.config.country)],
      [0x95, new Uint8Array(5)],
      [0x5f2a, encodeCode3(this.config.currency)],
      [0x9a, encodeDate({ year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() })],
      [0x9c, Uint8Array.of(purchase.type ?? 0)],
      [0x9f37, Uint8Array.of(un >>> 24, (un >>> 16) & 0xff, (un >>> 8) & 0xff, un & 0xff)],
    ]);
  }
}

// ---------------------------------------------------------------------------

function tlv(bytes: Uint8Array): TlvNode[] | undefined {
  const parsed = parseTlv(bytes);
  return parsed.ok ? parsed.value : undefined;
}

function entries(fci: TlvNode[]): { aid: Uint8Array; priority: number }[] {
  const directory = findTag(fci, 0xbf0c)?.children ?? [];
  return directory
    .filter((n) => n.tag === 0x61)
    .map((n) => ({ aid: findTag(n.children ?? [], 0x4f)?.value ?? new Uint8Array(0), priority: (findTag(n.children ?? [], 0x87)?.value[0] ?? 0x0f) & 0x0f }));
}

function collect(nodes: TlvNode[], into: Map<number, Uint8Array>): void {
  for (const node of nodes) {
    if (node.children) collect(node.children, into);
    else into.set(node.tag, node.value);
  }
}

/** The PAN from Track 2 Equivalent Data (digits before the 'D' separator), else from '5A'. */
function panOf(card: Map<number, Uint8Array>): string | undefined {
  const track2 = card.get(0x57);
  const nibbles = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  const fromTrack2 = track2 ? /^(\d{12,19})D/.exec(nibbles(track2))?.[1] : undefined;
  const pan5a = card.get(0x5a);
  return fromTrack2 ?? (pan5a ? /^(\d{12,19})F*$/.exec(nibbles(pan5a))?.[1] : undefined);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function hex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
