/**
 * The issuer security domain: GlobalPlatform's card manager applet, with an
 * SCP03 secure channel (protocols/globalplatform/scp03.ts) guarding the card
 * content management commands.
 *
 * Sources: GlobalPlatform Card Specification v2.3 (CS):
 *   11.1.4  CLA '80' plain, '84' with secure messaging (b3)
 *   11.5    INSTALL [for personalization] (P1 '20'): data '00' (no load file
 *           AID) '00' (no module AID) Lapp AID '00' '00' '00'; answers '00'
 *   11.11   STORE DATA: the security domain passes each block, unwrapped, to
 *           the application named by the last INSTALL [for personalization]
 *           (here: the applet's `process` with CLA '80', INS 'E2', P1 as sent;
 *           b8 of P1 marks the last block)
 *   11.4    GET STATUS: P1 '80' the ISD, '40' applications; P2 b2 '1' the
 *           TLV answer 'E3' {'4F' AID, '9F70' life cycle, 'C5' privileges},
 *           b2 '0' the legacy one (Laid AID life-cycle privileges); P2 b1 '1'
 *           next occurrence; search criteria '4F' Lprefix prefix; '6310'
 *           when more records follow
 *   11.10   SET STATUS: P1 '40' an application, P2 '80' lock, '00' unlock,
 *           else an application-specific state (b1-b3 set); data = its AID
 *   11.2    DELETE: data '4F' L AID; answers '00'
 *   10.2.3  a command without the protection the session's level requires
 *           is refused with '6982' and the session ends
 * and Amendment D 7.1 (INITIALIZE UPDATE, EXTERNAL AUTHENTICATE; the
 * response to INITIALIZE UPDATE: key diversification data (10) || key
 * information (KVN, '03', i) || card challenge (8) || card cryptogram (8) ||
 * sequence counter (3)), with i = '70': pseudo-random card challenge, R-MAC
 * and R-ENCRYPTION supported, S8 mode.
 */
import type { CommandApdu } from '../../protocols/iso7816/apdu';
import { SW } from '../../protocols/iso7816/status-words';
import { encodeTlv, findTag, parseTlv } from '../../protocols/ber-tlv/tlv';
import {
  SECURITY_LEVEL, cardCryptogram, deriveSessionKeys, equal, hostCryptogram, newSession, pseudoRandomCardChallenge,
  unwrapCommand, unwrapExternalAuthenticate, wrapResponse,
} from '../../protocols/globalplatform/scp03';
import type { Scp03Session, StaticKeys } from '../../protocols/globalplatform/scp03';
import type { Applet, AppletContext, AppletResponse, SeInterface } from './applet';
import { LIFE_CYCLE } from './registry';
import type { AppletRegistry, RegistryEntry } from './registry';
import { concatBytes } from '../../protocols/bytes';

/** GP CS 2.3: the ISD's default AID. */
export const DEFAULT_ISD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00, 0x00);
/** Privileges byte 1 of the ISD (CS 11.1.2 Table 11-7: security domain, card lock, card terminate, card reset, CVM management). */
export const ISD_PRIVILEGES = 0x9e;
/** Key information i parameter (Amendment D 5.1, Table 5-1): pseudo-random challenge, R-MAC, R-ENC, S8. */
const I_PARAMETER = 0x70;
const ALLOWED_LEVELS = new Set([0x01, 0x03, 0x11, 0x13, 0x33]);

export const INS = {
  initializeUpdate: 0x50, externalAuthenticate: 0x82, install: 0xe6, storeData: 0xe2,
  getStatus: 0xf2, setStatus: 0xf0, delete: 0xe4,
} as const;

export interface IsdOptions {
  registry: AppletRegistry;
  keys: StaticKeys;
  keyVersion?: number;
  aid?: Uint8Array;
  /** Key diversification data of the INITIALIZE UPDATE answer (10 bytes). */
  diversificationData?: Uint8Array;
}

interface Session {
  scp: Scp03Session;
  via: SeInterface;
  hostChallenge: Uint8Array;
  cardChallenge: Uint8Array;
  authenticated: boolean;
}

export class IssuerSecurityDomain implements Applet {
  readonly aid: Uint8Array;
  private session: Session | undefined;
  private personalizing: RegistryEntry | undefined;
  private statusCursor = 0;

  constructor(private readonly options: IsdOptions) {
    this.aid = options.aid ?? DEFAULT_ISD_AID;
  }

  /** True while an authenticated secure channel is open (for tests and traces). */
  get secureChannelLevel(): number | undefined {
    return this.session?.authenticated ? this.session.scp.level : undefined;
  }

  select(): AppletResponse {
    this.closeSession();
    // CS 11.9.3.1: FCI '6F' {'84' AID, 'A5' proprietary {'9F65' maximum command data length}}.
    const fci = encodeTlv({ tag: 0x6f, children: [{ tag: 0x84, value: this.aid }, { tag: 0xa5, children: [{ tag: 0x9f65, value: Uint8Array.of(0xff) }] }] });
    return { data: fci, sw: SW.OK };
  }

  deselect(): void {
    this.closeSession();
  }

  reset(): void {
    this.closeSession();
  }

  process(command: CommandApdu, ctx: AppletContext): AppletResponse {
    if ((command.cla & 0xf0) !== 0x80) return status(SW.CLA_NOT_SUPPORTED);
    const session = this.session?.via === ctx.via ? this.session : undefined;
    const wrapped = (command.cla & 0x04) !== 0;

    if (command.ins === INS.initializeUpdate && !wrapped) return this.initializeUpdate(command, ctx);
    if (command.ins === INS.externalAuthenticate) return this.externalAuthenticate(command, session);

    let plain = command;
    if (wrapped) {
      if (!session?.authenticated) return this.refuse();
      const result = unwrapCommand(session.scp, command);
      if (!result.ok) return this.refuse();
      plain = { ...command, cla: command.cla & ~0x04, data: result.data };
    } else if (session?.authenticated) {
      return this.refuse(); // CS 10.2.3: the level asks for at least C-MAC on every command
    }
    const answer = this.dispatch(plain, ctx, session?.authenticated === true);
    const live = this.session;
    if (live?.authenticated && live.via === ctx.via && (live.scp.level & (SECURITY_LEVEL.rMac | SECURITY_LEVEL.rEncryption))) {
      return { data: wrapResponse(live.scp, answer.data, answer.sw), sw: answer.sw };
    }
    return answer;
  }

  private dispatch(command: CommandApdu, ctx: AppletContext, secured: boolean): AppletResponse {
    const guarded: number[] = [INS.install, INS.storeData, INS.getStatus, INS.setStatus, INS.delete];
    if (guarded.includes(command.ins) && !secured) return status(SW.SECURITY_STATUS_NOT_SATISFIED);
    switch (command.ins) {
      case INS.install: return this.install(command);
      case INS.storeData: return this.storeData(command, ctx);
      case INS.getStatus: return this.getStatus(command);
      case INS.setStatus: return this.setStatus(command);
      case INS.delete: return this.deleteApplet(command);
      default: return status(SW.INS_NOT_SUPPORTED);
    }
  }

  private initializeUpdate(command: CommandApdu, ctx: AppletContext): AppletResponse {
    this.closeSession();
    const kvn = this.options.keyVersion ?? 0x30;
    if (command.p2 !== 0) return status(SW.INCORRECT_P1P2);
    if (command.p1 !== 0 && command.p1 !== kvn) return status(SW.REFERENCED_DATA_NOT_FOUND);
    if (command.data.length !== 8) return status(SW.WRONG_LENGTH);
    const counter = ctx.store.transaction((tx) => {
      const old = tx.get('scp03/sequence-counter') ?? new Uint8Array(3);
      const n = ((old[0]! << 16) | (old[1]! << 8) | old[2]!) + 1;
      if (n > 0xffffff) return undefined;
      const next = Uint8Array.of(n >> 16, (n >> 8) & 0xff, n & 0xff);
      tx.put('scp03/sequence-counter', next);
      return next;
    });
    if (!counter) return status(SW.CONDITIONS_NOT_SATISFIED);
    const keys = this.options.keys;
    const hostChallenge = command.data.slice();
    const cardChallenge = pseudoRandomCardChallenge(keys.enc, counter, this.aid);
    const sessionKeys = deriveSessionKeys(keys, hostChallenge, cardChallenge);
    this.session = { scp: newSession(sessionKeys, 0), via: ctx.via, hostChallenge, cardChallenge, authenticated: false };
    const data = concatBytes(
      this.options.diversificationData ?? new Uint8Array(10),
      Uint8Array.of(kvn, 0x03, I_PARAMETER),
      cardChallenge,
      cardCryptogram(sessionKeys.sMac, hostChallenge, cardChallenge),
      counter,
    );
    return { data, sw: SW.OK };
  }

  private externalAuthenticate(command: CommandApdu, session: Session | undefined): AppletResponse {
    if (!session || session.authenticated) return this.refuse();
    if (command.cla !== 0x84 || command.p2 !== 0 || !ALLOWED_LEVELS.has(command.p1)) return this.refuse(SW.INCORRECT_P1P2);
    if (command.data.length !== 16) return this.refuse(SW.WRONG_LENGTH);
    session.scp.level = command.p1;
    const result = unwrapExternalAuthenticate(session.scp, command);
    if (!result.ok || !equal(result.data, hostCryptogram(session.scp.keys.sMac, session.hostChallenge, session.cardChallenge))) return this.refuse();
    session.authenticated = true;
    return status(SW.OK);
  }

  private install(command: CommandApdu): AppletResponse {
    if (command.p1 !== 0x20) return status(SW.INCORRECT_P1P2); // only [for personalization]
    const d = command.data;
    const aidLength = d[2];
    if (d[0] !== 0 || d[1] !== 0 || aidLength === undefined || d.length < 3 + aidLength) return status(SW.WRONG_DATA);
    const target = this.options.registry.find(d.subarray(3, 3 + aidLength));
    if (!target || target.applet === this) return status(SW.REFERENCED_DATA_NOT_FOUND);
    this.personalizing = target;
    return { data: Uint8Array.of(0x00), sw: SW.OK };
  }

  private storeData(command: CommandApdu, ctx: AppletContext): AppletResponse {
    const target = this.personalizing;
    if (!target) return status(SW.CONDITIONS_NOT_SATISFIED);
    const forwarded: CommandApdu = { cla: 0x80, ins: INS.storeData, p1: command.p1, p2: command.p2, data: command.data, ne: command.ne };
    try {
      return target.applet.process(forwarded, { store: target.store, via: ctx.via, notify: ctx.notify });
    } catch (e) {
      if (e instanceof Error && e.name === 'PowerCut') throw e;
      return status(SW.NO_PRECISE_DIAGNOSIS);
    }
  }

  private getStatus(command: CommandApdu): AppletResponse {
    const tlvFormat = (command.p2 & 0x02) !== 0;
    if ((command.p2 & ~0x03) !== 0) return status(SW.INCORRECT_P1P2);
    const registry = this.options.registry;
    let entries: RegistryEntry[];
    if (command.p1 === 0x80) entries = registry.all().filter((e) => e.applet === this);
    else if (command.p1 === 0x40) entries = registry.all().filter((e) => e.applet !== this);
    else if (command.p1 === 0x20 || command.p1 === 0x10) entries = [];
    else return status(SW.INCORRECT_P1P2);
    const criteria = parseTlv(command.data);
    const prefix = criteria.ok ? findTag(criteria.value, 0x4f)?.value : undefined;
    if (!prefix) return status(SW.WRONG_DATA);
    const prefixHex = Array.from(prefix, (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
    entries = entries.filter((e) => e.aidHex.startsWith(prefixHex));
    if ((command.p2 & 0x01) === 0) this.statusCursor = 0;
    const records = entries.slice(this.statusCursor).map((e) => {
      const state = Uint8Array.of(registry.lifeCycle(e));
      const privileges = Uint8Array.of(e.privileges, 0, 0);
      return tlvFormat
        ? encodeTlv({ tag: 0xe3, children: [{ tag: 0x4f, value: e.applet.aid }, { tag: 0x9f70, value: state }, { tag: 0xc5, value: privileges }] })
        : concatBytes(Uint8Array.of(e.applet.aid.length), e.applet.aid, state, privileges.subarray(0, 1));
    });
    if (records.length === 0) return status(SW.REFERENCED_DATA_NOT_FOUND);
    const out: Uint8Array[] = [];
    let size = 0;
    for (const r of records) {
      if (size + r.length > 239) break; // room for an R-MAC and padding within 256
      out.push(r);
      size += r.length;
    }
    this.statusCursor += out.length;
    return { data: concatBytes(...out), sw: out.length < records.length ? 0x6310 : SW.OK };
  }

  private setStatus(command: CommandApdu): AppletResponse {
    if (command.p1 !== 0x40) return status(SW.INCORRECT_P1P2);
    const target = this.options.registry.find(command.data);
    if (!target) return status(SW.REFERENCED_DATA_NOT_FOUND);
    if (target.applet === this) return status(SW.CONDITIONS_NOT_SATISFIED);
    const registry = this.options.registry;
    const current = registry.lifeCycle(target);
    let next: number;
    if (command.p2 === 0x80) next = current | LIFE_CYCLE.lockedBit;
    else if (command.p2 === 0x00) next = current & ~LIFE_CYCLE.lockedBit;
    else if ((command.p2 & 0x87) === 0x07) next = command.p2 | (current & LIFE_CYCLE.lockedBit);
    else return status(SW.INCORRECT_P1P2);
    registry.setLifeCycle(target, next);
    return status(SW.OK);
  }

  private deleteApplet(command: CommandApdu): AppletResponse {
    if (command.p1 !== 0 || (command.p2 & 0x7f) !== 0) return status(SW.INCORRECT_P1P2);
    const parsed = parseTlv(command.data);
    const aid = parsed.ok ? findTag(parsed.value, 0x4f)?.value : undefined;
    if (!aid) return status(SW.WRONG_DATA);
    const target = this.options.registry.find(aid);
    if (!target) return status(SW.REFERENCED_DATA_NOT_FOUND);
    if (target.applet === this) return status(SW.CONDITIONS_NOT_SATISFIED);
    this.options.registry.delete(target);
    if (this.personalizing === target) this.personalizing = undefined;
    return { data: Uint8Array.of(0x00), sw: SW.OK };
  }

  private refuse(sw: number = SW.SECURITY_STATUS_NOT_SATISFIED): AppletResponse {
    this.closeSession();
    return status(sw);
  }

  private closeSession(): void {
    this.session = undefined;
    this.personalizing = undefined;
    this.statusCursor = 0;
  }
}

function status(sw: number): AppletResponse {
  return { data: new Uint8Array(0), sw };
}
