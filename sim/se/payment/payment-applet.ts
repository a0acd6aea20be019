/**
 * The payment applet: an EMV contactless token card, Visa qVSDC online with
 * cryptogram version 18, as the SE hosts it (sim/se/applet.ts).
 *
 * Contactless interface (the terminal):
 *   SELECT by AID (the runtime routes it) → FCI with the PDOL
 *   80 A8 00 00 Lc 83 L <PDOL data> 00   GET PROCESSING OPTIONS (gpo.ts)
 *   00 B2 rr (sfi<<3|4) 00               READ RECORD, per the AFL
 *   80 CA 9F 36 00                        GET DATA: the ATC
 * Host interface (the strap's firmware, through the SE's I2C link):
 *   80 E2 P1 P2 Lc <DGIs>                 STORE DATA (personalization; token-data.ts),
 *                                         forwarded by the security domain after
 *                                         INSTALL [for personalization], or sent to
 *                                         the applet selected on the host side
 *   80 C4 0X 00                           SET WEARER VERIFIED: P1 01 set, 00 clear
 *   80 C6 0X 00                           SET TOKEN STATE: P1 01 active, 02 suspended,
 *                                         03 deleted (final: keys and records erased)
 *   80 CA DF 20 00                        GET DATA: token state (1 byte, codes as P1
 *                                         above, 00 not personalized)
 *   80 CA 9F 36 00                        GET DATA: the ATC
 *
 * Status words: 6E00 a class the command does not take; 6D00 an instruction
 * this applet or this interface does not have; 6700 a data field where none
 * belongs (or missing); 6A86 P1-P2 wrong; 6A80 malformed TLV, DGI or PDOL
 * data; 6A88 an unknown DGI or GET DATA tag; 6985 out of sequence (GPO
 * without SELECT or twice, STORE DATA once personalized, a token that is not
 * usable); 6A82 a file (SFI) not found, 6A83 a record not found.
 *
 * The wearer-verified flag lives in RAM: the SE's power-up builds a new applet
 * object, so it starts cleared, as the host's verification must be redone.
 */
import type { CommandApdu } from '../../../protocols/iso7816/apdu';
import { SW } from '../../../protocols/iso7816/status-words';
import { encodeTlv, parseTlv, tlvErrorStatusWord } from '../../../protocols/ber-tlv/tlv';
import { decodeAmount, decodeCode3 } from '../../../protocols/emv/numeric';
import { dolDataLength, splitDolData } from '../../../protocols/emv/dol';
import type { Applet, AppletContext, AppletResponse, SeInterface } from '../applet';
import { parseDataGroups } from './dgi';
import { PDOL, buildAfl, decide, encodePdol, respondToGpo } from './gpo';
import type { DeclineReason } from './gpo';
import {
  TOKEN_STATE_CODES, checkDataGroup, hex4, isRecordDgi, masterKeyAc, personalizationComplete, readAtc, readCardData, readState, recordDgis,
} from './token-data';
import type { TokenState } from './token-data';

/** Visa Credit/Debit (EMV registered RID A000000003, PIX 1010). */
export const VISA_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10);

export const INS = { GPO: 0xa8, READ_RECORD: 0xb2, GET_DATA: 0xca, STORE_DATA: 0xe2, SET_WEARER_VERIFIED: 0xc4, SET_TOKEN_STATE: 0xc6 } as const;

/** Proprietary tags of the transaction event ('SeEvent.data'): why an AAC was returned. */
export const TAG_DECLINE_REASON = 0xdf31;
export const DECLINE_REASON_CODES: Record<DeclineReason, number> = { 'token-suspended': 1, 'offline-only-reader': 2 };

interface Session {
  gpoDone: boolean;
}

export class PaymentApplet implements Applet {
  readonly aid: Uint8Array;
  private wearerVerified = false;
  /** STORE DATA's next block number (GP CS 11.11.2.2); block 00 starts a new sequence. */
  private nextBlock = 0;
  private readonly sessions = new Map<SeInterface, Session>();

  constructor(options: { aid?: Uint8Array } = {}) {
    this.aid = options.aid ?? VISA_AID;
  }

  select(ctx: AppletContext): AppletResponse {
    const state = readState(ctx.store);
    if (ctx.via === 'contactless' && (state === undefined || state === 'deleted')) return fail(SW.FILE_NOT_FOUND);
    this.sessions.set(ctx.via, { gpoDone: false });
    const label = readCardData(ctx.store)?.find((n) => n.tag === 0x50)?.value ?? new TextEncoder().encode('VISA');
    const fci = encodeTlv({
      tag: 0x6f,
      children: [
        { tag: 0x84, value: this.aid },
        { tag: 0xa5, children: [{ tag: 0x50, value: label }, { tag: 0x87, value: Uint8Array.of(1) }, { tag: 0x9f38, value: encodePdol() }] },
      ],
    });
    return { data: fci, sw: SW.OK };
  }

  deselect(ctx: AppletContext): void {
    this.sessions.delete(ctx.via);
  }

  /** The SE's power-up or chip reset: RAM is gone, the wearer-verified flag with it. */
  reset(): void {
    this.wearerVerified = false;
    this.sessions.clear();
    this.nextBlock = 0;
  }

  process(command: CommandApdu, ctx: AppletContext): AppletResponse {
    const host = ctx.via === 'host';
    switch (command.ins) {
      case INS.GPO:
        if (host) return fail(SW.INS_NOT_SUPPORTED);
        return (command.cla & 0xfc) === 0x80 ? this.getProcessingOptions(command, ctx) : fail(SW.CLA_NOT_SUPPORTED);
      case INS.READ_RECORD:
        return (command.cla & 0xfc) === 0x00 ? this.readRecord(command, ctx) : fail(SW.CLA_NOT_SUPPORTED);
      case INS.GET_DATA:
        return (command.cla & 0xfc) === 0x80 ? this.getData(command, ctx) : fail(SW.CLA_NOT_SUPPORTED);
      case INS.STORE_DATA:
        if (!host) return fail(SW.INS_NOT_SUPPORTED);
        return (command.cla & 0xf8) === 0x80 ? this.storeData(command, ctx) : fail(SW.CLA_NOT_SUPPORTED);
      case INS.SET_WEARER_VERIFIED:
        if (!host) return fail(SW.INS_NOT_SUPPORTED);
        return (command.cla & 0xfc) === 0x80 ? this.setWearerVerified(command) : fail(SW.CLA_NOT_SUPPORTED);
      case INS.SET_TOKEN_STATE:
        if (!host) return fail(SW.INS_NOT_SUPPORTED);
        return (command.cla & 0xfc) === 0x80 ? this.setTokenState(command, ctx) : fail(SW.CLA_NOT_SUPPORTED);
      default:
        return fail(SW.INS_NOT_SUPPORTED);
    }
  }

  // -------------------------------------------------------------------------

  private getProcessingOptions(command: CommandApdu, ctx: AppletContext): AppletResponse {
    if (command.p1 !== 0 || command.p2 !== 0) return fail(SW.INCORRECT_P1P2);
    const session = this.sessions.get(ctx.via);
    if (!session || session.gpoDone) return fail(SW.CONDITIONS_NOT_SATISFIED);
    if (command.data.length === 0) return fail(SW.WRONG_LENGTH);
    const parsed = parseTlv(command.data);
    if (!parsed.ok) return fail(tlvErrorStatusWord(parsed.error));
    const [template, ...rest] = parsed.value;
    if (!template || rest.length > 0 || template.tag !== 0x83 || template.value.length !== dolDataLength(PDOL)) return fail(SW.WRONG_DATA);
    const pdol = splitDolData(PDOL, template.value)!;
    const amount = decodeAmount(pdol.get(0x9f02)!);
    const currency = decodeCode3(pdol.get(0x5f2a)!);
    if (amount === undefined || decodeAmount(pdol.get(0x9f03)!) === undefined || currency === undefined) return fail(SW.WRONG_DATA);

    const state = readState(ctx.store);
    const iccMasterKey = masterKeyAc(ctx.store);
    const cardData = readCardData(ctx.store);
    if ((state !== 'active' && state !== 'suspended') || !iccMasterKey || !cardData) return fail(SW.CONDITIONS_NOT_SATISFIED);
    const decision = decide(pdol.get(0x9f66)!, state === 'suspended');
    if (decision.kind === 'refuse') return fail(SW.CONDITIONS_NOT_SATISFIED);
    if (readAtc(ctx.store) >= 0xffff) return fail(SW.CONDITIONS_NOT_SATISFIED); // the ATC never wraps (Book 3 Annex A1)

    // The counter is committed before the cryptogram exists: a cut after this
    // point loses one ATC value, never reuses one.
    const atc = ctx.store.transaction((tx) => {
      const next = readAtc(tx) + 1;
      tx.put('atc', Uint8Array.of(next >> 8, next & 0xff));
      return next;
    });
    session.gpoDone = true;
    const out = respondToGpo({
      pdol, decision, atc, iccMasterKey, cardData, afl: buildAfl(recordDgis(ctx.store)), wearerVerified: this.wearerVerified,
    });
    ctx.notify({
      kind: 'transaction',
      aid: this.aid,
      data: encodeTlv([
        { tag: 0x9f02, value: pdol.get(0x9f02)! },
        { tag: 0x5f2a, value: pdol.get(0x5f2a)! },
        { tag: 0x9a, value: pdol.get(0x9a)! },
        { tag: 0x9f36, value: Uint8Array.of(atc >> 8, atc & 0xff) },
        { tag: 0x9f27, value: Uint8Array.of(out.cid) },
        ...(decision.kind === 'AAC' ? [{ tag: TAG_DECLINE_REASON, value: Uint8Array.of(DECLINE_REASON_CODES[decision.reason]) }] : []),
      ]),
    });
    return { data: out.response, sw: SW.OK };
  }

  private readRecord(command: CommandApdu, ctx: AppletContext): AppletResponse {
    if (command.data.length > 0) return fail(SW.WRONG_LENGTH);
    if (command.p1 === 0 || (command.p2 & 0x07) !== 0x04) return fail(SW.INCORRECT_P1P2);
    if (!this.sessions.has(ctx.via)) return fail(SW.CONDITIONS_NOT_SATISFIED);
    const sfi = command.p2 >> 3;
    const dgis = recordDgis(ctx.store);
    if (!dgis.some((d) => d >> 8 === sfi)) return fail(SW.FILE_NOT_FOUND);
    const record = ctx.store.get(`dgi:${hex4((sfi << 8) | command.p1)}`);
    return record ? { data: record, sw: SW.OK } : fail(SW.RECORD_NOT_FOUND);
  }

  private getData(command: CommandApdu, ctx: AppletContext): AppletResponse {
    if (command.data.length > 0) return fail(SW.WRONG_LENGTH);
    const tag = (command.p1 << 8) | command.p2;
    if (tag === 0x9f36) {
      const atc = readAtc(ctx.store);
      return { data: encodeTlv({ tag, value: Uint8Array.of(atc >> 8, atc & 0xff) }), sw: SW.OK };
    }
    if (tag === 0xdf20 && ctx.via === 'host') {
      const state = readState(ctx.store);
      return { data: encodeTlv({ tag, value: Uint8Array.of(state ? TOKEN_STATE_CODES[state] : 0) }), sw: SW.OK };
    }
    return fail(SW.REFERENCED_DATA_NOT_FOUND);
  }

  private storeData(command: CommandApdu, ctx: AppletContext): AppletResponse {
    // No SELECT needed: the security domain forwards STORE DATA to the applet
    // named by INSTALL [for personalization] (GP CS 11.11.1).
    if (readState(ctx.store) !== undefined) return fail(SW.CONDITIONS_NOT_SATISFIED);
    if ((command.p1 & 0x7f) !== 0 || (command.p2 !== 0 && command.p2 !== this.nextBlock)) return fail(SW.INCORRECT_P1P2);
    if (command.data.length === 0) return fail(SW.WRONG_LENGTH);
    const groups = parseDataGroups(command.data);
    if (!groups.ok) return fail(SW.WRONG_DATA);
    for (const { dgi, data } of groups.value) {
      const refusal = checkDataGroup(dgi, data);
      if (refusal !== undefined) return fail(refusal);
    }
    const last = (command.p1 & 0x80) !== 0;
    const complete = ctx.store.transaction((tx) => {
      const records = recordDgis(tx);
      for (const { dgi, data } of groups.value) {
        tx.put(`dgi:${hex4(dgi)}`, data);
        if (isRecordDgi(dgi) && !records.includes(dgi)) records.push(dgi);
      }
      records.sort((a, b) => a - b);
      tx.put('records', Uint8Array.from(records.flatMap((d) => [d >> 8, d & 0xff])));
      if (!last) return true;
      if (!personalizationComplete(tx)) return false;
      tx.put('state', Uint8Array.of(TOKEN_STATE_CODES.active));
      if (!tx.get('atc')) tx.put('atc', Uint8Array.of(0, 0));
      return true;
    });
    this.nextBlock = (command.p2 + 1) & 0xff;
    return complete ? { data: new Uint8Array(0), sw: SW.OK } : fail(SW.CONDITIONS_NOT_SATISFIED);
  }

  private setWearerVerified(command: CommandApdu): AppletResponse {
    if (command.data.length > 0) return fail(SW.WRONG_LENGTH);
    if (command.p1 > 1 || command.p2 !== 0) return fail(SW.INCORRECT_P1P2);
    this.wearerVerified = command.p1 === 1;
    return { data: new Uint8Array(0), sw: SW.OK };
  }

  private setTokenState(command: CommandApdu, ctx: AppletContext): AppletResponse {
    if (command.data.length > 0) return fail(SW.WRONG_LENGTH);
    const target = (Object.keys(TOKEN_STATE_CODES) as TokenState[]).find((s) => TOKEN_STATE_CODES[s] === command.p1);
    if (!target || command.p2 !== 0) return fail(SW.INCORRECT_P1P2);
    const state = readState(ctx.store);
    if (state === undefined || state === 'deleted') return fail(SW.CONDITIONS_NOT_SATISFIED);
    ctx.store.transaction((tx) => {
      tx.put('state', Uint8Array.of(TOKEN_STATE_CODES[target]));
      if (target === 'deleted') {
        for (const dgi of recordDgis(tx)) tx.delete(`dgi:${hex4(dgi)}`);
        tx.delete('records');
        tx.delete('dgi:8000');
        tx.delete('dgi:A001');
      }
    });
    return { data: new Uint8Array(0), sw: SW.OK };
  }
}

function fail(sw: number): AppletResponse {
  return { data: new Uint8Array(0), sw };
}
