/**
 * SCP03 against published traces: osmocom pySim,
 * tests/unittests/test_globalplatform.py (classes SCP03_Test_AES128_11 …
 * SCP03_Test_AES256_33), "test vectors generated while talking to a
 * sysmoEUICC1-C2T" (commit "Implement Global Platform SCP03", pySim,
 * gerrit.osmocom.org). Static keys: ENC 000102…0F, MAC 101112…1F, DEK
 * 202122…2F (the 192/256-bit keys repeat the pattern). Each trace: INITIALIZE
 * UPDATE, its response, EXTERNAL AUTHENTICATE, then a STORE DATA (GET EID)
 * with its response, then four GET STATUS-like commands of ISO cases 1-4.
 * The card cryptogram in each response was computed by the real card; the
 * wrapped commands by pySim and accepted by that card.
 */
import { describe, expect, it } from 'vitest';
import {
  cardCryptogram, deriveSessionKeys, externalAuthenticateCommand, hostCryptogram, newSession, pseudoRandomCardChallenge, unwrapCommand,
  unwrapExternalAuthenticate, unwrapResponse, wrapCommand, wrapResponse,
} from './scp03';
import type { StaticKeys, WrappedCommand } from './scp03';

const h = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const x = (b: Uint8Array) => Buffer.from(b).toString('hex');

function keyset(bytes: number): StaticKeys {
  const pattern = (base: number) => Uint8Array.from({ length: bytes }, (_, i) => base + (i % 16));
  return { enc: pattern(0x00), mac: pattern(0x10), dek: pattern(0x20) };
}

const PLAIN = {
  getEidCmd: '80E2910006BF3E035C015A00',
  getEidRsp: 'bf3e125a1089882119900000000000000000000005',
  cases: ['80F22002', '80ca006600', '80F220020a4f0212345c054f9f70c5', '80f28002024f0000'],
};

interface Trace { name: string; keyBytes: number; initUpdCmd: string; initUpdRsp: string; extAuth: string; getEidCmd: string; getEidRsp: string; cases: string[] }
const TRACES: Trace[] = [
  { name: 'AES-128, level 11', keyBytes: 16, initUpdCmd: '8050300008b13e5f938fc108c400', initUpdRsp: '000000000000000000003003703eb51047495b249f66c484c1d2ef1948000002', extAuth: '84821100107d5f5826a993ebc89eea24957fa0b3ce', getEidCmd: '84e291000ebf3e035c015a558d036518a2829700', getEidRsp: 'bf3e125a1089882119900000000000000000000005971be68992dbbdfa', cases: ['84f220020863a63f8959827fb2', '84ca006608a0c6a4a74166f7ce00', '84f22002124f0212345c054f9f70c52249b50272656536', '84f280020a4f00e91443f6dce6b8ed00'] },
  { name: 'AES-128, level 03', keyBytes: 16, initUpdCmd: '80503000088e1552d0513c60f300', initUpdRsp: '0000000000000000000030037030760cd2c47c1dd395065fe5ead8a9d7000001', extAuth: '8482030010fd4721a14d9b07003c451d2f8ae6bb21', getEidCmd: '84e2910018ca9c00f6713d79bc8baa642bdff51c3f6a4082d3bd9ad26c00', getEidRsp: 'bf3e125a1089882119900000000000000000000005', cases: ['84f2200208c9811b11f1264cf1', '84ca006608e10ab60b3054798800', '84f22002184e2908bdb48b2315a55482e9e936ca122d6ecfae7d17416e', '84f28002180dd10a6b6193e5340b9e77d32d5a179cd710ac2773aefb2800'] },
  { name: 'AES-128, level 33', keyBytes: 16, initUpdCmd: '8050300008fdf38259a1e0de4400', initUpdRsp: '000000000000000000003003703b1aca81e821f219081cdc01c26b372d000003', extAuth: '84823300108c36f96bcc00724a4e13ad591d7da3f0', getEidCmd: '84e2910018267a85dfe4a98fca6fb0527e0dfecce4914e40401433c87f00', getEidRsp: 'f3ba2b1013aa6224f5e1c138d71805c569e5439b47576260b75fc021b25097cb2e68f8a0144975b9', cases: ['84f2200208ac6a59024bed84cc', '84ca006608409912ad8fb7aed000', '84f22002185f3dafc3ac14c381536a488bf44e06d056df9d74dbd21e5a', '84f280021865165105be3373347d0424d4400af2ac393f569ec779389e00'] },
  { name: 'AES-192, level 33', keyBytes: 24, initUpdCmd: '80503100089b3f2eef0e8c937400', initUpdRsp: '00000000000000000000310370f6bb305a15bae1a68f79fb08212fbed7000002', extAuth: '84823300109100bc22d58b45b86a26365ce39ff3cf', getEidCmd: '84e29100188f7f946c84f70d17994bc6e8791251bb1bb1bf02cf8de58900', getEidRsp: 'c05176c1b6f72aae50c32cbee63b0e95998928fd4dfb2be9f27ffde8c8476f5909b4805cc4039599', cases: ['84f2200208d5d97754b6b3d2ba', '84ca006608516c82b8e30adbeb00', '84f2200218cc247f4761e6944277a4e0d6e32e44025b1e31537e2fc668', '84f2800218ba22b63d509bef5d093b43e5eaed03ed23144ab2d9cb51de00'] },
  { name: 'AES-256, level 03', keyBytes: 32, initUpdCmd: '8050320008c6066990fc426e1d00', initUpdRsp: '000000000000000000003203708682cd81bbd8919f2de3f2664581f118000001', extAuth: '848203001077c493b632edadaf865a1e64acc07ce9', getEidCmd: '84e29100183ddaa60594963befaada3525b492ede23c2ab2c1ce3afe4400', getEidRsp: 'bf3e125a1089882119900000000000000000000005', cases: ['84f2200208480ddc8e419da38d', '84ca0066083e9d6a6c0b2d732000', '84f22002183ebfef2da8b04af2a85f491f299b76973df76ff08a4031be', '84f2800218783fff80990f5585b1055010ea95094a26e4a8f1ef4b18e100'] },
  { name: 'AES-256, level 33', keyBytes: 32, initUpdCmd: '805032000897b2055fe58599fd00', initUpdRsp: '00000000000000000000320370a8439a22cedf045fa9f1903b2834f26e000002', extAuth: '8482330010508a0fd959d2e547c6b33154a6be2057', getEidCmd: '84e29100187a5ef717eaf1e135ae92fe54429d0e465decda65f5fe5aea00', getEidRsp: 'ea90dbfa648a67c5eb6abc57f8530b97d0cd5647c5e8732016b55203b078dd2ace7f8bc5d1c1cd99', cases: ['84f2200208bcc5c17275545d93', '84ca00660804806aba9d543bb600', '84f2200218717222491556ec81a45f49ce48be33320024801a1c4cb0e0', '84f2800218561f105bccd3a1642904b251ccc1228beb80a82370a8637000'] },
];

/** Short APDU bytes → fields (the traces are all short, case 1-4). */
function fields(apdu: Uint8Array): WrappedCommand {
  const [cla, ins, p1, p2] = [apdu[0]!, apdu[1]!, apdu[2]!, apdu[3]!];
  if (apdu.length === 4) return { cla, ins, p1, p2, data: new Uint8Array(0) };
  if (apdu.length === 5) return { cla, ins, p1, p2, data: new Uint8Array(0), ne: apdu[4] || 256 };
  const lc = apdu[4]!;
  const data = apdu.slice(5, 5 + lc);
  return apdu.length > 5 + lc ? { cla, ins, p1, p2, data, ne: apdu[5 + lc] || 256 } : { cla, ins, p1, p2, data };
}

function bytesOf(c: WrappedCommand): string {
  const out = [c.cla, c.ins, c.p1, c.p2];
  if (c.data.length) out.push(c.data.length, ...c.data);
  if (c.ne !== undefined) out.push(c.ne === 256 ? 0 : c.ne);
  return x(Uint8Array.from(out));
}

describe.each(TRACES)('SCP03 published trace ($name)', (t) => {
  const keys = keyset(t.keyBytes);
  const init = h(t.initUpdCmd);
  const rsp = h(t.initUpdRsp);
  const hostChallenge = init.slice(5, 13);
  const cardChallenge = rsp.slice(13, 21);
  const level = h(t.extAuth)[2]!;
  const session = () => newSession(deriveSessionKeys(keys, hostChallenge, cardChallenge), level);

  it('the card cryptogram the card sent is the one derived from the static keys and both challenges', () => {
    const s = session();
    expect(x(cardCryptogram(s.keys.sMac, hostChallenge, cardChallenge))).toBe(x(rsp.slice(21, 29)));
  });

  it('host side: EXTERNAL AUTHENTICATE and every wrapped command are byte for byte the trace’s', () => {
    const s = session();
    expect(bytesOf(externalAuthenticateCommand(s, hostCryptogram(s.keys.sMac, hostChallenge, cardChallenge)))).toBe(t.extAuth);
    expect(bytesOf(wrapCommand(s, fields(h(PLAIN.getEidCmd))))).toBe(t.getEidCmd);
    expect(x(unwrapResponse(s, h(t.getEidRsp), 0x9000)!)).toBe(PLAIN.getEidRsp);
    t.cases.forEach((expected, i) => expect(bytesOf(wrapCommand(s, fields(h(PLAIN.cases[i]!))))).toBe(expected));
  });

  it('card side: the trace’s commands unwrap to the plain ones, and the card’s response wraps to the trace’s', () => {
    const s = session();
    const auth = unwrapExternalAuthenticate(s, fields(h(t.extAuth)));
    expect(auth.ok && x(auth.data)).toBe(x(hostCryptogram(s.keys.sMac, hostChallenge, cardChallenge)));
    const eid = unwrapCommand(s, fields(h(t.getEidCmd)));
    expect(eid.ok && x(eid.data)).toBe('bf3e035c015a');
    expect(x(wrapResponse(s, h(PLAIN.getEidRsp), 0x9000))).toBe(t.getEidRsp);
    t.cases.forEach((wrapped, i) => {
      const r = unwrapCommand(s, fields(h(wrapped)));
      expect(r.ok && x(r.data)).toBe(x(fields(h(PLAIN.cases[i]!)).data));
    });
  });

  it('card side: one flipped MAC bit is refused', () => {
    const s = session();
    unwrapExternalAuthenticate(s, fields(h(t.extAuth)));
    const bad = h(t.getEidCmd);
    bad[bad.length - 2]! ^= 0x01;
    expect(unwrapCommand(s, fields(bad))).toEqual({ ok: false, reason: 'bad-mac' });
  });
});

describe('SCP03 pseudo-random card challenge (Amendment D 6.2.2.1)', () => {
  // The sysmoEUICC1's ISD-R (AID A0000005591010FFFFFFFF8900000100, SGP.22) invoked INITIALIZE UPDATE in the traces above;
  // its card challenge is the KDF of the sequence counter the response carries and that AID, under Key-ENC.
  it.each([
    ['000001', '30760cd2c47c1dd3'],
    ['000002', '3eb51047495b249f'],
    ['000003', '3b1aca81e821f219'],
  ])('sequence counter %s gives the card challenge %s the card sent', (counter, challenge) => {
    expect(x(pseudoRandomCardChallenge(keyset(16).enc, h(counter), h('A0000005591010FFFFFFFF8900000100')))).toBe(challenge);
  });
});
