/**
 * A phone's NFC reader, as far as a Type 2 tag goes (NFC Forum Type 2 Tag
 * Technical Specification 1.0, 7 "NDEF Detection and Access"): READ the
 * first block for the UID and the Capability Container, check the CC's magic
 * number and version, READ the data area 16 octets at a time, find the NDEF
 * Message TLV and decode its records. Works on anything that answers one
 * command frame (the board's `nfc` tag: sim/board/buses/nfc-tag.ts).
 */
import { decodeNdefMessage, uriOfRecord } from '../../protocols/nfc/ndef';
import type { NdefRecord } from '../../protocols/nfc/ndef';
import { CC_MAGIC, T2T_READ, Tlv, decodeTlvBlocks } from '../../protocols/nfc/type2-tag';

export interface TagInField {
  transceive(command: Uint8Array): Uint8Array | undefined;
}

export type Type2ReadResult =
  | { ok: true; uid: Uint8Array; readOnly: boolean; ndef: Uint8Array; records: NdefRecord[]; uris: string[] }
  | { ok: false; error: 'no tag' | 'not NDEF formatted' | 'unsupported version' | 'read failed' | 'no NDEF message' | 'bad NDEF message' };

export function readType2Tag(tag: TagInField): Type2ReadResult {
  const first = read(tag, 0);
  if (!first) return { ok: false, error: 'no tag' };
  const cc = first.subarray(12, 16);
  if (cc[0] !== CC_MAGIC) return { ok: false, error: 'not NDEF formatted' };
  if ((cc[1]! >> 4) !== 1) return { ok: false, error: 'unsupported version' };
  const areaBytes = cc[2]! * 8;
  const area = new Uint8Array(areaBytes);
  for (let at = 0; at < areaBytes; at += 16) {
    const block = read(tag, 4 + at / 4);
    if (!block) return { ok: false, error: 'read failed' };
    area.set(block.subarray(0, Math.min(16, areaBytes - at)), at);
    // stop once a Terminator TLV has been read (7.3: the reader may stop there)
    const tlvs = decodeTlvBlocks(area.subarray(0, at + 16));
    if (tlvs && area.subarray(0, at + 16).includes(Tlv.TERMINATOR) && tlvs.some((t) => t.tag === Tlv.NDEF)) break;
  }
  const ndefTlv = decodeTlvBlocks(area)?.find((t) => t.tag === Tlv.NDEF);
  if (!ndefTlv) return { ok: false, error: 'no NDEF message' };
  const records = decodeNdefMessage(ndefTlv.value);
  if (!records) return { ok: false, error: 'bad NDEF message' };
  const uid = Uint8Array.from([...first.subarray(0, 3), ...first.subarray(4, 8)]);
  const uris = records.map(uriOfRecord).filter((u): u is string => u !== undefined);
  return { ok: true, uid, readOnly: cc[3] === 0x0f, ndef: ndefTlv.value, records, uris };
}

function read(tag: TagInField, block: number): Uint8Array | undefined {
  const answer = tag.transceive(Uint8Array.of(T2T_READ, block));
  return answer && answer.length === 16 ? answer : undefined;
}
