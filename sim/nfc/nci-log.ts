/**
 * The controller's NCI log: every packet that crosses the host interface, one
 * text line each, with virtual time, direction, type and message name, then
 * the bytes, as the logs of Android's NFC stack read:
 *
 *   12.345000 DH>NFCC CMD  CORE_RESET                20 00 01 01
 *   12.346000 NFCC>DH RSP  CORE_RESET                40 00 01 00
 *   12.350000 DH>NFCC BAD  (truncated: …)            20
 */
import { decodePacket } from '../../protocols/nci/packet';
import { messageName } from '../../protocols/nci/identifiers';

export type NciDirection = 'DH>NFCC' | 'NFCC>DH';

export interface NciLogEntry {
  timeUs: number;
  direction: NciDirection;
  bytes: Uint8Array;
}

const TYPE = ['DATA', 'CMD ', 'RSP ', 'NTF '] as const;

export class NciLog {
  private readonly list: NciLogEntry[] = [];

  record(timeUs: number, direction: NciDirection, bytes: Uint8Array): void {
    this.list.push({ timeUs, direction, bytes: bytes.slice() });
  }

  entries(): readonly NciLogEntry[] {
    return this.list;
  }

  /** The log as text, one line per packet (ends with a newline when not empty). */
  text(): string {
    return this.list.map(formatNciLine).map((l) => `${l}\n`).join('');
  }

  clear(): void {
    this.list.length = 0;
  }
}

export function formatNciLine(entry: NciLogEntry): string {
  const time = (entry.timeUs / 1e6).toFixed(6).padStart(12);
  const hex = [...entry.bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
  const decoded = decodePacket(entry.bytes);
  let what: string;
  if (!decoded.ok) what = `BAD  (${decoded.error.kind})`;
  else if (decoded.value.kind === 'data') what = `DATA conn ${decoded.value.connId}${decoded.value.pbf ? ' (segment)' : ''}`;
  else what = `${TYPE[decoded.value.mt]} ${messageName(decoded.value.gid, decoded.value.oid)}${decoded.value.pbf ? ' (segment)' : ''}`;
  return `${time} ${entry.direction} ${what.padEnd(36)} ${hex}`;
}
