import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../bytes';
import {
  decodeCharacteristicDeclaration,
  decodeClientConfiguration,
  decodeIncludeDeclaration,
  encodeCharacteristicDeclaration,
  encodeClientConfiguration,
  encodeIncludeDeclaration,
  encodeServiceDeclaration,
} from './declarations';
import { CharacteristicProperty, GattCharacteristic, GattService, NordicUart, uuid16, uuidFromString } from './uuid';

describe('GATT declaration values (Core v5.4 Vol 3 Part G 3.1–3.3)', () => {
  it('lays out the Battery Level characteristic declaration: properties, value handle, UUID', () => {
    const declaration = { properties: CharacteristicProperty.READ | CharacteristicProperty.NOTIFY, valueHandle: 0x0012, uuid: uuid16(GattCharacteristic.BATTERY_LEVEL) };
    expect(toHex(encodeCharacteristicDeclaration(declaration))).toBe('121200192a');
    expect(decodeCharacteristicDeclaration(fromHex('121200192a'))).toEqual({ ok: true, value: declaration });
  });

  it('carries the Nordic UART TX characteristic with its 128-bit UUID (19 octets)', () => {
    const tx = { properties: CharacteristicProperty.NOTIFY, valueHandle: 0x0020, uuid: uuidFromString(NordicUart.TX) };
    const bytes = encodeCharacteristicDeclaration(tx);
    expect(bytes).toHaveLength(19);
    expect(decodeCharacteristicDeclaration(bytes)).toEqual({ ok: true, value: tx });
    expect(decodeCharacteristicDeclaration(bytes.slice(0, 18))).toMatchObject({ ok: false, error: { reason: 'length', got: 18 } });
  });

  it('lays out service and include declarations, the include with a 16-bit UUID only', () => {
    expect(toHex(encodeServiceDeclaration(uuid16(GattService.BATTERY)))).toBe('0f18');
    const include = { includedServiceHandle: 0x10, endGroupHandle: 0x14, serviceUuid: uuid16(GattService.BATTERY) };
    expect(toHex(encodeIncludeDeclaration(include))).toBe('100014000f18');
    expect(decodeIncludeDeclaration(fromHex('10001400'))).toEqual({ ok: true, value: { includedServiceHandle: 0x10, endGroupHandle: 0x14 } });
    expect(decodeIncludeDeclaration(fromHex('100014'))).toMatchObject({ ok: false });
    expect(() => encodeIncludeDeclaration({ ...include, serviceUuid: uuidFromString(NordicUart.SERVICE) })).toThrow(RangeError);
  });

  it('reads and writes the Client Characteristic Configuration bits, refusing other lengths', () => {
    expect(toHex(encodeClientConfiguration({ notification: true, indication: false }))).toBe('0100');
    expect(decodeClientConfiguration(fromHex('0200'))).toEqual({ ok: true, value: { notification: false, indication: true, bits: 2 } });
    expect(decodeClientConfiguration(fromHex('01'))).toMatchObject({ ok: false, error: { reason: 'length' } });
  });
});
