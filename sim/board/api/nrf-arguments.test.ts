// NRF's arguments read as Espruino 2v29 reads them: libs/bluetooth/bluetooth_utils.c (bleVarToUUID),
// targets/nrf5x/bluetooth.c (set_security_mode, jsble_setup_advdata), libs/bluetooth/jswrap_bluetooth.c
// (jswrap_ble_setAdvertising).
import { describe, expect, it } from 'vitest';
import { readAdvertising, readServices, readUuid, type AdvertisingRequest } from './nrf-arguments';

const WALLET = '5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11';

function advertising(data: unknown, options: unknown, previous?: AdvertisingRequest['options']): AdvertisingRequest['options'] {
  const parsed = readAdvertising(data, options, previous);
  if (parsed === 'several-packets' || !parsed.ok) throw new Error('refused');
  return parsed.value.options;
}

describe('UUIDs as bleVarToUUID reads them', () => {
  it('takes "0x" and 4 hex digits, or 4 hex digits, as a 16-bit UUID; "0X…" and other lengths are not one', () => {
    expect(readUuid('0x180F')).toEqual({ ok: true, value: '180f' });
    expect(readUuid('2A19')).toEqual({ ok: true, value: '2a19' });
    expect(readUuid('0X180F').ok).toBe(false);
    expect(readUuid('0x12').ok).toBe(false);
    expect(readUuid('0x180F0').ok).toBe(false);
  });

  it('takes 16 octets of hex digits with or without a dash before any octet, as the same 128-bit UUID', () => {
    for (const spelling of [WALLET, WALLET.toUpperCase(), WALLET.replace(/-/g, ''), '5a-7e00013c4f4e9a9b1d2f6e8a0c7d-11', '-5a7e00013c4f4e9a9b1d2f6e8a0c7d11']) {
      expect(readUuid(spelling)).toEqual({ ok: true, value: WALLET });
    }
  });

  it('refuses two dashes in a row, a dash inside an octet, a dash at the end, and a digit too many or too few', () => {
    for (const spelling of ['5a7e0001--3c4f-4e9a-9b1d-2f6e8a0c7d11', '5a7e000-13c4f-4e9a-9b1d-2f6e8a0c7d11', WALLET + '-', WALLET + '1', WALLET.slice(0, -1)]) {
      expect(readUuid(spelling).ok).toBe(false);
    }
  });
});

describe("a characteristic's security as set_security_mode gives it to the SoftDevice", () => {
  const security = (s: unknown) => {
    const parsed = readServices({ bcde: { abcd: { readable: true, security: { read: s } } } });
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.value[0]!.characteristics[0]!.read;
  };

  it('lesc alone asks an encrypted LESC link with MITM (BLE_GAP_CONN_SEC_MODE_SET_LESC_ENC_WITH_MITM), as lesc with encrypted and mitm does', () => {
    const lescWithMitm = { encrypted: true, mitm: true, lesc: true, signed: false };
    expect(security({ lesc: true })).toEqual(lescWithMitm);
    expect(security({ lesc: 1 })).toEqual(lescWithMitm);
    expect(security({ encrypted: true, mitm: true, lesc: true })).toEqual(lescWithMitm);
  });

  it('encrypted with or without mitm; mitm alone asks nothing (the mode stays open)', () => {
    expect(security({ encrypted: true })).toEqual({ encrypted: true, mitm: false, lesc: false, signed: false });
    expect(security({ encrypted: true, mitm: true })).toEqual({ encrypted: true, mitm: true, lesc: false, signed: false });
    expect(security({ mitm: true })).toEqual({ encrypted: false, mitm: false, lesc: false, signed: false });
  });
});

describe('advertising options as jswrap_ble_setAdvertising keeps them', () => {
  it('is discoverable and shows the full name unless told otherwise (jsble_setup_advdata), whatever the call before said', () => {
    const before = advertising({}, { discoverable: false, showName: false });
    expect(advertising({}, undefined, before)).toMatchObject({ discoverable: true, showName: true });
    expect(advertising({}, { interval: 100 }, before)).toMatchObject({ discoverable: true, showName: true });
  });

  it('keeps interval, connectable, scannable and name until given again; showName and discoverable hold for one call', () => {
    const first = advertising({}, { name: 'Strap 0001', interval: 100, connectable: false, scannable: false, discoverable: true, showName: false });
    expect(advertising({}, { interval: 375 }, first)).toEqual({ name: 'Strap 0001', intervalMs: 375, connectable: false, scannable: false, discoverable: true, showName: true });
    expect(advertising({}, undefined, first)).toMatchObject({ name: 'Strap 0001', intervalMs: 100, connectable: false, scannable: false });
  });
});
