import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeAtt } from '../att/pdu';
import { AttOpcode } from '../att/opcodes';
import { toHex } from '../bytes';
import { encodeH4, H4PacketType } from '../hci/h4';
import { completeEvent } from '../hci/event-params';
import { HciOpcode } from '../hci/opcodes';
import { encodeAcl, encodeCommand } from '../hci/packets';
import { LeChannel, toAclFragments } from '../l2cap/basic-frame';
import { BTSNOOP_UNIX_EPOCH_US, decodeBtsnoop, encodeBtsnoop } from './btsnoop';
import type { TraceRecord } from './btsnoop';

const acl = (from: 'host' | 'controller', payload: Uint8Array) =>
  toAclFragments(0x0040, { channelId: LeChannel.ATT, payload }, 27, from).map((f) => encodeH4(H4PacketType.ACL_DATA, encodeAcl(f)));

// A Reset and its Command Complete, then an ATT Read Request and its Read Response on connection 0x0040.
const TRACE: TraceRecord[] = [
  { direction: 'sent', timeUs: 0, packet: encodeH4(H4PacketType.COMMAND, encodeCommand(HciOpcode.RESET)) },
  { direction: 'received', timeUs: 1_250, packet: encodeH4(H4PacketType.EVENT, completeEvent(HciOpcode.RESET, Uint8Array.of(0))) },
  ...acl('host', encodeAtt({ opcode: AttOpcode.READ_REQ, attributeHandle: 0x0003 })).map((packet) => ({ direction: 'sent' as const, timeUs: 2_000_000, packet })),
  ...acl('controller', encodeAtt({ opcode: AttOpcode.READ_RSP, attributeValue: Uint8Array.of(0x5a) })).map((packet) => ({ direction: 'received' as const, timeUs: 2_007_500n, packet })),
];

describe('btsnoop writer (H4 datalink 1002)', () => {
  const file = encodeBtsnoop(TRACE);

  it('starts with "btsnoop\\0", version 1, datalink 1002, big-endian', () => {
    expect(toHex(file.slice(0, 16))).toBe('6274736e6f6f7000' + '00000001' + '000003ea');
  });

  it('writes each record header: lengths, flags, drops, µs since year 0', () => {
    const first = file.slice(16, 16 + 24 + 4);
    expect(toHex(first)).toBe('00000004' + '00000004' + '00000002' + '00000000' + '00dcddb30f2f8000' + '01030c00');
  });

  it('flags commands and events (bit 1) and the direction (bit 0), and reads back what it wrote', () => {
    const decoded = decodeBtsnoop(file);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.datalink).toBe(1002);
    expect(decoded.value.records.map((r) => r.flags)).toEqual([0b10, 0b11, 0b00, 0b01]);
    expect(decoded.value.records.map((r) => r.timestampUs - BTSNOOP_UNIX_EPOCH_US)).toEqual([0n, 1_250n, 2_000_000n, 2_007_500n]);
    expect(decoded.value.records.map((r) => toHex(r.packet))).toEqual(TRACE.map((r) => toHex(r.packet)));
  });

  it('offsets the virtual clock by a chosen start, and refuses a negative time', () => {
    const shifted = decodeBtsnoop(encodeBtsnoop(TRACE.slice(0, 1), { startUnixUs: 1_700_000_000_000_000n }));
    expect(shifted.ok && shifted.value.records[0]!.timestampUs).toBe(BTSNOOP_UNIX_EPOCH_US + 1_700_000_000_000_000n);
    expect(() => encodeBtsnoop([{ ...TRACE[0]!, timeUs: -1 }])).toThrow(RangeError);
  });

  it('refuses a file that is not btsnoop or is cut short', () => {
    expect(decodeBtsnoop(file.slice(1))).toMatchObject({ ok: false, error: { reason: 'magic' } });
    expect(decodeBtsnoop(file.slice(0, file.length - 1))).toMatchObject({ ok: false, error: { reason: 'truncated' } });
  });

  const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
  const name = 'opens in Wireshark: tshark decodes HCI (Reset, Command Complete) and ATT (Read Request, Read Response)';
  (tshark ? it : it.skip)(tshark ? name : `${name} — skipped: tshark is not installed (apt-get install tshark)`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'btsnoop-'));
    try {
      const path = join(dir, 'trace.btsnoop');
      writeFileSync(path, file);
      const out = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'], { encoding: 'utf8' });
      expect(out.status, out.stderr).toBe(0);
      const lines = out.stdout.trim().split('\n').map((l) => l.split('\t'));
      expect(lines).toHaveLength(4);
      expect(lines[0]).toEqual(['1', 'HCI_CMD', expect.stringMatching(/Reset/)]);
      expect(lines[1]).toEqual(['2', 'HCI_EVT', expect.stringMatching(/Command Complete.*Reset/)]);
      expect(lines[2]).toEqual(['3', 'ATT', expect.stringMatching(/Read Request, Handle: 0x0003/)]);
      expect(lines[3]).toEqual(['4', 'ATT', expect.stringMatching(/Read Response/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
