/**
 * NFC Forum Type 2 Tag memory and commands (NFC Forum Type 2 Tag Technical
 * Specification 1.0): 4-octet blocks ("pages"); pages 0–2 hold the 7-octet
 * UID with its check bytes, internal and lock octets (2.1), page 3 the
 * Capability Container (6.1: magic 0xE1, version 0x10, data area size / 8,
 * access: 0x00 read/write, 0x0F read-only), the data area from page 4 holds
 * TLV blocks (2.3: NULL 0x00, Lock Control 0x01, Memory Control 0x02, NDEF
 * Message 0x03, Proprietary 0xFD, Terminator 0xFE; length one octet, or 0xFF
 * and two octets big-endian).
 * READ (0x30, block number) answers 16 octets: 4 pages from that block,
 * rolling over to page 0 past the end (5.1). Anything else gets the 4-bit
 * NAK 0x0 (5.4).
 */
export const T2T_PAGE = 4;
export const T2T_READ = 0x30;
export const T2T_NAK = 0x00;
export const CC_MAGIC = 0xe1;
export const CC_VERSION_1_0 = 0x10;
export const Tlv = { NULL: 0x00, LOCK_CONTROL: 0x01, MEMORY_CONTROL: 0x02, NDEF: 0x03, PROPRIETARY: 0xfd, TERMINATOR: 0xfe } as const;
/** ISO/IEC 14443-3 cascade tag, the first check byte's extra term (BCC0 = CT ^ UID0 ^ UID1 ^ UID2). */
const CASCADE_TAG = 0x88;

/**
 * Tag memory holding one NDEF message, read-only, with a data area of
 * `dataAreaBytes` (a multiple of 8). Undefined when the message does not fit.
 */
export function type2TagMemory(uid: Uint8Array, ndefMessage: Uint8Array, dataAreaBytes: number): Uint8Array | undefined {
  if (uid.length !== 7) throw new RangeError('a Type 2 tag UID is 7 octets');
  const lengthField = ndefMessage.length > 254 ? [0xff, ndefMessage.length >> 8, ndefMessage.length & 0xff] : [ndefMessage.length];
  const tlvBytes = 1 + lengthField.length + ndefMessage.length + 1;
  if (tlvBytes > dataAreaBytes) return undefined;
  const memory = new Uint8Array(16 + dataAreaBytes);
  const [u0, u1, u2, u3, u4, u5, u6] = uid as unknown as number[];
  memory.set([u0!, u1!, u2!, CASCADE_TAG ^ u0! ^ u1! ^ u2!, u3!, u4!, u5!, u6!, u3! ^ u4! ^ u5! ^ u6!, 0x00, 0x00, 0x00]);
  memory.set([CC_MAGIC, CC_VERSION_1_0, dataAreaBytes / 8, 0x0f], 12);
  memory.set([Tlv.NDEF, ...lengthField], 16);
  memory.set(ndefMessage, 16 + 1 + lengthField.length);
  memory[16 + tlvBytes - 1] = Tlv.TERMINATOR;
  return memory;
}

/** A tag's answer to one command frame (no CRC: the field's framing is not modelled). */
export function type2TagAnswer(memory: Uint8Array, command: Uint8Array): Uint8Array {
  if (command.length !== 2 || command[0] !== T2T_READ) return Uint8Array.of(T2T_NAK);
  const pages = memory.length / T2T_PAGE;
  const block = command[1]!;
  if (block >= pages) return Uint8Array.of(T2T_NAK);
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) out.set(memory.subarray(((block + i) % pages) * T2T_PAGE, ((block + i) % pages) * T2T_PAGE + T2T_PAGE), i * T2T_PAGE);
  return out;
}

export interface TlvBlock {
  tag: number;
  value: Uint8Array;
}

/** The data area's TLV blocks up to the Terminator; undefined when one runs past the end. */
export function decodeTlvBlocks(area: Uint8Array): TlvBlock[] | undefined {
  const out: TlvBlock[] = [];
  let at = 0;
  while (at < area.length) {
    const tag = area[at++]!;
    if (tag === Tlv.NULL) continue;
    if (tag === Tlv.TERMINATOR) return out;
    let length = area[at++];
    if (length === undefined) return undefined;
    if (length === 0xff) {
      if (at + 2 > area.length) return undefined;
      length = (area[at]! << 8) | area[at + 1]!;
      at += 2;
    }
    if (at + length > area.length) return undefined;
    out.push({ tag, value: area.slice(at, at + length) });
    at += length;
  }
  return out;
}
