/**
 * One tap's traces: the ISO 14443 frames the field carried (a pcap file with
 * LINKTYPE_ISO_14443, protocols/pcap/iso14443.ts) and the NCI packets the
 * controller exchanged with its host meanwhile (nci-log.ts), from the reader
 * entering the field until it left (and the notifications that followed).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Iso14443Event, writeIso14443Pcap } from '../../protocols/pcap/iso14443';
import type { Iso14443EventCode, Iso14443Frame } from '../../protocols/pcap/iso14443';
import { withCrcA } from '../../protocols/iso14443/iso-dep';
import { formatNciLine } from './nci-log';
import type { NciLog } from './nci-log';

export class TapTrace {
  readonly frames: Iso14443Frame[] = [];
  /** Virtual time the reader left, µs (undefined while it is in the field). */
  endUs: number | undefined;

  constructor(readonly startUs: number, private readonly log: NciLog, private readonly logFrom: number) {}

  field(timeUs: number, on: boolean): void {
    this.frames.push({ timestampUs: Math.round(timeUs), event: on ? Iso14443Event.FIELD_ON : Iso14443Event.FIELD_OFF });
  }

  /** A frame as sent; `crc` appends CRC_A (ISO/IEC 14443-3 Annex B) like the frames that carry one on air. */
  frame(timeUs: number, toCard: boolean, bytes: Uint8Array, crc = true): void {
    const event: Iso14443EventCode = toCard
      ? (crc ? Iso14443Event.DATA_PCD_TO_PICC : Iso14443Event.DATA_PCD_TO_PICC_CRC_DROPPED)
      : (crc ? Iso14443Event.DATA_PICC_TO_PCD : Iso14443Event.DATA_PICC_TO_PCD_CRC_DROPPED);
    this.frames.push({ timestampUs: Math.round(timeUs), event, data: crc ? withCrcA(bytes) : bytes.slice() });
  }

  pcap(): Uint8Array {
    return writeIso14443Pcap(this.frames);
  }

  /** The NCI log lines since the reader entered the field (up to now). */
  nciLog(): string {
    return this.log.entries().slice(this.logFrom).map((e) => `${formatNciLine(e)}\n`).join('');
  }

  /** Writes `<name>.pcap` and `<name>.nci.log` into `dir`; returns their paths. */
  save(dir: string, name: string): { pcap: string; nciLog: string } {
    mkdirSync(dir, { recursive: true });
    const paths = { pcap: join(dir, `${name}.pcap`), nciLog: join(dir, `${name}.nci.log`) };
    writeFileSync(paths.pcap, this.pcap());
    writeFileSync(paths.nciLog, this.nciLog());
    return paths;
  }
}
