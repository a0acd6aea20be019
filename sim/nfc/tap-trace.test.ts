import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { I2CBus } from '../board/buses/i2c-bus';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { readPcap } from '../../protocols/pcap/pcap';
import { LINKTYPE_ISO_14443, readIso14443RecordData } from '../../protocols/pcap/iso14443';
import { VirtualField } from './field';
import { EMBEDDED_SE_NFCEE_ID, NciController, PN7150_I2C_ADDRESS } from './nci-controller';
import { settle } from './settle';
import { PPSE_AID, TestNciHost, bringUpToListen } from './testing/nci-test-host';
import type { ContactlessTarget } from './contactless';

const SELECT_PPSE = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, PPSE_AID.length, ...PPSE_AID, 0x00]);
const target: ContactlessTarget = {
  fieldOn: () => undefined,
  fieldOff: () => undefined,
  transceive: (apdu) => ({ response: apdu[1] === 0xa4 ? Uint8Array.of(0x6f, 0x00, 0x90, 0x00) : Uint8Array.of(0x6a, 0x81), processingUs: 1500 }),
  onEvent: () => () => undefined,
};

/** A tap: bring-up, a reader selects the PPSE, sends GET PROCESSING OPTIONS, deselects and leaves. */
async function tap(seed: number) {
  const clock = new VirtualClock();
  const bus = new I2CBus();
  const nfcc = new NciController({ clock, random: new SeededRandom(seed) });
  bus.attach(PN7150_I2C_ADDRESS, nfcc);
  nfcc.attachNfcee(target);
  nfcc.setVen(true);
  const host = new TestNciHost(bus, clock, () => nfcc.irqActive());
  bringUpToListen(host, EMBEDDED_SE_NFCEE_ID);
  const field = new VirtualField({ clock, controller: nfcc });
  const reader = field.enter();
  const link = (await settle(clock, reader.activate()))!;
  await settle(clock, link.transceive(SELECT_PPSE));
  await settle(clock, link.transceive(Uint8Array.of(0x80, 0xa8, 0x00, 0x00, 0x02, 0x83, 0x00, 0x00)));
  await settle(clock, reader.deselect());
  reader.leave();
  host.receive();
  return { nfcc, reader };
}

describe('tap traces: an ISO 14443 pcap (LINKTYPE_ISO_14443) and an NCI log per tap', () => {
  it('records the tap frame by frame from field on to field off, and the same seed gives the same bytes', async () => {
    const { reader } = await tap(7);
    const read = readPcap(reader.trace.pcap());
    if (!read.ok) throw new Error(read.error.detail);
    expect(read.value.linkType).toBe(LINKTYPE_ISO_14443);
    const events = read.value.records.map((r) => readIso14443RecordData(r.data)?.event);
    expect(events[0]).toBe(0xfc);
    expect(events.at(-1)).toBe(0xfd);
    const times = read.value.records.map((r) => r.timestampUs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect((await tap(7)).reader.trace.pcap()).toEqual(reader.trace.pcap());
  });

  it('logs every NCI packet of the tap with direction and message name', async () => {
    const { reader } = await tap(7);
    const lines = reader.trace.nciLog().trim().split('\n');
    const fields = lines.map((l) => l.trim().split(/\s+/));
    expect(fields.map((f) => f.slice(1, 4).join(' '))).toEqual([
      'NFCC>DH NTF RF_FIELD_INFO', 'NFCC>DH NTF RF_INTF_ACTIVATED', 'NFCC>DH NTF RF_NFCEE_ACTION', 'NFCC>DH NTF RF_DEACTIVATE', 'NFCC>DH NTF RF_FIELD_INFO',
    ]);
    expect(lines[0]).toMatch(/ 61 07 01 01$/);
  });

  const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  const hasTshark = tshark.status === 0;
  it.skipIf(!hasTshark)(`opens in tshark with the APDUs decoded${hasTshark ? '' : ' (skipped: tshark is not installed; apt-get install tshark)'}`, async () => {
    const { reader } = await tap(7);
    const dir = mkdtempSync(join(tmpdir(), 'nfc-tap-'));
    try {
      const paths = reader.trace.save(dir, 'tap-1');
      expect(readFileSync(paths.nciLog, 'utf8')).toContain('RF_NFCEE_ACTION');
      // As in protocols/pcap/iso14443.test.ts: a private profile tells Wireshark an I-block's INF is ISO 7816.
      writeFileSync(join(dir, 'decode_as_entries'), 'decode_as_entry: iso14443.subdissector,0,(none),ISO 7816\n');
      const run = spawnSync('tshark', ['-r', paths.pcap, '-T', 'fields', '-E', 'separator=|', '-e', 'iso14443.event', '-e', 'iso7816.apdu.ins', '-e', 'iso7816.apdu.sw1', '-e', 'iso7816.apdu.sw2'], {
        encoding: 'utf8', env: { ...process.env, WIRESHARK_CONFIG_DIR: dir }, timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const rows = run.stdout.trim().split('\n').map((line) => line.split('|'));
      expect(rows.length).toBe(reader.trace.frames.length);
      expect(rows.some((r) => r[1] === '0xa4')).toBe(true); // SELECT decoded
      expect(rows.filter((r) => r[2] === '0x90' && r[3] === '0x00').length).toBe(1);
      expect(rows.filter((r) => r[2] === '0x6a' && r[3] === '0x81').length).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
