// Two ble-host copies on the virtual air: advertising, scanning, connection, GATT discovery and read.
import { describe, expect, it } from 'vitest';
import { addressToString } from '../../protocols/ble/bytes';
import { advertiseService, discoverAndRead, radioPair, scanAndConnect, STRAP_ADDRESS } from './testing/radio-pair';

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
});
