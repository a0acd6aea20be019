/**
 * Data Grouping Identifiers: the unit STORE DATA personalizes an applet with.
 *
 * Sources: GlobalPlatform Card Specification 2.3 11.11 (STORE DATA: CLA
 * '80'/'84', INS 'E2', P1 b8 = last block, b7-b6 '00' = DGI format with
 * no application-level encryption, P2 = block number 00-FF in sequence) and
 * EMV Card Personalization Specification 1.1 (the DGI format): each group is
 *   DGI (2 bytes) · length (1 byte '00'-'FE', or 'FF' then 2 bytes) · data.
 * A STORE DATA data field holds one or more whole groups.
 */
import { concatBytes } from '../../emv/des';

export interface DataGroup {
  dgi: number;
  data: Uint8Array;
}

export type DgiResult = { ok: true; value: DataGroup[] } | { ok: false; detail: string };

/** Reads the groups of one STORE DATA data field. Never throws. */
export function parseDataGroups(bytes: Uint8Array): DgiResult {
  const groups: DataGroup[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 3 > bytes.length) return { ok: false, detail: `a DGI header is cut short at offset ${at}` };
    const dgi = (bytes[at]! << 8) | bytes[at + 1]!;
    let length = bytes[at + 2]!;
    let start = at + 3;
    if (length === 0xff) {
      if (at + 5 > bytes.length) return { ok: false, detail: `a 3-byte DGI length is cut short at offset ${at + 2}` };
      length = (bytes[at + 3]! << 8) | bytes[at + 4]!;
      start = at + 5;
    }
    if (start + length > bytes.length) return { ok: false, detail: `DGI ${dgi.toString(16)} declares ${length} bytes, ${bytes.length - start} remain` };
    groups.push({ dgi, data: bytes.slice(start, start + length) });
    at = start + length;
  }
  return { ok: true, value: groups };
}

export function encodeDataGroup(group: DataGroup): Uint8Array {
  const n = group.data.length;
  if (n > 0xffff) throw new RangeError(`DGI data of ${n} bytes`);
  const length = n < 0xff ? Uint8Array.of(n) : Uint8Array.of(0xff, n >> 8, n & 0xff);
  return concatBytes(Uint8Array.of(group.dgi >> 8, group.dgi & 0xff), length, group.data);
}
