// NRF.setSecurity and per-characteristic security over the virtual air: LE Secure Connections passkey
// pairing with the strap displaying, and what the SoftDevice model holds where ble-host 1.0.3 is lax.
import { describe, expect, it } from 'vitest';
import type { Connection } from '../radio/ble-host-api';
import { NordicUart } from '../../protocols/ble/gatt/uuid';
import type { GattClientCharacteristic } from '../radio/ble-host-api';
import { listBonds } from '../phone/bond-list';
import { STOCK_ESPRUINO } from './espruino-build';
import { connect, discover, findCharacteristic, read, strapAndPhone, write } from './testing/strap-and-phone';
import type { StrapAndPhone } from './testing/strap-and-phone';

const IO = { DISPLAY_ONLY: 0, KEYBOARD_ONLY: 2, NO_INPUT_NO_OUTPUT: 3 };

function setUp(seed: number, security: string): StrapAndPhone {
  const s = strapAndPhone(seed);
  s.t.value(`var log = []; ['passkey', 'bond', 'security'].forEach(function (e) { NRF.on(e, function (v) { log.push(e + ' ' + JSON.stringify(v)); }); });
    NRF.setSecurity(${security});
    NRF.setServices({ 0xBCDE: { 0xABCD: { value: "secret", readable: true, security: { read: { encrypted: true, mitm: true } } },
                                0xABCE: { value: "open", readable: true } } }, { uart: false });`);
  return s;
}

interface Outcome {
  complete: boolean;
  failed?: number;
}

/** The phone pairs; with a keyboard it types what `passkey()` gives when ble-host asks. */
function pair(s: StrapAndPhone, conn: Connection, request: Record<string, unknown>, passkey: () => string = () => ''): Outcome {
  const outcome: Outcome = { complete: false };
  conn.smp.on('passkeyExchange', (_model: number, _shown: string | null, enter: (p: string) => void) => {
    s.t.board.run(1); // the strap's 'passkey' event reaches the firmware first
    enter(passkey());
  });
  conn.smp.on('pairingComplete', () => (outcome.complete = true));
  conn.smp.on('pairingFail', (reason: number) => (outcome.failed = reason)); // the event's name in ble-host 1.0.3's code
  conn.smp.sendPairingRequest(request);
  s.until(() => outcome.complete || outcome.failed !== undefined, 'pairing finished');
  s.t.board.run(10);
  return outcome;
}

const status = (s: StrapAndPhone) => s.t.value('JSON.stringify(NRF.getSecurityStatus())') as string;

describe('security of the NRF API over the virtual radio', () => {
  it('refuses an unpaired central Insufficient Authentication (0x05) on an encrypted+mitm characteristic', () => {
    const s = setUp(21, '{display: true, mitm: true, lesc: true, passkey: "123456"}');
    const conn = connect(s);
    const cs = discover(s, conn, 'bcde');
    expect(read(s, findCharacteristic(cs, 'abcd'))).toEqual({ err: 0x05, value: '' });
    expect(read(s, findCharacteristic(cs, 'abce'))).toEqual({ err: 0, value: 'open' });
  });

  it('pairs LESC passkey entry with the static passkey the strap displays; getSecurityStatus says MITM and bonded', () => {
    const s = setUp(22, '{display: true, mitm: true, lesc: true, passkey: "123456"}');
    const conn = connect(s);
    const outcome = pair(s, conn, { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true }, () => '123456');
    expect(outcome).toEqual({ complete: true });
    expect(conn.smp.currentEncryptionLevel).toMatchObject({ mitm: true, sc: true });
    expect(JSON.parse(status(s))).toMatchObject({ connected: true, encrypted: true, mitm_protected: true, bonded: true, connected_addr: 'c0:11:22:33:44:02 public' });
    const log = s.t.value('log.join("|")') as string;
    expect(log).toContain('passkey "123456"');
    expect(log).toContain('bond "success"');
    expect(log).toContain('security {"auth_status":"SUCCESS","bonded":true,"lv4":1');
    expect(read(s, findCharacteristic(discover(s, conn, 'bcde'), 'abcd'))).toEqual({ err: 0, value: 'secret' });
  });

  it('reports a drawn passkey with the passkey event when setSecurity gives none', () => {
    const s = setUp(23, '{display: true, mitm: true, lesc: true}');
    const conn = connect(s);
    const shown = () => (/passkey "(\d{6})"/.exec(s.t.value('log.join("|")') as string) ?? [])[1] ?? 'none';
    expect(pair(s, conn, { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true }, shown)).toEqual({ complete: true });
    expect(JSON.parse(status(s))).toMatchObject({ mitm_protected: true });
  });

  it('a wrong passkey fails pairing and the characteristic stays closed', () => {
    const s = setUp(24, '{display: true, mitm: true, lesc: true, passkey: "123456"}');
    const conn = connect(s);
    const outcome = pair(s, conn, { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true }, () => '654321');
    expect(outcome.complete).toBe(false);
    expect(outcome.failed).toBe(0x04); // Confirm Value Failed (Vol 3 Part H 3.5.5)
    expect(s.t.value('log.join("|")')).toContain('bond "fail"');
    expect(JSON.parse(status(s))).toMatchObject({ encrypted: false, mitm_protected: false });
    expect(read(s, findCharacteristic(discover(s, conn, 'bcde'), 'abcd')).err).toBe(0x05);
  });

  it('Just Works with MITM requested: ble-host says mitm, the SoftDevice model does not, the mitm read is refused', () => {
    const s = setUp(25, '{display: true, mitm: true, lesc: true, passkey: "123456"}');
    const conn = connect(s);
    expect(pair(s, conn, { ioCap: IO.NO_INPUT_NO_OUTPUT, bondingFlags: 1, mitm: true, sc: true })).toEqual({ complete: true });
    expect(JSON.parse(status(s))).toMatchObject({ encrypted: true, mitm_protected: false });
    expect(read(s, findCharacteristic(discover(s, conn, 'bcde'), 'abcd')).err).toBe(0x05);
  });

  it('refuses legacy pairing when setSecurity asks lesc (Pairing Failed 0x03)', () => {
    const s = setUp(26, '{display: true, mitm: true, lesc: true, passkey: "123456"}');
    const conn = connect(s);
    // ble-host always asks Secure Connections: the tap clears the SC bit of the phone's Pairing Request
    // (L2CAP length 2, CID 0x0006 2, code 0x01, IO, OOB, AuthReq…; Core v5.4 Vol 3 Part H 3.5.1)
    s.air.tap = (pdu) => {
      const p = pdu.kind === 'data' ? pdu.payload : undefined;
      if (!p || pdu.from !== 'phone' || p[2] !== 0x06 || p[3] !== 0x00 || p[4] !== 0x01) return undefined;
      const changed = p.slice();
      changed[7] = changed[7]! & ~0x08;
      return { ...pdu, payload: changed };
    };
    expect(pair(s, conn, { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true }, () => '123456')).toEqual({ complete: false, failed: 0x03 });
    expect(s.t.value('log.join("|")')).toContain('security {"auth_status":"AUTH_REQ"'); // 0x83: Pairing Failed 0x03 (ble_gap.h)
  });

  it('refuses key size 7 with Pairing Failed 0x06 in the strap\'s build (ESPR_BLE_MIN_KEY_SIZE=16); stock Espruino 2v29 (min_key_size 7) accepts it', () => {
    const strap = setUp(28, '{display: true, mitm: true, lesc: true, passkey: "123456"}');
    expect(pair(strap, connect(strap), { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true, maxKeySize: 7 })).toEqual({ complete: false, failed: 0x06 });
    expect(listBonds(strap.softDevice.device.bondDir)).toEqual([]);
    const stock = strapAndPhone(27, { build: STOCK_ESPRUINO });
    stock.t.value('NRF.setSecurity({display: true, mitm: true, lesc: true, passkey: "123456"});');
    expect(pair(stock, connect(stock), { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true, maxKeySize: 7 }, () => '123456')).toEqual({ complete: true });
  });
});

/** The phone's next Pairing Public Key replaced on the air (X then Y, LSB first; Vol 3 Part H 3.5.6). */
function replacePhoneKey(s: StrapAndPhone, key: Uint8Array): void {
  const frame = Uint8Array.of(65, 0, 0x06, 0x00, 0x0c, ...key);
  let at = -1;
  s.air.tap = (pdu) => {
    if (pdu.kind !== 'data' || pdu.from !== 'phone') return undefined;
    const p = pdu.payload;
    if (at < 0 && p[2] === 0x06 && p[3] === 0x00 && p[4] === 0x0c) at = 0;
    if (at < 0 || at >= frame.length) return undefined;
    const payload = frame.slice(at, at + p.length);
    at += p.length;
    return { ...pdu, payload };
  };
}

describe('the peer public key (CVE-2018-5383, CVE-2020-26558)', () => {
  const setUpKeys = (seed: number) => setUp(seed, '{display: true, mitm: true, lesc: true, passkey: "123456"}');

  it('refuses a key that is not on P-256 at once with Invalid Parameters (0x0A), nothing bonded', () => {
    const s = setUpKeys(41);
    const conn = connect(s);
    replacePhoneKey(s, Uint8Array.of(1, ...new Array<number>(31).fill(0), 1, ...new Array<number>(31).fill(0)));
    expect(pair(s, conn, { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true }, () => '123456')).toEqual({ complete: false, failed: 0x0a });
    expect(JSON.parse(status(s))).toMatchObject({ encrypted: false, bonded: false });
  });

  it('refuses the strap\'s own key sent back (reflected) with 0x0A', () => {
    const s = setUpKeys(42);
    // learn the strap's public key from a first, honest pairing
    const first = connect(s);
    let strapKey: Uint8Array | undefined;
    s.air.tap = (pdu) => {
      if (pdu.kind === 'data' && pdu.from === 'strap' && pdu.payload[2] === 0x06 && pdu.payload[4] === 0x0c) strapKey = pdu.payload.slice(5);
      else if (pdu.kind === 'data' && pdu.from === 'strap' && strapKey && strapKey.length < 64) strapKey = Uint8Array.of(...strapKey, ...pdu.payload).slice(0, 64);
      return undefined;
    };
    expect(pair(s, first, { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 0, mitm: true, sc: true }, () => '123456')).toEqual({ complete: true });
    expect(strapKey).toHaveLength(64);
    let gone = false;
    first.on('disconnect', () => (gone = true));
    first.disconnect();
    s.until(() => gone && !s.softDevice.connected(), 'the disconnect');
    const again = connect(s);
    replacePhoneKey(s, strapKey!);
    expect(pair(s, again, { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true }, () => '123456')).toEqual({ complete: false, failed: 0x0a });
    expect(JSON.parse(status(s))).toMatchObject({ encrypted: false, bonded: false });
  });
});

describe('the console over the Nordic UART Service and NRF.setSecurity (Espruino 2v29 encryptUart, fix #1705)', () => {
  function nusSetUp(seed: number, security: string): StrapAndPhone {
    const s = strapAndPhone(seed);
    s.t.value(`NRF.setSecurity(${security}); NRF.setServices({}, { uart: true });`);
    return s;
  }
  const nus = (s: StrapAndPhone, conn: Connection) => {
    const cs = discover(s, conn, NordicUart.SERVICE);
    return { rx: findCharacteristic(cs, NordicUart.RX), tx: findCharacteristic(cs, NordicUart.TX) };
  };
  const subscribe = (s: StrapAndPhone, tx: GattClientCharacteristic): number => {
    let err: number | undefined;
    tx.writeCCCD(true, false, (e: number) => (err = e));
    s.until(() => err !== undefined, 'the CCCD write');
    return err!;
  };

  it('refuses an unpaired central RX writes and TX subscription (Insufficient Authentication 0x05) once encryptUart is set; the REPL hears nothing', () => {
    const s = nusSetUp(31, '{display: true, mitm: true, lesc: true, encryptUart: true}');
    s.t.value('var ran = false;');
    const { rx, tx } = nus(s, connect(s));
    expect(write(s, rx, 'ran = true\n')).toBe(0x05);
    expect(subscribe(s, tx)).toBe(0x05);
    s.t.board.run(100);
    expect(s.t.value('ran')).toBe(false);
  });

  it('a passkey alone makes the UART need encryption, as Espruino does; without one and without encryptUart it is open', () => {
    const locked = nusSetUp(32, '{display: true, mitm: true, lesc: true, passkey: "123456"}');
    expect(write(locked, nus(locked, connect(locked)).rx, '1\n')).toBe(0x05);
    const open = nusSetUp(33, '{display: true, mitm: true, lesc: true}');
    expect(write(open, nus(open, connect(open)).rx, '1\n')).toBe(0);
  });

  it('lets a paired, encrypted central use the console: RX evaluates, TX notifies the answer', () => {
    const s = nusSetUp(34, '{display: true, mitm: true, lesc: true, passkey: "123456", encryptUart: true}');
    const conn = connect(s);
    expect(pair(s, conn, { ioCap: IO.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true }, () => '123456')).toEqual({ complete: true });
    const { rx, tx } = nus(s, conn);
    let text = '';
    tx.on('change', (v: Buffer) => (text += v.toString('latin1')));
    expect(subscribe(s, tx)).toBe(0);
    expect(write(s, rx, '20+22\n')).toBe(0);
    s.until(() => text.includes('=42'), 'the answer over NUS');
  });
});
