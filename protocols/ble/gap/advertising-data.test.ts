import { describe, expect, it } from 'vitest';
import { AdType, decodeAdStructures, encodeAdStructures, serviceUuidsStructure } from './advertising-data';

describe('advertising data (Core v5.4 Vol 3 Part C 11)', () => {
  it('encodes length-type-data structures and decodes them back, stopping at a zero length (padding)', () => {
    const bytes = encodeAdStructures([{ type: AdType.FLAGS, data: Uint8Array.of(0x06) }, { type: AdType.COMPLETE_LOCAL_NAME, data: Uint8Array.of(0x41) }]);
    expect([...bytes]).toEqual([2, 0x01, 0x06, 2, 0x09, 0x41]);
    expect(decodeAdStructures(Uint8Array.of(...bytes, 0, 0))).toEqual([{ type: 1, data: Uint8Array.of(6) }, { type: 9, data: Uint8Array.of(0x41) }]);
    expect(decodeAdStructures(Uint8Array.of(5, 0x09, 0x41))).toBeUndefined();
  });

  it('lists 16-bit UUIDs LSB first and 128-bit ones as 16 octets', () => {
    expect(serviceUuidsStructure(['180f', '180a'])).toEqual({ type: AdType.COMPLETE_16BIT_UUIDS, data: Uint8Array.of(0x0f, 0x18, 0x0a, 0x18) });
    const nus = serviceUuidsStructure(['6e400001-b5a3-f393-e0a9-e50e24dcca9e']);
    expect(nus.type).toBe(AdType.COMPLETE_128BIT_UUIDS);
    expect(nus.data[0]).toBe(0x9e);
    expect(nus.data[15]).toBe(0x6e);
  });
});
