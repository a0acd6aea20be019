// LE Secure Connections passkey entry between two ble-host copies on the virtual air,
// bonding, and what the link layer does with the keys afterwards.
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HciStatus } from '../../protocols/ble/hci/status';
import type { Connection } from './ble-host-api';
import { advertiseService, discoverAndRead, radioPair, scanAndConnect, startHost } from './testing/radio-pair';
import type { RadioPair } from './testing/radio-pair';

interface PairingLog {
  shown?: string;
  entered?: string;
  complete: string[];
  failed: number[];
  encrypt: { who: string; status: number; mitm?: boolean; sc?: boolean }[];
  passkeyRequests: number;
}

/** The strap answers pairing as a display-only device (it shows the passkey); the phone types it. */
function wirePasskeyEntry(pair: RadioPair, strapConn: Connection, phoneConn: Connection): PairingLog {
  const { IOCapabilities } = pair.strap.bleHost;
  const log: PairingLog = { complete: [], failed: [], encrypt: [], passkeyRequests: 0 };
  strapConn.smp.on('pairingRequest', (_req: unknown, reply: (rsp: object) => void) => reply({ ioCap: IOCapabilities.DISPLAY_ONLY, bondingFlags: 1, mitm: true, sc: true }));
  strapConn.smp.on('passkeyExchange', (_model: number, passkey: string) => {
    log.passkeyRequests++;
    log.shown = passkey;
  });
  phoneConn.smp.on('passkeyExchange', (_model: number, _passkey: string, enter: (passkey: string) => void) => {
    log.passkeyRequests++;
    // The user reads the strap's passkey and types it (the test waits for the strap to show it first).
    pair.until(() => log.shown !== undefined, 'the strap showed a passkey');
    log.entered = log.shown;
    enter(log.shown!);
  });
  for (const [who, conn] of [['strap', strapConn], ['phone', phoneConn]] as const) {
    conn.smp.on('pairingComplete', () => log.complete.push(who));
    conn.smp.on('pairingFailed', (reason: number) => log.failed.push(reason));
    conn.smp.on('encrypt', (status: number, level?: { mitm: boolean; sc: boolean }) => log.encrypt.push({ who, status, mitm: level?.mitm, sc: level?.sc }));
  }
  return log;
}

function pairAndBond(pair: RadioPair) {
  const strap = advertiseService(pair, { readPerm: 'encrypted-mitm-sc' });
  const phoneConn = scanAndConnect(pair);
  pair.until(() => strap.connections.length === 1, 'the strap saw the connection');
  const log = wirePasskeyEntry(pair, strap.connections[0]!, phoneConn);
  const { IOCapabilities } = pair.phone.bleHost;
  phoneConn.smp.sendPairingRequest({ ioCap: IOCapabilities.KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true });
  pair.until(() => log.complete.length === 2 || log.failed.length > 0, 'pairing finished');
  return { strap, phoneConn, log };
}

function disconnectAndReconnect(pair: RadioPair, phoneConn: Connection, strap: { connections: Connection[] }) {
  let reason: number | undefined;
  phoneConn.on('disconnect', (r: number) => (reason = r));
  phoneConn.disconnect();
  pair.until(() => reason !== undefined, 'the phone disconnected');
  const before = strap.connections.length;
  const again = scanAndConnect(pair);
  pair.until(() => strap.connections.length === before + 1, 'the strap saw the reconnection');
  return { again, strapConn: strap.connections.at(-1)!, reason };
}

function keysFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...keysFiles(p));
    else if (name === 'keys.json') out.push(p);
  }
  return out;
}

describe('LE Secure Connections passkey entry over the virtual air', () => {
  it('pairs with the passkey the strap shows, bonds both sides, and the protected read succeeds', () => {
    const pair = radioPair({ seed: 11 });
    const { phoneConn, log } = pairAndBond(pair);
    expect(log.failed).toEqual([]);
    expect(log.entered).toMatch(/^\d{6}$/);
    expect(log.complete.sort()).toEqual(['phone', 'strap']);
    expect(log.encrypt).toContainEqual({ who: 'phone', status: 0, mitm: true, sc: true });
    expect(log.encrypt).toContainEqual({ who: 'strap', status: 0, mitm: true, sc: true });
    expect(discoverAndRead(pair, phoneConn)).toEqual({ err: 0, value: 'hello strap' });
    const root = join(pair.strap.bondDir, '..');
    expect(keysFiles(join(root, 'strap'))).toHaveLength(1);
    expect(keysFiles(join(root, 'phone'))).toHaveLength(1);
  });

  it('encrypts a bonded reconnection with the stored LTK, without pairing again', () => {
    const pair = radioPair({ seed: 12 });
    const { strap, phoneConn, log } = pairAndBond(pair);
    const { again, strapConn, reason } = disconnectAndReconnect(pair, phoneConn, strap);
    expect(reason).toBe(HciStatus.CONNECTION_TERMINATED_BY_LOCAL_HOST);
    const second = wirePasskeyEntry(pair, strapConn, again);
    expect(again.smp.hasLtk).toBe(true);
    again.smp.startEncryption();
    pair.until(() => second.encrypt.length === 2, 'both sides encrypted');
    expect(second.encrypt.map((e) => [e.who, e.status]).sort()).toEqual([['phone', 0], ['strap', 0]]);
    expect(second.passkeyRequests + second.complete.length).toBe(0);
    expect(log.complete).toHaveLength(2);
    expect(discoverAndRead(pair, again)).toEqual({ err: 0, value: 'hello strap' });
  });

  it('drops a reconnection whose keys differ with reason 0x3D (MIC failure) on both sides', () => {
    const pair = radioPair({ seed: 13 });
    const { strap, phoneConn } = pairAndBond(pair);
    // The strap's stored LTK changes while it is off; its next ble-host copy loads the altered bond.
    pair.strap.powerOff();
    for (const file of keysFiles(join(pair.strap.bondDir))) {
      const keys = JSON.parse(readFileSync(file, 'utf8')) as { localLtk?: { ltk: string }; peerLtk?: { ltk: string } };
      for (const k of [keys.localLtk, keys.peerLtk]) if (k) k.ltk = 'ff'.repeat(16);
      writeFileSync(file, JSON.stringify(keys));
    }
    const phoneReasons: number[] = [];
    phoneConn.on('disconnect', (r: number) => phoneReasons.push(r));
    pair.until(() => phoneReasons.length === 1, 'the phone noticed the strap went away');
    pair.strap.powerOn();
    const strapManager = startHost(pair.strap, pair.until);
    const reborn = advertiseService(pair, {}, strapManager);
    const again = scanAndConnect(pair);
    pair.until(() => reborn.connections.length === 1, 'the strap saw the reconnection');
    const reasons: Record<string, number> = {};
    again.on('disconnect', (r: number) => (reasons.phone = r));
    reborn.connections[0]!.on('disconnect', (r: number) => (reasons.strap = r));
    again.smp.startEncryption();
    pair.until(() => Object.keys(reasons).length === 2, 'both sides dropped the link');
    expect(reasons).toEqual({ phone: HciStatus.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE, strap: HciStatus.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE });
    expect(strap.connections).toHaveLength(1);
  });

  it('tells the central PIN or Key Missing (0x06) when the peripheral has forgotten the bond', () => {
    const pair = radioPair({ seed: 14 });
    const { phoneConn } = pairAndBond(pair);
    pair.strap.powerOff();
    rmSync(pair.strap.bondDir, { recursive: true, force: true });
    let gone = false;
    phoneConn.on('disconnect', () => (gone = true));
    pair.until(() => gone, 'the phone noticed the strap went away');
    pair.strap.powerOn();
    const reborn = advertiseService(pair, {}, startHost(pair.strap, pair.until));
    const again = scanAndConnect(pair);
    pair.until(() => reborn.connections.length === 1, 'the strap saw the reconnection');
    const statuses: number[] = [];
    again.smp.on('encrypt', (status: number) => statuses.push(status));
    again.smp.startEncryption();
    pair.until(() => statuses.length === 1, 'the phone heard how encryption went');
    expect(statuses).toEqual([HciStatus.PIN_OR_KEY_MISSING]);
  });
});
