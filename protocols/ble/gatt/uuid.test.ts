import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { toHex } from '../bytes';
import { GattService, NordicUart, uuid16, uuidEquals, uuidFromString, uuidTo128, uuidToString } from './uuid';

describe('UUIDs on the wire (Core v5.4 Vol 3 Part B 2.5.1)', () => {
  it('carries a 16-bit UUID as 2 octets LSB first', () => {
    expect(toHex(uuid16(GattService.BATTERY))).toBe('0f18');
    expect(uuidFromString('0x180F')).toEqual(uuid16(0x180f));
    expect(uuidToString(uuid16(0x180a))).toBe('180a');
  });

  it('shortens a UUID built on the Bluetooth Base UUID to 16 bits', () => {
    expect(uuidFromString('0000180F-0000-1000-8000-00805F9B34FB')).toEqual(uuid16(0x180f));
    expect(toHex(uuidTo128(uuid16(0x180f)))).toBe('fb349b5f80000080001000000f180000');
    expect(uuidEquals(uuid16(0x180f), uuidTo128(uuid16(0x180f)))).toBe(true);
    expect(uuidEquals(uuid16(0x180f), uuid16(0x180a))).toBe(false);
  });

  it('carries the Nordic UART Service UUIDs as 16 octets, last text octet first', () => {
    const service = uuidFromString(NordicUart.SERVICE);
    expect(toHex(service)).toBe('9ecadc240ee5a9e093f3a3b50100406e');
    expect(uuidToString(service)).toBe(NordicUart.SERVICE);
    expect(uuidToString(uuidFromString(NordicUart.TX))).toBe('6e400003-b5a3-f393-e0a9-e50e24dcca9e');
  });

  it('agrees with ble-host 1.0.3 (lib/internal/utils.js serializeUuid)', () => {
    const { serializeUuid } = createRequire(import.meta.url)('ble-host/lib/internal/utils.js') as { serializeUuid: (u: string | number) => Uint8Array };
    for (const text of [NordicUart.SERVICE.toUpperCase(), NordicUart.RX.toUpperCase(), '0000180F-0000-1000-8000-00805F9B34FB']) {
      expect(toHex(uuidFromString(text)), text).toBe(toHex(serializeUuid(text)));
    }
    expect(toHex(uuid16(0x2a19))).toBe(toHex(serializeUuid(0x2a19)));
  });

  it('refuses what is not a UUID', () => {
    expect(() => uuidFromString('180')).toThrow(RangeError);
    expect(() => uuidToString(new Uint8Array(4))).toThrow(RangeError);
    expect(() => uuid16(0x10000)).toThrow(RangeError);
  });
});
