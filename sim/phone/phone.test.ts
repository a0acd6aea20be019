// The companion phone against a strap that opens a tap-to-pair window.
// Until firmware/ble lands these run against pairingWindowProgram (testing/), a tiny board program that opens the
// window the way the firmware will (NRF.setSecurity with the passkey + NRF.nfcRaw of the NDEF message); when it
// lands, strapWithPhone takes dist/strap.js and the long press opens the firmware's own window (same assertions).
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../radio/ble-host-api';
import { PhoneError } from './phone-log';
import { LONG_PRESS_MS, pairingWindowProgram } from './testing/pairing-window-program';
import { STRAP_ADDRESS, strapWithPhone } from './testing/strap-with-phone';
import type { StrapWithPhone } from './testing/strap-with-phone';

function openWindow(s: StrapWithPhone): void {
  s.t.board.pressButton(LONG_PRESS_MS);
  s.t.board.run(LONG_PRESS_MS + 200);
  expect(s.t.value('windowOpen')).toBe(true);
}

const steps = (s: StrapWithPhone) => s.phone.log.events.map((e) => `${e.step} ${e.ok ? 'ok' : 'FAIL'}`);

describe('the companion phone', () => {
  it('takes the address and passkey from the tag, pairs with them (LESC, MITM) and bonds on both sides', async () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', address: STRAP_ADDRESS }), 61);
    openWindow(s);
    expect(s.phone.tapTag(s.t.board.nfc)).toMatchObject({ address: STRAP_ADDRESS, addressType: 'public', passkey: '314159' });
    await s.phone.pair();
    expect(s.phone.connection?.smp.currentEncryptionLevel).toMatchObject({ mitm: true, sc: true });
    expect(JSON.parse(s.t.value('JSON.stringify(NRF.getSecurityStatus())') as string)).toMatchObject({ encrypted: true, mitm_protected: true, bonded: true });
    expect(readdirSync(join(s.root, 'phone', 'NodeBleLib-storage-dir'), { recursive: true }).some((f) => String(f).endsWith('keys.json'))).toBe(true);
    expect(steps(s)).toEqual(['tap ok', 'scan ok', 'connect ok', 'pair ok', 'pair ok', 'pair ok', 'bond ok']);
    expect(await s.phone.readBattery()).toBe(87);
    expect(await s.phone.readDeviceInfo()).toEqual({ manufacturer: 'paymentstrap.dev', model: 'strap-demo' });
  });

  it('reconnects and encrypts with the stored keys without pairing again', async () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', address: STRAP_ADDRESS }), 62);
    openWindow(s);
    s.phone.tapTag(s.t.board.nfc);
    await s.phone.pair();
    const before = s.phone.log.events.length;
    await s.phone.reconnect();
    const after = s.phone.log.events.slice(before).map((e) => e.step);
    expect(after).toEqual(['disconnect', 'scan', 'connect', 'encrypt']);
    expect(s.phone.connection?.smp.currentEncryptionLevel).toMatchObject({ mitm: true });
    s.t.board.run(10);
    expect(JSON.parse(s.t.value('JSON.stringify(NRF.getSecurityStatus())') as string)).toMatchObject({ encrypted: true, mitm_protected: true, bonded: true });
    expect(await s.phone.readBattery()).toBe(87);
  });

  it('says the strap forgot the phone when its bond is gone (encryption fails 0x06)', async () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', address: STRAP_ADDRESS }), 63);
    openWindow(s);
    s.phone.tapTag(s.t.board.nfc);
    await s.phone.pair();
    await s.phone.disconnect();
    s.t.board.run(100);
    s.t.value('NRF.eraseBonds()');
    const error = await s.phone.reconnect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoneError);
    expect(error).toMatchObject({ step: 'encrypt', code: 0x06 });
    expect((error as Error).message).toContain('the strap has forgotten this phone');
  });

  it('fails with "wrong passkey" when the tag carries a passkey other than the strap\'s', async () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', tagPasskey: '271828', address: STRAP_ADDRESS }), 64);
    openWindow(s);
    s.phone.tapTag(s.t.board.nfc);
    const error = await s.phone.pair().catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'pair', code: 0x04 });
    expect((error as Error).message).toContain('wrong passkey');
    expect(s.phone.log.events.at(-1)).toMatchObject({ step: 'pair', ok: false });
    expect(JSON.parse(s.t.value('JSON.stringify(NRF.getSecurityStatus())') as string)).toMatchObject({ encrypted: false, bonded: false });
  });

  it('refuses a tag without the passkey record, and a tag with nothing on it, saying why', () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', tagPasskey: 'none', address: STRAP_ADDRESS }), 65);
    expect(() => s.phone.tapTag(s.t.board.nfc)).toThrow('tap: cannot read the tag: no tag (the strap\'s NFC tag is off: is its pairing window open?)');
    openWindow(s);
    expect(() => s.phone.tapTag(s.t.board.nfc)).toThrow(/no passkey record \(paymentstrap\.dev:passkey\) on the tag/);
    expect(s.phone.tag).toBeUndefined();
    s.t.value('NRF.nfcURL("https://paymentstrap.dev")');
    expect(() => s.phone.tapTag(s.t.board.nfc)).toThrow(/no Bluetooth LE OOB record/);
  });
});

describe('the phone\'s GATT calls (what the wallet client will use)', () => {
  it('writes a protected characteristic and hears battery notifications on a bonded, encrypted link', async () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', address: STRAP_ADDRESS }), 66);
    openWindow(s);
    s.phone.tapTag(s.t.board.nfc);
    await s.phone.pair();
    await s.phone.reconnect();
    await s.phone.write('fff0', 'fff1', Buffer.from('hello wallet'));
    s.t.board.run(10);
    expect(s.t.value('lastWrite')).toBe('hello wallet');
    const heard: number[] = [];
    await s.phone.subscribe('180f', '2a19', (v) => heard.push(v[0]!));
    s.t.value('NRF.updateServices({ 0x180F: { 0x2A19: { value: [86], notify: true } } })');
    s.t.board.run(200);
    expect(heard).toEqual([86]);
  });

  it('says Insufficient Authentication when an unpaired phone reads a protected characteristic', async () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', address: STRAP_ADDRESS }), 67);
    openWindow(s);
    s.phone.tapTag(s.t.board.nfc);
    const error = await s.phone.reconnect({ address: STRAP_ADDRESS, addressType: 'public' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'reconnect', reason: `no bond with ${STRAP_ADDRESS}: pair first` });
    const read = await s.phone.read('fff0', 'fff1').catch((e: unknown) => e);
    expect(read).toMatchObject({ step: 'read', code: 0x05 });
    expect((read as Error).message).toContain('insufficient authentication');
  });

  it('times out the scan with a reason when the strap stops advertising', async () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', address: STRAP_ADDRESS }), 68);
    openWindow(s);
    s.phone.tapTag(s.t.board.nfc);
    s.t.value('NRF.sleep()');
    s.t.board.run(10);
    const error = await s.phone.pair().catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'scan' });
    expect((error as Error).message).toContain(`strap ${STRAP_ADDRESS} not found within 10 s`);
  });

  it('answers the strap\'s Security Request with passkey entry from the tag, never ble-host\'s Just Works default', async () => {
    const s = strapWithPhone(pairingWindowProgram({ passkey: '314159', address: STRAP_ADDRESS }), 69);
    openWindow(s);
    s.phone.tapTag(s.t.board.nfc);
    await s.phone.reconnect({ address: STRAP_ADDRESS, addressType: 'public' }).catch(() => undefined); // connected, no bond yet
    s.t.board.run(50);
    // the SoftDevice model's peripheral connection (private): its ble-host sends the Security Request (Vol 3 Part H 3.6.7)
    const strapConn = (s.softDevice as unknown as { conn: Connection }).conn;
    strapConn.smp.sendSecurityRequest(true, true, true, false);
    s.t.board.run(3000);
    expect(s.phone.log.events.map((e) => e.text)).toContain('passkey entry: typing 314159 from the tag');
    expect(JSON.parse(s.t.value('JSON.stringify(NRF.getSecurityStatus())') as string)).toMatchObject({ encrypted: true, mitm_protected: true, bonded: true });
  });
});
