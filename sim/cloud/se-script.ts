/**
 * The issuer cloud's side of an over-the-air APDU script for the strap's SE
 * (the wallet's transfer characteristic carries it: firmware/ble/README.md,
 * "Transfer"): a whole SCP03 session precomputed into one script, so that
 * neither the phone nor the strap ever holds a key.
 *
 * This works because the ISD answers INITIALIZE UPDATE with a pseudo-random
 * card challenge (key information i = '70'): the challenge is derived from
 * the static ENC key, the sequence counter and the ISD's AID (GP Amendment D
 * 6.2.2.1), so whoever holds the keys and knows the counter's next value
 * knows the card challenge, and with it the session keys and the host
 * cryptogram, before the card is asked. The script is
 *
 *   SELECT ISD, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, each command wrapped
 *
 * and the answers come back for the cloud to check: the card cryptogram
 * (the card holds the keys), then each response's R-MAC (R-ENC decrypted).
 * A counter that moved on meanwhile gives another card challenge: the card
 * cryptogram does not match and the EXTERNAL AUTHENTICATE fails ('6300'),
 * so nothing after it runs (the strap stops at the first status word other
 * than 9000).
 */
import {
  cardCryptogram, deriveSessionKeys, equal, externalAuthenticateCommand, hostCryptogram, newSession, pseudoRandomCardChallenge,
  SECURITY_LEVEL, unwrapResponse, wrapCommand,
} from '../../protocols/globalplatform/scp03';
import type { Scp03Session, StaticKeys } from '../../protocols/globalplatform/scp03';
import { encodeCommandApdu } from '../../protocols/iso7816/apdu';
import type { CommandApdu } from '../../protocols/iso7816/apdu';
import { DEFAULT_ISD_AID } from '../se/isd';

export interface SeScriptOptions {
  keys: StaticKeys;
  /** The counter's value in the last INITIALIZE UPDATE answer (its last 3 octets): the session uses the next. */
  lastSequenceCounter: number;
  /** 8 octets of the cloud's randomness. */
  hostChallenge: Uint8Array;
  /** The commands for the ISD, plain; each goes wrapped at `level`. */
  commands: readonly CommandApdu[];
  /** Default C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION ('33'). */
  level?: number;
  isdAid?: Uint8Array;
}

export interface SeAnswer {
  data: Uint8Array;
  sw: number;
}

export interface SeScript {
  /** The command APDUs, in order, for the transfer. */
  apdus: Uint8Array[];
  /** The SE's responses checked: the card cryptogram, EXTERNAL AUTHENTICATE, then each command's answer unwrapped. Throws on any mismatch. */
  read(responses: readonly Uint8Array[]): SeAnswer[];
}

const sw = (r: Uint8Array): number => (r.length < 2 ? -1 : (r[r.length - 2]! << 8) | r[r.length - 1]!);
const hex = (n: number) => n.toString(16).padStart(4, '0');

export function seScript(options: SeScriptOptions): SeScript {
  const aid = options.isdAid ?? DEFAULT_ISD_AID;
  const next = options.lastSequenceCounter + 1;
  const counter = Uint8Array.of(next >> 16, (next >> 8) & 0xff, next & 0xff);
  const host = options.hostChallenge;
  const card = pseudoRandomCardChallenge(options.keys.enc, counter, aid);
  const keys = deriveSessionKeys(options.keys, host, card);
  const session = newSession(keys, options.level ?? SECURITY_LEVEL.cMac | SECURITY_LEVEL.cDecryption | SECURITY_LEVEL.rMac | SECURITY_LEVEL.rEncryption);
  const apdus = [
    encodeCommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: aid, ne: 256 }),
    encodeCommandApdu({ cla: 0x80, ins: 0x50, p1: 0x00, p2: 0x00, data: host, ne: 256 }),
    encodeCommandApdu(externalAuthenticateCommand(session, hostCryptogram(keys.sMac, host, card))),
  ];
  // Each response is checked with the session as it stood after its own command (chaining value, counter).
  const states: Scp03Session[] = [];
  for (const command of options.commands) {
    apdus.push(encodeCommandApdu(wrapCommand(session, command)));
    states.push({ ...session, chaining: session.chaining.slice() });
  }
  return {
    apdus,
    read(responses) {
      const [selected, init, auth, ...rest] = responses;
      if (!selected || sw(selected) !== 0x9000) throw new Error(`SELECT of the ISD: ${selected ? hex(sw(selected)) : 'no answer'}`);
      if (!init || sw(init) !== 0x9000 || init.length < 34) throw new Error(`INITIALIZE UPDATE: ${init ? hex(sw(init)) : 'no answer'}`);
      const seen = init.subarray(29, 32);
      if (!equal(seen, counter)) throw new Error(`the card used sequence counter ${Buffer.from(seen).toString('hex')}, the script was made for ${Buffer.from(counter).toString('hex')}`);
      if (!equal(init.subarray(21, 29), cardCryptogram(keys.sMac, host, card))) throw new Error('card cryptogram mismatch: not our card, or not our keys');
      if (!auth || sw(auth) !== 0x9000) throw new Error(`EXTERNAL AUTHENTICATE: ${auth ? hex(sw(auth)) : 'no answer'}`);
      return rest.map((r, i) => {
        const status = sw(r);
        const data = unwrapResponse(states[i]!, r.subarray(0, r.length - 2), status);
        if (!data) throw new Error(`response ${i + 1}: R-MAC mismatch`);
        return { data, sw: status };
      });
    },
  };
}

/** The sequence counter an INITIALIZE UPDATE answer carries (its 3 octets after the card cryptogram). */
export function sequenceCounterOf(initializeUpdateResponse: Uint8Array): number {
  const c = initializeUpdateResponse.subarray(29, 32);
  return (c[0]! << 16) | (c[1]! << 8) | c[2]!;
}

/** [SELECT ISD, INITIALIZE UPDATE]: what a cloud sends first to learn the counter (the session it opens is dropped). */
export function counterProbe(hostChallenge: Uint8Array, isdAid: Uint8Array = DEFAULT_ISD_AID): Uint8Array[] {
  return [
    encodeCommandApdu({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: isdAid, ne: 256 }),
    encodeCommandApdu({ cla: 0x80, ins: 0x50, p1: 0x00, p2: 0x00, data: hostChallenge, ne: 256 }),
  ];
}
