// The companion phone against the strap's firmware (dist/strap.js, built by vitest's global setup) on the
// virtual board with the SoftDevice model: a long press on the button opens the pairing window; the phone taps,
// pairs, bonds, reconnects, reads the battery and device information and calls the wallet. What the firmware
// does that a phone must cope with: a new passkey after each failure and a back-off, one connection at a time
// (no advertising while a phone is connected), a forgotten bond (encryption fails).
// The stand-in program (testing/pairing-window-program.ts) is used only where a strap must misbehave: a tag
// without the passkey record, a tag whose passkey differs from the strap's.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '../radio/ble-host-api';
import { STRAP_ADDRESS, strapWithPhone } from '../scenario/testing/strap-with-phone';
import type { StrapWithPhone } from '../scenario/testing/strap-with-phone';
import { PhoneError } from './phone-log';
import { LONG_PRESS_MS, pairingWindowProgram } from './testing/pairing-window-program';

/** The firmware's long press (config longPressMs, 1 s by default) opens the window. */
function openWindow(s: StrapWithPhone): void {
  s.board.pressButton(1500);
  s.board.run(1600);
  expect(s.lines()).toContain('[ble] pairing window open');
}

async function paired(seed: number): Promise<StrapWithPhone> {
  const s = strapWithPhone(seed);
  openWindow(s);
  s.companion.tapTag(s.board.nfc);
  await s.companion.pair();
  return s;
}

const steps = (s: StrapWithPhone) => s.companion.log.events.map((e) => `${e.step} ${e.ok ? 'ok' : 'FAIL'}`);
const securityStatus = (s: StrapWithPhone) => JSON.parse(s.value('JSON.stringify(NRF.getSecurityStatus())') as string) as Record<string, unknown>;

describe('the companion phone with the strap firmware', () => {
  it('takes the address and passkey from the tag, pairs with them (LESC, MITM) and bonds on both sides', async () => {
    const s = strapWithPhone(61);
    openWindow(s);
    const tag = s.companion.tapTag(s.board.nfc);
    expect(tag).toMatchObject({ address: STRAP_ADDRESS, addressType: 'public' });
    expect(tag.passkey).toMatch(/^\d{6}$/);
    await s.companion.pair();
    expect(s.companion.connection?.smp.currentEncryptionLevel).toMatchObject({ mitm: true, sc: true });
    expect(securityStatus(s)).toMatchObject({ encrypted: true, mitm_protected: true, bonded: true });
    expect(readdirSync(join(s.root, 'phone', 'NodeBleLib-storage-dir'), { recursive: true }).some((f) => String(f).endsWith('keys.json'))).toBe(true);
    expect(steps(s)).toEqual(['tap ok', 'scan ok', 'connect ok', 'pair ok', 'pair ok', 'pair ok', 'bond ok']);
    expect(s.lines()).toContain('[ble] bonded c0:11:22:33:44:02 public');
    const battery = s.value('strap.status().battPct') as number;
    expect(await s.companion.readBattery()).toBe(battery);
    expect(await s.companion.readDeviceInfo()).toEqual({ manufacturer: 'paymentstrap.dev', firmware: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('reconnects and encrypts with the stored keys without pairing again, and calls the wallet: status says 1 bond, window shut', async () => {
    const s = await paired(62);
    const before = s.companion.log.events.length;
    await s.companion.reconnect();
    expect(s.companion.log.events.slice(before).map((e) => e.step)).toEqual(['disconnect', 'scan', 'connect', 'encrypt']);
    expect(s.companion.connection?.smp.currentEncryptionLevel).toMatchObject({ mitm: true });
    s.board.run(10);
    expect(securityStatus(s)).toMatchObject({ encrypted: true, mitm_protected: true, bonded: true });
    const wallet = s.companion.wallet();
    expect(await wallet.status()).toEqual({ windowOpen: false, bonds: 1, batteryPercent: s.value('strap.status().battPct') });
    expect(await wallet.status()).toMatchObject({ bonds: 1 }); // the second request, seq 1, matched too
  });

  it('hears Battery Level notifications at the strap\'s heartbeat on the bonded link', async () => {
    const s = await paired(66);
    await s.companion.reconnect();
    const heard: number[] = [];
    await s.companion.subscribe('180f', '2a19', (v) => heard.push(v[0]!));
    s.board.cell.setPercent(41);
    s.board.run(61_000); // the heartbeat (60 s) updates the characteristic
    expect(heard.at(-1)).toBe(s.value('strap.status().battPct'));
    expect(heard.at(-1)).toBeLessThan(50); // the cell's new charge, not the 100 % it started with
  });

  it('says the strap forgot the phone when ble.forget erased its bond (encryption fails 0x06)', async () => {
    const s = await paired(63);
    await s.companion.disconnect();
    s.board.run(100);
    expect(s.call('ble.forget').value).toEqual({ forgotten: 1 });
    const error = await s.companion.reconnect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoneError);
    expect(error).toMatchObject({ step: 'encrypt', code: 0x06 });
    expect((error as Error).message).toContain('the strap has forgotten this phone');
    // the link stays up unencrypted: the wallet answers Insufficient Authentication, which the phone reads as the bond gone
    const read = await s.companion.read('5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11', '5a7e0002-3c4f-4e9a-9b1d-2f6e8a0c7d11').catch((e: unknown) => e);
    expect(read).toMatchObject({ step: 'read', code: 0x05 });
    expect((read as Error).message).toContain("the strap no longer knows this phone's bond (forgotten): tap and pair again");
  });

  it('a wrong passkey: refused (0x04); the strap draws a new one and backs off; tapping again after the back-off pairs', async () => {
    const s = strapWithPhone(64);
    openWindow(s);
    const first = s.companion.tapTag(s.board.nfc).passkey;
    s.companion.tag = { ...s.companion.tag!, passkey: first === '000000' ? '000001' : '000000' }; // the wearer mistypes
    const error = await s.companion.pair().catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'pair', code: 0x04 });
    expect((error as Error).message).toContain('wrong passkey');
    await s.companion.disconnect();
    expect(securityStatus(s)).toMatchObject({ encrypted: false, bonded: false });
    const second = s.companion.tapTag(s.board.nfc).passkey;
    expect(second).not.toBe(first);
    // during the back-off (2 s after the first failure) the strap drops the connection at once
    const during = await s.companion.pair().catch((e: unknown) => e);
    expect(during).toMatchObject({ step: 'pair', code: 0x13 });
    expect((during as Error).message).toContain('after a failed attempt the strap drops links for up to 32 s: wait, tap again and retry');
    s.board.run(3000);
    await s.companion.pair();
    expect(securityStatus(s)).toMatchObject({ encrypted: true, bonded: true });
  });

  it('does not find the strap while another phone is connected (one link, no advertising), and finds it once that phone has gone', async () => {
    const s = await paired(68);
    // the same radio stands for a second phone: what matters is that the strap is not advertising
    const strapHeard = (): boolean => {
      let seen = false;
      const scanner = s.phoneManager.startScan({});
      scanner.on('report', (r: { address: string }) => (seen ||= r.address.toUpperCase() === STRAP_ADDRESS));
      s.board.run(2000);
      scanner.stopScan();
      return seen;
    };
    expect(strapHeard()).toBe(false);
    await s.companion.disconnect();
    s.board.run(100);
    expect(strapHeard()).toBe(true);
    await s.companion.reconnect();
    expect(s.companion.connection).toBeDefined();
  });

  it('says Insufficient Authentication when an unpaired phone reads the wallet control point', async () => {
    const s = strapWithPhone(67);
    const error = await s.companion.reconnect({ address: STRAP_ADDRESS, addressType: 'public' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'reconnect', reason: `no bond with ${STRAP_ADDRESS}: pair first` });
    const read = await s.companion.read('5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11', '5a7e0002-3c4f-4e9a-9b1d-2f6e8a0c7d11').catch((e: unknown) => e);
    expect(read).toMatchObject({ step: 'read', code: 0x05 });
    expect((read as Error).message).toContain('insufficient authentication');
  });

  it('times out the scan with a reason when the strap is not advertising (asleep)', async () => {
    const s = strapWithPhone(69);
    openWindow(s);
    s.companion.tapTag(s.board.nfc);
    s.value('NRF.sleep()');
    s.board.run(10);
    const error = await s.companion.pair().catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'scan' });
    expect((error as Error).message).toContain(`strap ${STRAP_ADDRESS} not found within 10 s`);
  });

  it('answers the strap\'s Security Request with passkey entry from the tag, never ble-host\'s Just Works default', async () => {
    const s = strapWithPhone(70);
    openWindow(s);
    const { passkey } = s.companion.tapTag(s.board.nfc);
    await s.companion.reconnect({ address: STRAP_ADDRESS, addressType: 'public' }).catch(() => undefined); // connected, no bond yet
    s.board.run(50);
    // the SoftDevice model's peripheral connection (private): its ble-host sends the Security Request (Vol 3 Part H 3.6.7)
    const strapConn = (s.softDevice as unknown as { conn: Connection }).conn;
    strapConn.smp.sendSecurityRequest(true, true, true, false);
    s.board.run(3000);
    expect(s.companion.log.events.map((e) => e.text)).toContain(`passkey entry: typing ${passkey} from the tag`);
    expect(securityStatus(s)).toMatchObject({ encrypted: true, mitm_protected: true, bonded: true });
  });
});

describe('the phone against a misbehaving strap (the stand-in program: the firmware never does these)', () => {
  it('refuses a tag without the passkey record, and a tag with nothing on it, saying why', () => {
    const s = strapWithPhone(65, { bootCode: pairingWindowProgram({ passkey: '314159', tagPasskey: 'none', address: STRAP_ADDRESS }) });
    expect(() => s.companion.tapTag(s.board.nfc)).toThrow("tap: cannot read the tag: no tag (the strap's NFC tag is off: is its pairing window open?)");
    s.board.pressButton(LONG_PRESS_MS);
    s.board.run(LONG_PRESS_MS + 200);
    expect(() => s.companion.tapTag(s.board.nfc)).toThrow(/no passkey record \(paymentstrap\.dev:passkey\) on the tag/);
    expect(s.companion.tag).toBeUndefined();
    s.value('NRF.nfcURL("https://paymentstrap.dev")');
    expect(() => s.companion.tapTag(s.board.nfc)).toThrow(/no Bluetooth LE OOB record/);
  });

  it('fails with "wrong passkey" when the tag carries a passkey other than the strap\'s', async () => {
    const s = strapWithPhone(71, { bootCode: pairingWindowProgram({ passkey: '314159', tagPasskey: '271828', address: STRAP_ADDRESS }) });
    s.board.pressButton(LONG_PRESS_MS);
    s.board.run(LONG_PRESS_MS + 200);
    s.companion.tapTag(s.board.nfc);
    const error = await s.companion.pair().catch((e: unknown) => e);
    expect(error).toMatchObject({ step: 'pair', code: 0x04 });
    expect(s.companion.log.events.at(-1)).toMatchObject({ step: 'pair', ok: false });
  });
});
