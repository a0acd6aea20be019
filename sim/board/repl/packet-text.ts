/**
 * Espruino's packets (protocols/espruino/packet.ts) as the board's console
 * carries them here: latin1 strings, one char per byte.
 */
import { encodePacketHeader } from '../../../protocols/espruino/packet';

/** One packet as latin1 bytes (data must be ≤ 8191 bytes of latin1). */
export function encodePacket(type: number, data: string): string {
  return String.fromCharCode(...encodePacketHeader(type, data.length)) + data;
}
