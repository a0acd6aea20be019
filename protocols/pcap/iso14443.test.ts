import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCrcA, crcA, decodeIsoDepBlock, encodeIsoDepBlock, encodeRats, withCrcA } from '../iso14443/iso-dep';
import { Iso14443Event, LINKTYPE_ISO_14443, iso14443RecordData, readIso14443RecordData, writeIso14443Pcap } from './iso14443';
import type { Iso14443Frame } from './iso14443';
import { readPcap } from './pcap';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const hx = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ').toUpperCase();

const SELECT_PPSE = h('00 A4 04 00 0E 325041592E5359532E4444463031 00');
const PPSE_FCI = h('6F 23 84 0E 325041592E5359532E4444463031 A5 11 BF0C 0E 61 0C 4F 07 A0000000031010 87 01 01 90 00');
const GPO = h('80 A8 00 00 02 83 00 00');

/** A tap as the field carries it: field on, RATS/ATS, two APDU exchanges in I-blocks with CRC_A, DESELECT, field off; times in µs. */
function tapTrace(): Iso14443Frame[] {
  const { DATA_PCD_TO_PICC: toCard, DATA_PICC_TO_PCD: toReader } = Iso14443Event;
  const frame = (timestampUs: number, event: typeof toCard | typeof toReader, bytes: Uint8Array): Iso14443Frame => ({ timestampUs, event, data: withCrcA(bytes) });
  return [
    { timestampUs: 1_000_000, event: Iso14443Event.FIELD_ON },
    frame(1_005_000, toCard, encodeRats(8, 0)),
    frame(1_005_600, toReader, h('05 78 80 70 02')),
    frame(1_006_000, toCard, encodeIsoDepBlock({ type: 'I', blockNumber: 0, chaining: false, inf: SELECT_PPSE })),
    frame(1_009_500, toReader, encodeIsoDepBlock({ type: 'I', blockNumber: 0, chaining: false, inf: PPSE_FCI })),
    frame(1_010_000, toCard, encodeIsoDepBlock({ type: 'I', blockNumber: 1, chaining: false, inf: GPO })),
    frame(1_032_000, toReader, encodeIsoDepBlock({ type: 'I', blockNumber: 1, chaining: false, inf: h('6A 81') })),
    frame(1_033_000, toCard, encodeIsoDepBlock({ type: 'S', kind: 'deselect', inf: new Uint8Array(0) })),
    { timestampUs: 1_040_000, event: Iso14443Event.FIELD_OFF },
  ];
}

describe('CRC_A and ISO-DEP blocks (ISO/IEC 14443-3 Annex B, 14443-4 7.1)', () => {
  it('gives the CRC_A every ISO 14443-A trace shows: HLTA 50 00 57 CD, RATS E0 50 BC A5', () => {
    expect(hx(withCrcA(h('50 00')))).toBe('50 00 57 CD');
    expect(hx(withCrcA(encodeRats(5, 0)))).toBe('E0 50 BC A5');
    expect(crcA(h('E0 50'))).toBe(0xa5bc);
    expect(checkCrcA(h('E0 50 BC A5'))).toEqual(h('E0 50'));
    expect(checkCrcA(h('E0 51 BC A5'))).toBeUndefined();
  });

  it('codes I-, R- and S-blocks and reads them back', () => {
    expect(hx(encodeIsoDepBlock({ type: 'I', blockNumber: 1, chaining: true, inf: h('00') }))).toBe('13 00');
    expect(hx(encodeIsoDepBlock({ type: 'R', blockNumber: 0, nak: false }))).toBe('A2');
    expect(hx(encodeIsoDepBlock({ type: 'S', kind: 'wtx', inf: h('01') }))).toBe('F2 01');
    expect(decodeIsoDepBlock(h('03 90 00'))).toEqual({ type: 'I', blockNumber: 1, chaining: false, inf: h('90 00') });
    expect(decodeIsoDepBlock(h('B3'))).toEqual({ type: 'R', blockNumber: 1, nak: true });
    expect(decodeIsoDepBlock(h('C2'))).toEqual({ type: 'S', kind: 'deselect', inf: new Uint8Array(0) });
    expect(decodeIsoDepBlock(h('0A 00 90 00'))).toBeUndefined(); // CID following: not used here
  });
});

describe('pcap with LINKTYPE_ISO_14443 (tcpdump.org link type 264; Wireshark packet-iso14443.c)', () => {
  it('writes the classic global header and microsecond record headers from the virtual clock', () => {
    const file = writeIso14443Pcap(tapTrace());
    expect(hx(file.subarray(0, 24))).toBe('D4 C3 B2 A1 02 00 04 00 00 00 00 00 00 00 00 00 FF FF 00 00 08 01 00 00');
    // Second record (RATS at 1.005000 s): seconds 1, microseconds 5000, 8 bytes = 4 pseudo-header + E0 80 + CRC_A.
    const second = 24 + 16 + 4;
    expect(hx(file.subarray(second, second + 16))).toBe('01 00 00 00 88 13 00 00 08 00 00 00 08 00 00 00');
    expect(hx(file.subarray(second + 16, second + 20))).toBe('00 FE 00 04');
  });

  it('reads its own file back frame for frame', () => {
    const read = readPcap(writeIso14443Pcap(tapTrace()));
    if (!read.ok) throw new Error(read.error.detail);
    expect(read.value.linkType).toBe(LINKTYPE_ISO_14443);
    const frames = read.value.records.map((r) => ({ timestampUs: r.timestampUs, ...readIso14443RecordData(r.data) }));
    expect(frames.map((f) => [f.timestampUs, f.event, f.data?.length])).toEqual(tapTrace().map((f) => [f.timestampUs, f.event, f.data?.length ?? 0]));
    expect(readIso14443RecordData(h('00 FE 00 05 E0 80'))).toBeUndefined();
    expect(readPcap(h('D4 C3 B2 A1'))).toEqual({ ok: false, error: expect.objectContaining({ kind: 'truncated' }) });
    expect(hx(iso14443RecordData(Iso14443Event.FIELD_ON))).toBe('00 FC 00 00');
  });

  const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  const hasTshark = tshark.status === 0;
  it.skipIf(!hasTshark)(`is decoded by tshark as ISO 14443 with the APDUs inside${hasTshark ? '' : ' (skipped: tshark is not installed; apt-get install tshark)'}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'iso14443-pcap-'));
    try {
      const file = join(dir, 'tap.pcap');
      writeFileSync(file, writeIso14443Pcap(tapTrace()));
      // Wireshark leaves an I-block's INF undecoded unless told (Decode As: ISO14443 payload → ISO 7816): a private profile says so.
      writeFileSync(join(dir, 'decode_as_entries'), 'decode_as_entry: iso14443.subdissector,0,(none),ISO 7816\n');
      const run = spawnSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=|', '-e', 'iso14443.event', '-e', 'iso7816.apdu.cla', '-e', 'iso7816.apdu.ins', '-e', 'iso7816.apdu.sw1', '-e', 'iso7816.apdu.sw2'], {
        encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: dir }, timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const rows = run.stdout.trim().split('\n').map((line) => line.split('|'));
      expect(rows.map((r) => r[0])).toEqual(['0xfc', '0xfe', '0xff', '0xfe', '0xff', '0xfe', '0xff', '0xfe', '0xfd']);
      expect(rows[3]?.slice(1, 3)).toEqual(['0x00', '0xa4']); // SELECT
      expect(rows[4]?.slice(3)).toEqual(['0x90', '0x00']);
      // GET PROCESSING OPTIONS: Wireshark reads a proprietary class ('80') but not its instruction.
      expect(rows[5]?.[1]).toBe('0x80');
      expect(rows[6]?.slice(3)).toEqual(['0x6a', '0x81']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
