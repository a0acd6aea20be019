/**
 * The host end of an SCP03 session, for the simulator's factory step and the
 * tests: opens a secure channel to the ISD and personalizes an applet with
 * INSTALL [for personalization] + STORE DATA, over any APDU transport
 * (the SE's host interface in-process, or T=1 over I2C through a driver).
 *
 * Commands and bytes: GP CS 2.3 11.5 / 11.11 and Amendment D 7.1 (see isd.ts);
 * the wrapping is protocols/globalplatform/scp03.ts, the same code as the
 * card's, checked on its own against published traces.
 */
import { encodeCommandApdu, parseResponseApdu, statusWord } from '../../protocols/iso7816/apdu';
import type { CommandApdu } from '../../protocols/iso7816/apdu';
import { continueAssembly, startAssembly } from '../../protocols/iso7816/response-chaining';
import {
  cardCryptogram, deriveSessionKeys, equal, externalAuthenticateCommand, hostCryptogram, newSession, unwrapResponse,
  wrapCommand, SECURITY_LEVEL,
} from '../../protocols/globalplatform/scp03';
import type { Scp03Session, StaticKeys } from '../../protocols/globalplatform/scp03';
import { DEFAULT_ISD_AID } from './isd';
import { concatBytes } from '../../protocols/bytes';

export type ApduTransport = (command: Uint8Array) => Uint8Array;

export class Scp03Error extends Error {
  constructor(detail: string, readonly sw?: number) {
    super(detail);
    this.name = 'Scp03Error';
  }
}

export interface Answer {
  data: Uint8Array;
  sw: number;
}

export class Scp03Host {
  private session: Scp03Session | undefined;

  constructor(
    private readonly transmit: ApduTransport,
    private readonly keys: StaticKeys,
    /** 8 bytes per call: the host challenge (seeded randomness in the simulator). */
    private readonly challenge: () => Uint8Array,
  ) {}

  /** Plain exchange with '61XX'/'6CXX' handled (ISO/IEC 7816-4 5.1.3). */
  exchange(command: CommandApdu): Answer {
    let assembly = startAssembly(command);
    let next: CommandApdu = command;
    for (let round = 0; round < 64; round++) {
      const response = parseResponseApdu(this.transmit(encodeCommandApdu(next)));
      if (!response) throw new Scp03Error('a response shorter than its status word');
      const step = continueAssembly(assembly, response);
      if (step.kind === 'done') return { data: step.response.data, sw: statusWord(step.response) };
      assembly = step.assembly;
      next = step.command;
    }
    throw new Scp03Error('more than 64 GET RESPONSE rounds');
  }

  /** SELECT the ISD, INITIALIZE UPDATE, check the card cryptogram, EXTERNAL AUTHENTICATE at `level`. */
  open(level: number = SECURITY_LEVEL.cMac | SECURITY_LEVEL.cDecryption | SECURITY_LEVEL.rMac | SECURITY_LEVEL.rEncryption, options: { isdAid?: Uint8Array; keyVersion?: number } = {}): void {
    this.session = undefined;
    const aid = options.isdAid ?? DEFAULT_ISD_AID;
    const selected = this.exchange({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x00, data: aid, ne: 256 });
    if (selected.sw !== 0x9000) throw new Scp03Error('SELECT of the ISD refused', selected.sw);
    const hostChallenge = this.challenge();
    const init = this.exchange({ cla: 0x80, ins: 0x50, p1: options.keyVersion ?? 0, p2: 0, data: hostChallenge, ne: 256 });
    if (init.sw !== 0x9000 || init.data.length < 29) throw new Scp03Error('INITIALIZE UPDATE refused', init.sw);
    const cardChallenge = init.data.slice(13, 21);
    const keys = deriveSessionKeys(this.keys, hostChallenge, cardChallenge);
    if (!equal(cardCryptogram(keys.sMac, hostChallenge, cardChallenge), init.data.subarray(21, 29))) throw new Scp03Error('card cryptogram mismatch: not our card, or not our keys');
    const session = newSession(keys, level);
    const auth = externalAuthenticateCommand(session, hostCryptogram(keys.sMac, hostChallenge, cardChallenge));
    const authAnswer = this.exchange(auth);
    if (authAnswer.sw !== 0x9000) throw new Scp03Error('EXTERNAL AUTHENTICATE refused', authAnswer.sw);
    this.session = session;
  }

  /** One command through the secure channel; the answer checked (R-MAC) and decrypted (R-ENC). */
  send(command: CommandApdu): Answer {
    const session = this.session;
    if (!session) throw new Scp03Error('no secure channel open');
    const answer = this.exchange(wrapCommand(session, command));
    if (answer.sw >> 8 === 0x69 && (answer.sw & 0xff) === 0x82) {
      this.session = undefined;
      return answer;
    }
    const data = unwrapResponse(session, answer.data, answer.sw);
    if (!data) throw new Scp03Error('R-MAC mismatch', answer.sw);
    return { data, sw: answer.sw };
  }

  /**
   * INSTALL [for personalization] of `aid`, then STORE DATA of each block
   * (P1 b8 set on the last, P2 the block number), as GP CS 2.3 11.11 orders them.
   */
  personalize(aid: Uint8Array, blocks: readonly Uint8Array[]): Answer[] {
    const install = this.send({ cla: 0x80, ins: 0xe6, p1: 0x20, p2: 0x00, data: concatBytes(Uint8Array.of(0, 0, aid.length), aid, Uint8Array.of(0, 0, 0)), ne: 256 });
    if (install.sw !== 0x9000) throw new Scp03Error('INSTALL [for personalization] refused', install.sw);
    return blocks.map((block, i) => {
      const last = i === blocks.length - 1;
      const answer = this.send({ cla: 0x80, ins: 0xe2, p1: last ? 0x80 : 0x00, p2: i & 0xff, data: block });
      if (answer.sw !== 0x9000) throw new Scp03Error(`STORE DATA block ${i} refused`, answer.sw);
      return answer;
    });
  }
}
