// The virtual air between two ble-host copies: supervision timeout, seeded loss, the tap,
// per-device module copies, and btsnoop traces of each device's HCI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../protocols/ble/bytes';
import { encodeBtsnoop } from '../../protocols/ble/btsnoop/btsnoop';
import { HciStatus } from '../../protocols/ble/hci/status';
import { LeChannel } from '../../protocols/ble/l2cap/basic-frame';
import { writeBtsnoopFile } from './btsnoop-file';
import { pduAirTimeUs, T_IFS_US } from './link';
import { collectFrames } from './testing/air-frames';
import { advertiseService, CHARACTERISTIC_UUID, connectDespiteLoss, discoverAndRead, radioPair, scanAndConnect, SERVICE_UUID } from './testing/radio-pair';

const SMP_PAIRING_PUBLIC_KEY = 0x0c;

function pairedRun(seed: number, lossRate: number) {
  const pair = radioPair({ seed, lossRate });
  const strap = advertiseService(pair);
  const frames = collectFrames(pair.air);
  const { conn, strapConn } = connectDespiteLoss(pair, strap);
  const { IOCapabilities } = pair.phone.bleHost;
  let done = 0;
  strapConn.smp.on('pairingComplete', () => done++);
  conn.smp.on('pairingComplete', () => done++);
  conn.smp.sendPairingRequest({ ioCap: IOCapabilities.NO_INPUT_NO_OUTPUT, bondingFlags: 0, sc: true });
  pair.until(() => done === 2, 'Just Works pairing completed');
  const read = discoverAndRead(pair, conn);
  return { pair, read, frames, conn, strapConn };
}

describe('the virtual air', () => {
  it('ends the link with Connection Timeout (0x08) one supervision timeout after the peripheral loses power', () => {
    const pair = radioPair({ seed: 3 });
    advertiseService(pair);
    const conn = scanAndConnect(pair);
    discoverAndRead(pair, conn);
    const link = [...pair.air.links][0]!;
    const timeoutMs = link.params.timeoutUnits * 10;
    let reason: number | undefined;
    let atMs = 0;
    conn.on('disconnect', (r: number) => {
      reason = r;
      atMs = pair.clock.nowMs();
    });
    const offAtMs = pair.clock.nowMs();
    pair.strap.powerOff();
    pair.until(() => reason !== undefined, 'the phone noticed', timeoutMs * 3);
    expect(reason).toBe(HciStatus.CONNECTION_TIMEOUT);
    expect(atMs - offAtMs).toBeGreaterThanOrEqual(timeoutMs - link.intervalMs);
    expect(atMs - offAtMs).toBeLessThanOrEqual(timeoutMs + 2 * link.intervalMs);
  });

  it('changes the connection interval at the instant when the peripheral asks (L2CAP request, LE_Connection_Update)', () => {
    const pair = radioPair({ seed: 15 });
    const strap = advertiseService(pair);
    scanAndConnect(pair);
    pair.until(() => strap.connections.length === 1, 'the strap saw the connection');
    const link = [...pair.air.links][0]!;
    let status: number | undefined;
    const update = strap.connections[0]! as unknown as { updateConnParams(p: object, cb: (status: number) => void): void };
    update.updateConnParams({ connIntervalMin: 24, connIntervalMax: 24, connLatency: 0, supervisionTimeout: 400 }, (s) => (status = s));
    pair.until(() => status !== undefined, 'the update completed');
    expect(status).toBe(0);
    expect(link.intervalMs).toBe(30);
    expect(link.params.timeoutUnits).toBe(400);
  });

  it('gives the peer the host\'s disconnect reason and the disconnecting side 0x16', () => {
    const pair = radioPair({ seed: 16 });
    const strap = advertiseService(pair);
    const conn = scanAndConnect(pair);
    pair.until(() => strap.connections.length === 1, 'the strap saw the connection');
    const reasons: Record<string, number> = {};
    conn.on('disconnect', (r: number) => (reasons.phone = r));
    strap.connections[0]!.on('disconnect', (r: number) => (reasons.strap = r));
    conn.disconnect();
    pair.until(() => Object.keys(reasons).length === 2, 'both sides disconnected');
    expect(reasons).toEqual({ phone: HciStatus.CONNECTION_TERMINATED_BY_LOCAL_HOST, strap: HciStatus.REMOTE_USER_TERMINATED_CONNECTION });
    expect(pair.air.links.size).toBe(0);
  });

  it('paces a long ATT response: 27-octet LL PDUs, one exchange time apart, as many per event as a 7.5 ms interval holds', () => {
    const pair = radioPair({ seed: 17 });
    const value = new Uint8Array(500).map((_, i) => i & 0xff);
    advertiseService(pair, { value: Buffer.from(value) });
    const conn = scanAndConnect(pair, pair.phoneManager, { connIntervalMin: 6, connIntervalMax: 6, connLatency: 0, supervisionTimeout: 100 });
    let mtu = 0;
    conn.gatt.exchangeMtu(() => (mtu = conn.gatt.currentMtu));
    pair.until(() => mtu > 0, 'the MTU exchange');
    const link = [...pair.air.links][0]!;
    expect(link.intervalMs).toBe(7.5);
    const pdus: { timeMs: number; llid: number; length: number }[] = [];
    pair.air.tap = (pdu) => {
      if (pdu.kind === 'data' && pdu.from === 'strap' && pdu.llid !== 3) pdus.push({ timeMs: pdu.timeMs, llid: pdu.llid, length: pdu.payload.length });
    };
    let read: Uint8Array | undefined;
    conn.gatt.discoverServicesByUuid(SERVICE_UUID, 1, (services) =>
      services[0]?.discoverCharacteristics((cs) => cs.find((c) => c.uuid === CHARACTERISTIC_UUID)?.read((_err, v) => (read = new Uint8Array(v)))),
    );
    pair.until(() => read !== undefined, 'the long read');
    expect(read).toEqual(value);
    expect(Math.max(...pdus.map((p) => p.length))).toBeLessThanOrEqual(27);
    // The read response: one L2CAP PDU of 4 + 1 + 500 octets = 19 LL PDUs, 1 start then continuations.
    const response = pdus.slice(pdus.map((p) => p.llid).lastIndexOf(2));
    expect(response.map((p) => p.llid)).toEqual([2, ...Array<number>(18).fill(1)]);
    // An exchange: T_IFS, the central's empty PDU, T_IFS, the peripheral's PDU (Vol 6 Part B 2.1, 4.1.1);
    // the event takes exchanges while one still ends T_IFS before the next anchor (4.5.6): 11 at 7.5 ms.
    const exchangeMs = (length: number) => (T_IFS_US + pduAirTimeUs(0, false) + T_IFS_US + pduAirTimeUs(length, false)) / 1000;
    const perEvent = Math.floor((link.intervalMs * 1000 - T_IFS_US - (exchangeMs(27) * 1000 - T_IFS_US)) / (exchangeMs(27) * 1000)) + 1;
    expect(perEvent).toBe(11);
    const events: number[] = [1];
    for (let i = 1; i < response.length; i++) {
      const gap = response[i]!.timeMs - response[i - 1]!.timeMs;
      if (Math.abs(gap - exchangeMs(response[i]!.length)) < 1e-6) events[events.length - 1]!++;
      else {
        expect(gap).toBeGreaterThan(exchangeMs(27));
        events.push(1);
      }
    }
    expect(Math.max(...events)).toBeLessThanOrEqual(perEvent);
    expect(events.length).toBe(2);
  });

  it('gives the same trace for the same seed under packet loss, another for another seed, and still delivers', () => {
    const a = pairedRun(21, 0.2);
    const b = pairedRun(21, 0.2);
    const c = pairedRun(22, 0.2);
    expect(a.read).toEqual({ err: 0, value: 'hello strap' });
    expect(c.read).toEqual({ err: 0, value: 'hello strap' });
    expect(a.pair.air.trace.some((line) => line.endsWith('lost'))).toBe(true);
    expect(a.pair.air.trace).toEqual(b.pair.air.trace);
    expect(encodeBtsnoop(a.pair.phone.controller.transport.records)).toEqual(encodeBtsnoop(b.pair.phone.controller.transport.records));
    expect(a.pair.air.trace).not.toEqual(c.pair.air.trace);
  });

  it('carries a different P-256 public key from each device (each loads its own ble-host copy)', () => {
    const { frames } = pairedRun(4, 0);
    const keys = frames.filter((f) => f.channelId === LeChannel.SMP && f.payload[0] === SMP_PAIRING_PUBLIC_KEY);
    expect(keys.map((f) => f.from).sort()).toEqual(['phone', 'strap']);
    expect(keys[0]!.payload).toHaveLength(65);
    expect(toHex(keys[0]!.payload)).not.toBe(toHex(keys[1]!.payload));
  });

  it('lets a tap change a PDU between the link layers: an unencrypted read returns what the tap wrote', () => {
    const pair = radioPair({ seed: 5 });
    advertiseService(pair);
    const conn = scanAndConnect(pair);
    const hello = new TextEncoder().encode('hello');
    pair.air.tap = (pdu) => {
      if (pdu.kind !== 'data' || pdu.from !== 'strap') return;
      const at = toHex(pdu.payload).indexOf(toHex(hello));
      if (at < 0 || at % 2 !== 0) return;
      const payload = pdu.payload.slice();
      payload.set(new TextEncoder().encode('HELLO'), at / 2);
      return { ...pdu, payload };
    };
    expect(discoverAndRead(pair, conn)).toEqual({ err: 0, value: 'HELLO strap' });
  });

  it('drops an encrypted link with MIC failure (0x3D) when the tap changes a PDU', () => {
    const { pair, conn, strapConn } = pairedRun(6, 0);
    const reasons: number[] = [];
    conn.on('disconnect', (r: number) => reasons.push(r));
    strapConn.on('disconnect', (r: number) => reasons.push(r));
    pair.air.tap = (pdu) => (pdu.kind === 'data' && pdu.from === 'strap' ? { ...pdu, payload: pdu.payload.map((b) => b ^ 1) } : undefined);
    conn.gatt.discoverAllPrimaryServices(() => undefined);
    pair.until(() => reasons.length === 2, 'both sides dropped');
    expect(reasons).toEqual([HciStatus.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE, HciStatus.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE]);
  });

  const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
  const name = 'writes each device\'s HCI as a btsnoop file in which tshark decodes SMP and ATT';
  (tshark ? it : it.skip)(tshark ? name : `${name} — skipped: tshark is not installed (apt-get install tshark)`, () => {
    const { pair } = pairedRun(8, 0);
    const dir = mkdtempSync(join(tmpdir(), 'radio-btsnoop-'));
    try {
      for (const device of [pair.strap, pair.phone]) {
        const path = join(dir, `${device.name}.btsnoop`);
        writeBtsnoopFile(path, device.controller.transport);
        const out = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'], { encoding: 'utf8' });
        expect(out.status, out.stderr).toBe(0);
        const protocols = new Set(out.stdout.trim().split('\n').map((l) => l.split('\t')[0]));
        expect(protocols, device.name).toContain('SMP');
        expect(protocols, device.name).toContain('ATT');
        expect(out.stdout).toMatch(/Pairing Public Key/);
        expect(out.stdout).toMatch(/Read Response/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
