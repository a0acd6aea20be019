// Two ble-host copies on the virtual air: advertising, scanning, connection, GATT discovery and read.
import { describe, expect, it } from 'vitest';
import { addressToString } from '../../protocols/ble/bytes';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../clock/virtual-clock';
import { Air } from './air';
import { createRadioDevice } from './radio-device';
import { runUntil } from './run-until';
import { advertiseService, discoverAndRead, radioPair, scanAndConnect, startHost, STRAP_ADDRESS } from './testing/radio-pair';

describe('a central reads a peripheral\'s GATT service over the virtual air', () => {
  it('scans, connects, discovers the service and reads the characteristic', () => {
    const pair = radioPair();
    const strap = advertiseService(pair);
    const conn = scanAndConnect(pair);
    expect(conn.peerAddress).toBe(STRAP_ADDRESS);
    pair.until(() => strap.connections.length === 1, 'the strap saw the connection');
    expect(strap.connections[0]!.peerAddress).toBe(addressToString(pair.phone.controller.publicAddress));
    expect(discoverAndRead(pair, conn)).toEqual({ err: 0, value: 'hello strap' });
  });

  it('advertises and connects with a static random address when the host sets one (LE_Set_Random_Address)', () => {
    const clock = new VirtualClock();
    const air = new Air({ clock, seed: 2 });
    const root = mkdtempSync(join(tmpdir(), 'radio-random-'));
    const strap = createRadioDevice({ air, name: 'strap', address: 'C0:00:00:00:00:31', bondDir: join(root, 'strap'), staticRandomAddress: 'F1:22:33:44:55:66' });
    const phone = createRadioDevice({ air, name: 'phone', address: 'C0:00:00:00:00:32', bondDir: join(root, 'phone') });
    const until = (c: () => boolean, what: string) => {
      if (!runUntil(clock, c, 30_000)) throw new Error(what);
    };
    const strapManager = startHost(strap, until);
    const phoneManager = startHost(phone, until);
    strapManager.setAdvertisingData(new strap.bleHost.AdvertisingDataBuilder().addLocalName(true, 'strap').build());
    strapManager.startAdvertising({}, () => undefined);
    let found: { address: string; addressType: 'public' | 'random' } | undefined;
    const scanner = phoneManager.startScan({});
    scanner.on('report', (r: { address: string; addressType: 'public' | 'random' }) => (found ??= r));
    until(() => found !== undefined, 'a report');
    expect(found).toMatchObject({ address: 'F1:22:33:44:55:66', addressType: 'random' });
    scanner.stopScan();
    let conn: { peerAddress: string } | undefined;
    phoneManager.connect('random', 'F1:22:33:44:55:66', {}, (c) => (conn = c));
    until(() => conn !== undefined, 'connected');
    expect(conn!.peerAddress).toBe('F1:22:33:44:55:66');
  });
});
