// Advertising, scanning and connection set-up on the virtual air, seen by ble-host and at the tap.
import { describe, expect, it } from 'vitest';
import { decodeCommandComplete } from '../../protocols/ble/hci/event-params';
import { HciEvent, LeSubevent } from '../../protocols/ble/hci/events';
import { decodeH4, H4PacketType } from '../../protocols/ble/hci/h4';
import { HciOpcode } from '../../protocols/ble/hci/opcodes';
import { decodeEvent } from '../../protocols/ble/hci/packets';
import { HciStatus } from '../../protocols/ble/hci/status';
import type { AirPdu } from './air';
import { advertiseService, radioPair, scanAndConnect, STRAP_ADDRESS } from './testing/radio-pair';
import type { RadioPair } from './testing/radio-pair';

function advertisingPdus(pair: RadioPair): Extract<AirPdu, { kind: 'advertising' }>[] {
  const seen: Extract<AirPdu, { kind: 'advertising' }>[] = [];
  pair.air.tap = (pdu) => {
    if (pdu.kind === 'advertising') seen.push(pdu);
  };
  return seen;
}

function reportsFor(pair: RadioPair, options: Record<string, unknown>) {
  const reports: { connectable: boolean; scanResponse: boolean }[] = [];
  pair.phoneManager.startScan(options).on('report', (r: { address: string; connectable: boolean; rawDataItems: { type: number }[] }) => {
    if (r.address === STRAP_ADDRESS) reports.push({ connectable: r.connectable, scanResponse: r.rawDataItems.some((i) => i.type === 0x07) });
  });
  return reports;
}

describe('advertising on the virtual air', () => {
  it('spaces advertising events by the interval plus a 0–10 ms advDelay (Vol 6 Part B 4.4.2.2.1), on channels 37, 38, 39', () => {
    const pair = radioPair({ seed: 31 });
    const seen = advertisingPdus(pair);
    advertiseService(pair);
    pair.until(() => seen.filter((p) => p.channel === 37).length >= 40, '40 advertising events');
    expect(seen.slice(0, 3).map((p) => p.channel)).toEqual([37, 38, 39]);
    const starts = seen.filter((p) => p.channel === 37).map((p) => p.timeMs);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // ble-host's default interval: 100–120 × 0.625 ms = 62.5–75 ms.
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(62.5);
      expect(gap).toBeLessThanOrEqual(85);
    }
    expect(new Set(gaps.map((g) => g.toFixed(3))).size).toBeGreaterThan(30);
  });

  it('answers active scanning with SCAN_RSP and reports the scan response data', () => {
    const pair = radioPair({ seed: 32 });
    const seen = advertisingPdus(pair);
    advertiseService(pair);
    const reports = reportsFor(pair, { activeScan: true });
    pair.until(() => reports.length > 0, 'a report');
    expect(reports[0]).toEqual({ connectable: true, scanResponse: true });
    expect(seen.map((p) => p.pduType)).toContain('SCAN_REQ');
    expect(seen.map((p) => p.pduType)).toContain('SCAN_RSP');
  });

  it('sends no SCAN_REQ when scanning passively, and reports the advertising alone', () => {
    const pair = radioPair({ seed: 33 });
    const seen = advertisingPdus(pair);
    advertiseService(pair);
    const reports = reportsFor(pair, { activeScan: false });
    pair.until(() => reports.length > 3, 'reports');
    expect(reports[0]).toEqual({ connectable: true, scanResponse: false });
    expect(seen.map((p) => p.pduType)).not.toContain('SCAN_REQ');
  });

  it('reports ADV_NONCONN_IND as not connectable and ADV_SCAN_IND as scannable but not connectable', () => {
    for (const [advertisingType, scanResponse] of [['ADV_NONCONN_IND', false], ['ADV_SCAN_IND', true]] as const) {
      const pair = radioPair({ seed: 34 });
      const host = pair.strap.bleHost;
      pair.strapManager.setAdvertisingData(new host.AdvertisingDataBuilder().addLocalName(true, 'strap').build());
      pair.strapManager.setScanResponseData(new host.AdvertisingDataBuilder().add128BitServiceUUIDs(true, ['22222222-3333-4444-5555-666666666666']).build());
      pair.strapManager.startAdvertising({ advertisingType, intervalMin: 160, intervalMax: 160 }, () => undefined);
      const reports = reportsFor(pair, { activeScan: true });
      pair.until(() => reports.length > 0, `a report of ${advertisingType}`);
      expect(reports[0], advertisingType).toEqual({ connectable: false, scanResponse });
    }
  });

  it('raises the peripheral\'s LE Connection Complete only after the Command Complete of LE_Set_Advertising_Enable, and stops advertising', () => {
    const pair = radioPair({ seed: 35 });
    const seen = advertisingPdus(pair);
    const strap = advertiseService(pair);
    scanAndConnect(pair);
    pair.until(() => strap.connections.length === 1, 'the strap saw the connection');
    const events = pair.strap.controller.transport.records
      .filter((r) => r.direction === 'received' && r.packet[0] === H4PacketType.EVENT)
      .map((r) => {
        const h4 = decodeH4(r.packet);
        const e = h4.ok ? decodeEvent(h4.value.packet) : undefined;
        return e?.ok ? e.value : undefined;
      });
    const enableCc = events.findIndex((e) => e?.code === HciEvent.COMMAND_COMPLETE && (() => {
      const cc = decodeCommandComplete(e.parameters);
      return cc.ok && cc.value.commandOpcode === HciOpcode.LE_SET_ADVERTISING_ENABLE;
    })());
    const connected = events.findIndex((e) => e?.code === HciEvent.LE_META && e.parameters[0] === LeSubevent.CONNECTION_COMPLETE);
    expect(enableCc).toBeGreaterThanOrEqual(0);
    expect(connected).toBeGreaterThan(enableCc);
    const connectAt = seen.find((p) => p.pduType === 'CONNECT_IND')!.timeMs;
    // The strap's own ADV PDUs stop at the CONNECT_IND (ble-host re-advertises only after a disconnect).
    pair.clock.advanceBy(1000);
    expect(seen.filter((p) => p.from === 'strap' && p.timeMs > connectAt)).toEqual([]);
  });

  it('reports RSSI around the path\'s mean (±2 dB) in advertising reports and Read_RSSI', () => {
    const pair = radioPair({ seed: 36 });
    pair.air.setPathRssi('strap', 'phone', -60);
    advertiseService(pair);
    const rssis: number[] = [];
    pair.phoneManager.startScan({ activeScan: false }).on('report', (r: { address: string; rssi: number }) => {
      if (r.address === STRAP_ADDRESS) rssis.push(r.rssi);
    });
    pair.until(() => rssis.length >= 20, '20 reports');
    expect(Math.min(...rssis)).toBeGreaterThanOrEqual(-62);
    expect(Math.max(...rssis)).toBeLessThanOrEqual(-58);
    expect(new Set(rssis).size).toBeGreaterThan(1);
    const conn = scanAndConnect(pair);
    pair.clock.advanceBy(500);
    let read: number | undefined;
    (conn as unknown as { readRssi(cb: (status: number, rssi: number) => void): void }).readRssi((_status, rssi) => (read = rssi));
    pair.until(() => read !== undefined, 'Read_RSSI');
    expect(read).toBeGreaterThanOrEqual(-62);
    expect(read).toBeLessThanOrEqual(-58);
  });

  it('fails the central\'s connection with 0x3E after 6 intervals when the advertiser missed CONNECT_IND, and the advertiser goes on', () => {
    const pair = radioPair({ seed: 37 });
    const seen = advertisingPdus(pair);
    const strap = advertiseService(pair);
    let dropped = false;
    const watch = pair.air.tap;
    pair.air.tap = (pdu) => {
      watch?.(pdu);
      if (pdu.kind === 'advertising' && pdu.pduType === 'CONNECT_IND' && !dropped) {
        dropped = true;
        return 'drop';
      }
    };
    const conn = scanAndConnect(pair);
    const link = [...pair.air.links][0]!;
    const connectedAt = pair.clock.nowMs();
    let reason: number | undefined;
    conn.on('disconnect', (r: number) => (reason = r));
    pair.until(() => reason !== undefined, 'the central gave up');
    expect(reason).toBe(HciStatus.CONNECTION_FAILED_TO_BE_ESTABLISHED);
    expect(pair.clock.nowMs() - connectedAt).toBeLessThanOrEqual(7 * link.intervalMs + 2);
    expect(strap.connections).toEqual([]);
    expect(seen.filter((p) => p.from === 'strap' && p.timeMs > connectedAt).length).toBeGreaterThan(0);
  });
});
