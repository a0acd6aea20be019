import { describe, expect, it } from 'vitest';
import { NonVolatileMemory } from './nvm';
import { AppletRegistry, LIFE_CYCLE } from './registry';
import { ApduRuntime } from './runtime';
import { DEFAULT_ISD_AID, ISD_PRIVILEGES, IssuerSecurityDomain } from './isd';
import { Scp03Host } from './scp03-host';
import { EchoApplet, hexBytes, toHex } from './testing/echo-applet';
import type { StaticKeys } from '../../protocols/globalplatform/scp03';

const KEYS: StaticKeys = { enc: hexBytes('000102030405060708090a0b0c0d0e0f'), mac: hexBytes('101112131415161718191a1b1c1d1e1f'), dek: hexBytes('202122232425262728292a2b2c2d2e2f') };
const ISD_R = hexBytes('A0000005591010FFFFFFFF8900000100');
const PAYMENT = hexBytes('A0000000031010');

function card(aid: Uint8Array = DEFAULT_ISD_AID, counter?: number) {
  const nvm = new NonVolatileMemory();
  const registry = new AppletRegistry(nvm);
  const isd = new IssuerSecurityDomain({ registry, keys: KEYS, keyVersion: 0x30, aid });
  registry.install(isd, { privileges: ISD_PRIVILEGES, lifeCycle: LIFE_CYCLE.secured });
  const applet = new EchoApplet(PAYMENT);
  registry.install(applet);
  if (counter !== undefined) nvm.transaction((tx) => tx.put(`${toHex(aid)}/scp03/sequence-counter`, Uint8Array.of(0, 0, counter)));
  const runtime = new ApduRuntime({ via: 'host', registry, notify: () => undefined, defaultAid: aid });
  const send = (h: string) => toHex(runtime.process(hexBytes(h)));
  let n = 0;
  const host = new Scp03Host((c) => runtime.process(c), KEYS, () => Uint8Array.from({ length: 8 }, () => n++));
  return { nvm, registry, isd, applet, runtime, send, host };
}

/**
 * The card side against pySim's published traces (tests/unittests/test_globalplatform.py,
 * SCP03_Test_AES128_03 and _33, from a sysmoEUICC1-C2T whose ISD-R has AID
 * A0000005591010FFFFFFFF8900000100): our ISD, given the same keys and sequence
 * counter, answers INITIALIZE UPDATE with the very bytes the real card sent,
 * and accepts the host's EXTERNAL AUTHENTICATE and secured commands.
 */
describe('ISD: SCP03 against the published card traces', () => {
  it('level 03 (C-MAC + C-DECRYPTION): same INITIALIZE UPDATE answer, authentication, secured GET STATUS', () => {
    const { send } = card(ISD_R);
    expect(send('80503000088e1552d0513c60f300')).toBe('0000000000000000000030037030760cd2c47c1dd395065fe5ead8a9d7000001'.toUpperCase() + '9000');
    expect(send('8482030010fd4721a14d9b07003c451d2f8ae6bb21')).toBe('9000');
    expect(send('84e2910018ca9c00f6713d79bc8baa642bdff51c3f6a4082d3bd9ad26c00')).toBe('6985'); // STORE DATA (GET EID): MAC good, no personalization target
    expect(send('84f2200208c9811b11f1264cf1')).toBe('6A80'); // GET STATUS of load files without search criteria: MAC good, data refused
    expect(send('84ca006608e10ab60b3054798800')).toBe('6D00'); // GET DATA is not ours: MAC good, INS refused
    expect(send('84f22002184e2908bdb48b2315a55482e9e936ca122d6ecfae7d17416e')).toBe('6A80'); // decrypted to the plain '4F 02 1234 5C 05 4F9F70C5': its '5C' is one byte short
    expect(send('84f28002180dd10a6b6193e5340b9e77d32d5a179cd710ac2773aefb2800')).toBe(`E31B4F10${toHex(ISD_R)}9F70010FC5039E00009000`);
  });

  it('level 33: the card cryptogram the real card sent, and R-MAC + R-ENC answers the host can open', () => {
    const { send, isd } = card(ISD_R, 2);
    expect(send('8050300008fdf38259a1e0de4400').slice(0, 64)).toBe('000000000000000000003003703b1aca81e821f219081cdc01c26b372d000003'.toUpperCase());
    expect(send('84823300108c36f96bcc00724a4e13ad591d7da3f0')).toBe('9000');
    expect(isd.secureChannelLevel).toBe(0x33);
  });
});

describe('ISD: security', () => {
  it('card content management without a secure channel is refused with 6982', () => {
    const { send } = card();
    for (const c of ['80F24002024F0000', '80E620000D000007A000000003101000000000', '80E2800001AA', '80F0408007A0000000031010', '80E40000094F07A0000000031010']) {
      expect(send(c)).toBe('6982');
    }
  });

  it('a bad MAC gets 6982 and closes the session; the next secured command is refused too', () => {
    const { host, isd, runtime } = card();
    host.open(0x01);
    expect(isd.secureChannelLevel).toBe(0x01);
    const good = host.send({ cla: 0x80, ins: 0xf2, p1: 0x40, p2: 0x02, data: hexBytes('4F00'), ne: 256 });
    expect(good.sw).toBe(0x9000);
    expect(toHex(runtime.process(hexBytes('84F240020A4F000011223344556677')))).toBe('6982');
    expect(isd.secureChannelLevel).toBeUndefined();
    // the host's next (correctly MACed) command finds no session on the card any more
    expect(host.send({ cla: 0x80, ins: 0xf2, p1: 0x40, p2: 0x02, data: hexBytes('4F00'), ne: 256 }).sw).toBe(0x6982);
  });

  it('an unprotected command inside a C-MAC session closes it (GP CS 10.2.3)', () => {
    const { host, isd, send } = card();
    host.open(0x01);
    expect(send('80F240020 24F0000'.replace(' ', ''))).toBe('6982');
    expect(isd.secureChannelLevel).toBeUndefined();
  });

  it('a wrong host cryptogram is refused and leaves no session', () => {
    const { send, isd } = card();
    expect(send('80503000080001020304050607 00'.replace(' ', '')).endsWith('9000')).toBe(true);
    expect(send('848201001000000000000000000000000000000000')).toBe('6982');
    expect(isd.secureChannelLevel).toBeUndefined();
  });

  it('the sequence counter survives in NVM and steps once per INITIALIZE UPDATE', () => {
    const { send } = card();
    const init = (kvn: string) => send(`8050${kvn}0008${'00'.repeat(8)}00`);
    expect(init('00').slice(58, 64)).toBe('000001');
    expect(init('30').slice(58, 64)).toBe('000002');
    expect(init('31')).toBe('6A88'); // key version 31 is not ours
  });
});

describe('ISD: card content management through a C-MAC + C-DEC + R-MAC + R-ENC session', () => {
  it('personalizes an applet: INSTALL [for personalization] then STORE DATA reaches it in the clear', () => {
    const { host, applet } = card();
    host.open();
    const answers = host.personalize(PAYMENT, [hexBytes('0101 0411223344'.replace(' ', '')), hexBytes('0102 03AABBCC'.replace(' ', ''))]);
    expect(answers.map((a) => a.sw)).toEqual([0x9000, 0x9000]);
    expect(applet.commands.map((c) => [c.cla, c.ins, c.p1, c.p2, toHex(c.data)])).toEqual([
      [0x80, 0xe2, 0x00, 0x00, '01010411223344'],
      [0x80, 0xe2, 0x80, 0x01, '010203AABBCC'],
    ]);
  });

  it('GET STATUS lists applications (TLV and legacy), SET STATUS locks and unlocks, DELETE removes', () => {
    const { host, registry, send } = card();
    host.open();
    const list = host.send({ cla: 0x80, ins: 0xf2, p1: 0x40, p2: 0x02, data: hexBytes('4F00'), ne: 256 });
    expect(toHex(list.data)).toBe('E3124F07A00000000310109F700107C503000000');
    const legacy = host.send({ cla: 0x80, ins: 0xf2, p1: 0x40, p2: 0x00, data: hexBytes('4F00'), ne: 256 });
    expect(toHex(legacy.data)).toBe('07A00000000310100700');
    expect(host.send({ cla: 0x80, ins: 0xf0, p1: 0x40, p2: 0x80, data: PAYMENT }).sw).toBe(0x9000);
    expect(registry.isLocked(registry.find(PAYMENT)!)).toBe(true);
    expect(host.send({ cla: 0x80, ins: 0xf0, p1: 0x40, p2: 0x00, data: PAYMENT }).sw).toBe(0x9000);
    expect(registry.isLocked(registry.find(PAYMENT)!)).toBe(false);
    expect(toHex(host.send({ cla: 0x80, ins: 0xe4, p1: 0x00, p2: 0x00, data: hexBytes('4F07A0000000031010'), ne: 256 }).data)).toBe('00');
    expect(registry.find(PAYMENT)).toBeUndefined();
    expect(host.send({ cla: 0x80, ins: 0xe4, p1: 0x00, p2: 0x00, data: hexBytes('4F07A0000000031010') }).sw).toBe(0x6a88);
    host.open();
    expect(host.send({ cla: 0x80, ins: 0xe4, p1: 0x00, p2: 0x00, data: hexBytes(`4F08${toHex(DEFAULT_ISD_AID)}`) }).sw).toBe(0x6985);
    expect(send('00A4040007A000000003101000')).toBe('6A82');
  });
});
