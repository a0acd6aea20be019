// The wallet service end to end: the companion phone (sim/phone) paired with the strap firmware (dist/strap.js)
// on the virtual air, the strap's SE, NFC controller and a POS terminal (sim/scenario/strap-payment.ts). The phone
// unlocks and locks card emulation, hears the status notification after each tap, reads the transactions,
// suspends and resumes the token in the SE, and runs APDU scripts against the ISD over the chunked transfer
// (firmware/ble/README.md, "Wallet").
import { describe, expect, it } from 'vitest';
import { cardCryptogram, deriveSessionKeys } from '../../protocols/globalplatform/scp03';
import { crc32 } from '../../protocols/crc32';
import { strapWithPhone } from '../scenario/testing/strap-with-phone';
import type { StrapWithPhone } from '../scenario/testing/strap-with-phone';
import { STRAP_PINS } from '../strap/wiring';
import { DEFAULT_ISD_AID } from '../se/isd';
import { counterProbe, seScript, sequenceCounterOf } from '../cloud/se-script';
import { encodeScript, TransferOp, WalletResult, type WalletStatusNotice } from './wallet-client';

async function paired(seed: number): Promise<StrapWithPhone> {
  const s = strapWithPhone(seed);
  s.board.pressButton(1500);
  s.board.run(1600);
  s.companion.tapTag(s.board.nfc);
  await s.companion.pair();
  return s;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
/** SELECT of the ISD by its AID (GP CS 2.3 11.9). */
const SELECT_ISD = bytes(`00a40400 08 ${hex(DEFAULT_ISD_AID)} 00`);

describe('the wallet service with the strap firmware and the companion phone', () => {
  it('unlocks the worn strap from the phone: card emulation comes on, a tap is approved, the phone hears the status after it and reads the transaction', async () => {
    const s = await paired(71);
    const wallet = s.companion.wallet();
    const heard: WalletStatusNotice[] = [];
    await wallet.onStatus((n) => heard.push(n));
    expect(await wallet.unlock()).toEqual({ worn: true, unlocked: true, cardEmulation: false });
    s.board.run(300);
    expect(heard.at(-1)).toEqual({ worn: true, unlocked: true, cardEmulation: true, kept: 0 });
    expect(s.value('strap.status()')).toMatchObject({ worn: true, unlocked: true, ce: 'on' });

    const tap = await s.payment.tap({ amountMinor: 1250 });
    expect(tap.outcome).toBe('approved');
    s.board.run(1000);
    const newest = { atc: 1, outcome: 'online', currency: 978, amount: 1250 };
    expect(heard.at(-1)).toEqual({ worn: true, unlocked: true, cardEmulation: true, kept: 1, newest });
    expect(await wallet.transactions()).toEqual([newest]);
    expect(await wallet.readStatus()).toEqual(heard.at(-1));
  });

  it('refuses to unlock a strap nobody wears (result 3), and locks when the strap comes off: card emulation off, the phone told', async () => {
    const s = await paired(72);
    const wallet = s.companion.wallet();
    const heard: WalletStatusNotice[] = [];
    await wallet.onStatus((n) => heard.push(n));
    s.target.setClasp(false);
    s.board.run(100);
    expect(await wallet.unlock().catch((e: unknown) => e)).toMatchObject({ step: 'wallet', code: WalletResult.REFUSED });
    s.target.setClasp(true);
    s.board.run(100);
    await wallet.unlock();
    s.board.run(300);
    expect(heard.at(-1)).toMatchObject({ unlocked: true, cardEmulation: true });
    s.target.setClasp(false);
    s.board.run(300);
    expect(heard.at(-1)).toMatchObject({ worn: false, unlocked: false, cardEmulation: false });
    expect((await s.payment.tap({ amountMinor: 500 })).outcome).toBe('no-card');
  });

  it('locks from the phone: card emulation off, no card found at the terminal; unlocking again pays', async () => {
    const s = await paired(73);
    const wallet = s.companion.wallet();
    await wallet.unlock();
    s.board.run(300);
    expect(await wallet.lock()).toEqual({ worn: true, unlocked: false, cardEmulation: false }); // stopping already
    s.board.run(300);
    expect(s.value('strap.status()')).toMatchObject({ unlocked: false, ce: 'off' });
    expect(s.board.pinLevel(STRAP_PINS.SE_EN)).toBe(false);
    expect((await s.payment.tap({ amountMinor: 500 })).outcome).toBe('no-card');
    await wallet.unlock();
    s.board.run(300);
    expect((await s.payment.tap({ amountMinor: 500 })).outcome).toBe('approved');
  });

  it('suspends the token from the phone: the next tap is declined at the card (AAC, no issuer call); resumed, the tap after pays', async () => {
    const s = await paired(74);
    const wallet = s.companion.wallet();
    await wallet.unlock();
    s.board.run(300);
    await wallet.suspend();
    // The applet's own state, read over the SE's host interface (GET DATA 'DF20': 02 suspended).
    const state = () => hex(s.payment.se.runApdu(s.payment.se.hostRuntime, bytes('00a4040007a000000003101000'))!.response) && hex(s.payment.se.runApdu(s.payment.se.hostRuntime, bytes('80cadf2000'))!.response);
    expect(state()).toBe('df2001029000');
    const declined = await s.payment.tap({ amountMinor: 1250 });
    expect(declined.outcome).toBe('declined');
    expect(declined.result?.cid).toBe(0x00);
    expect(declined.issuer).toBeUndefined();
    s.board.run(1000);
    expect((await wallet.transactions())[0]).toMatchObject({ atc: 1, outcome: 'declined', amount: 1250 });
    await wallet.resume();
    expect(state()).toBe('df2001019000');
    expect((await s.payment.tap({ amountMinor: 1250 })).outcome).toBe('approved');
  });

  it('suspends with card emulation off too: the strap powers the SE for the command and off again', async () => {
    const s = await paired(75);
    const levels: boolean[] = [];
    s.board.onPinChange((c) => c.pin === STRAP_PINS.SE_EN && levels.push(c.level));
    await s.companion.wallet().suspend();
    expect(levels).toEqual([true, false]);
    s.board.run(100);
    expect(s.value('strap.status()')).toMatchObject({ ce: 'off' });
  });

  it('runs an APDU script against the ISD over the chunked transfer: INITIALIZE UPDATE reaches the ISD and its card cryptogram checks with the issuer\'s keys', async () => {
    const s = await paired(76);
    const hostChallenge = bytes('0102030405060708');
    const responses = await s.companion.wallet().runScript([SELECT_ISD, bytes(`80500000 08 ${hex(hostChallenge)} 00`)]);
    expect(responses.map((r) => hex(r.subarray(-2)))).toEqual(['9000', '9000']);
    // GP Amendment D 7.1.2: diversification data (10), key information (3), card challenge (8), card cryptogram (8), sequence counter (3).
    const init = responses[1]!;
    expect(init.length).toBe(32 + 2);
    const cardChallenge = init.subarray(13, 21);
    const keys = deriveSessionKeys(s.payment.isdKeys, hostChallenge, cardChallenge);
    expect(hex(init.subarray(21, 29))).toBe(hex(cardCryptogram(keys.sMac, hostChallenge, cardChallenge)));
    expect(s.companion.log.events.at(-1)?.text).toBe('script of 2 APDUs (32 octets) run: 2 responses');
  });

  it('carries a whole SCP03 session the cloud precomputed (one script, no key on the phone or the strap): GET STATUS of the applications answers through the secure channel', async () => {
    const s = await paired(83);
    const wallet = s.companion.wallet();
    const probe = await wallet.runScript(counterProbe(bytes('1111111111111111')));
    const script = seScript({
      keys: s.payment.isdKeys,
      lastSequenceCounter: sequenceCounterOf(probe[1]!),
      hostChallenge: bytes('2222222222222222'),
      // GET STATUS of the applications (P1 '40'), TLV answer (P2 '02'), every AID: GP CS 2.3 11.4
      commands: [{ cla: 0x80, ins: 0xf2, p1: 0x40, p2: 0x02, data: bytes('4f00'), ne: 256 }],
    });
    const [status] = script.read(await wallet.runScript(script.apdus));
    expect(status!.sw).toBe(0x9000);
    expect(hex(status!.data)).toContain('4f07a0000000031010'); // the payment applet, Visa's AID
  });

  it('stops the script after the first status word other than 9000: the APDUs after it never reach the SE', async () => {
    const s = await paired(77);
    // GET STATUS outside a secure channel: the ISD refuses it (6982); the INITIALIZE UPDATE after it is not sent.
    const responses = await s.companion.wallet().runScript([SELECT_ISD, bytes('80f28002024f0000'), bytes('8050000008010203040506070800')]);
    expect(responses.map((r) => hex(r.subarray(-2)))).toEqual(['9000', '6982']);
  });

  it('resumes a transfer cut by a link loss: after the reconnect the strap answers the offset it expects and the script runs once', async () => {
    const s = await paired(78);
    const script = [SELECT_ISD, bytes('8050000008a1a2a3a4a5a6a7a800')];
    await expect(s.companion.wallet().runScript(script, { stopAfterChunks: 1 })).rejects.toMatchObject({ reason: 'transfer stopped at 17 of 32' });
    await s.companion.reconnect();
    const responses = await s.companion.wallet().runScript(script);
    expect(s.companion.log.events.map((e) => e.text)).toContain('transfer resumed at 17 of 32');
    expect(responses.map((r) => hex(r.subarray(-2)))).toEqual(['9000', '9000']);
  });

  it('answers a chunk at the wrong offset with the offset it expects, losing nothing', async () => {
    const s = await paired(79);
    const wallet = s.companion.wallet();
    const script = encodeScript([SELECT_ISD]);
    const crc = crc32(script);
    await wallet.transfer(TransferOp.BEGIN, Uint8Array.of(0, script.length, crc >>> 24, (crc >> 16) & 255, (crc >> 8) & 255, crc & 255));
    expect(await wallet.transfer(TransferOp.CHUNK, Uint8Array.of(0, 0, ...script.subarray(0, 10)))).toMatchObject({ result: WalletResult.OK, n: 10 });
    expect(await wallet.transfer(TransferOp.CHUNK, Uint8Array.of(0, 5, ...script.subarray(5, 15)), true)).toMatchObject({ result: WalletResult.OFFSET, n: 10 });
    expect(await wallet.transfer(TransferOp.CHUNK, Uint8Array.of(0, 10, ...script.subarray(10)))).toMatchObject({ result: WalletResult.OK, n: script.length });
  });

  it('refuses a script whose CRC-32 does not match: result 7, nothing sent to the SE (never powered), the transfer starts over', async () => {
    const s = await paired(80);
    const levels: boolean[] = [];
    s.board.onPinChange((c) => c.pin === STRAP_PINS.SE_EN && levels.push(c.level));
    const wallet = s.companion.wallet();
    const script = encodeScript([SELECT_ISD, SELECT_ISD]);
    const crc = (crc32(script) ^ 1) >>> 0;
    await wallet.transfer(TransferOp.BEGIN, Uint8Array.of(0, script.length, crc >>> 24, (crc >> 16) & 255, (crc >> 8) & 255, crc & 255));
    expect(await wallet.transfer(TransferOp.CHUNK, Uint8Array.of(0, 0, ...script.subarray(0, 17)))).toMatchObject({ result: WalletResult.OK, n: 17 });
    await expect(wallet.transfer(TransferOp.CHUNK, Uint8Array.of(0, 17, ...script.subarray(17)))).rejects.toMatchObject({ code: WalletResult.CRC });
    s.board.run(500);
    expect(levels).toEqual([]);
    // Nothing kept: a chunk now has no transfer to go to (3), and reading responses finds none.
    await expect(wallet.transfer(TransferOp.CHUNK, Uint8Array.of(0, 0, 1))).rejects.toMatchObject({ code: WalletResult.REFUSED });
    await expect(wallet.transfer(TransferOp.READ, Uint8Array.of(0, 0))).rejects.toMatchObject({ code: WalletResult.REFUSED });
  });

  it('refuses a script over 1,024 octets at its begin, and a chunk past the size it declared (result 8), keeping what it had', async () => {
    const s = await paired(81);
    const wallet = s.companion.wallet();
    await expect(wallet.transfer(TransferOp.BEGIN, Uint8Array.of(0x04, 0x01, 0, 0, 0, 0))).rejects.toMatchObject({ code: WalletResult.TOO_LARGE });
    await wallet.transfer(TransferOp.BEGIN, Uint8Array.of(0, 4, 0, 0, 0, 0));
    await expect(wallet.transfer(TransferOp.CHUNK, Uint8Array.of(0, 0, 1, 2, 3, 4, 5))).rejects.toMatchObject({ code: WalletResult.TOO_LARGE });
    expect(await wallet.transfer(TransferOp.CHUNK, Uint8Array.of(0, 0, 1, 2), true)).toMatchObject({ result: WalletResult.OK, n: 2 });
  });

  it('answers malformed writes with result 2 and unknown ops with 1, and works on', async () => {
    const s = await paired(82);
    const wallet = s.companion.wallet();
    await expect(wallet.transfer(TransferOp.BEGIN, Uint8Array.of(0, 4))).rejects.toMatchObject({ code: WalletResult.MALFORMED });
    await expect(wallet.transfer(0x09, Uint8Array.of(0, 0))).rejects.toMatchObject({ code: WalletResult.UNKNOWN_OP });
    await expect(wallet.request(0x42)).rejects.toMatchObject({ code: WalletResult.UNKNOWN_OP });
    expect(await wallet.status()).toMatchObject({ bonds: 1 });
  });
});
