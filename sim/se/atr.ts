/**
 * The SE's answer to reset over T=1/I2C, sent in the responses to the
 * interface soft reset and GET ATR S-blocks (UM11225 2.2, Table 10).
 *
 * Field order of the GlobalPlatform "APDU Transport over SPI/I2C" ATR, which
 * UM11225 2.2 follows: protocol version (1), vendor ID (5: NXP's registered
 * application provider ID 'D2 76 00 00 85'), data link layer parameters
 * (length, then BWT in ms on 2 bytes, IFSC on 2 bytes), physical layer ID
 * ('02' I2C), physical layer parameters (length, then max clock in kHz on 2
 * bytes, configuration, MPOT in ms, 3 RFU bytes, SEGT in µs on 2 bytes, WUT
 * in µs on 2 bytes), historical bytes (length, bytes). The values are ours
 * (timing.ts; [bracketed] there) and the historical bytes name the model.
 */
import { DEFAULT_IFS } from './t1-link';
import type { SeTiming } from './timing';

const HISTORICAL = new TextEncoder().encode('SE050-SIM');

export function buildAtr(timing: SeTiming): Uint8Array {
  const bwt = Math.min(0xffff, Math.round(timing.bwtMs));
  const wut = Math.min(0xffff, Math.round(timing.wakeUpMs * 1000));
  return Uint8Array.from([
    0x01, // protocol version
    0xd2, 0x76, 0x00, 0x00, 0x85, // vendor ID
    0x04, bwt >> 8, bwt & 0xff, DEFAULT_IFS >> 8, DEFAULT_IFS & 0xff, // DLLP
    0x02, // PLID: I2C
    0x0b, 0x01, 0x90, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x64, // PLP: 400 kHz, config, MPOT 1 ms, RFU, SEGT [100 µs]…
    wut >> 8, wut & 0xff, // …WUT
    HISTORICAL.length, ...HISTORICAL,
  ]);
}
