// A device's GATT server answers an Exchange MTU Request with its configured MTU (att-server-mtu.ts), not ble-host's 517.
import { describe, expect, it } from 'vitest';
import type { Connection } from './ble-host-api';
import { advertiseService, radioPair, scanAndConnect } from './testing/radio-pair';

function exchange(strapAttMtu: number | undefined) {
  const pair = radioPair({ seed: 31, strapAttMtu });
  const served = advertiseService(pair);
  const responses: number[] = [];
  pair.air.tap = (pdu) => {
    if (pdu.kind !== 'data' || pdu.from !== 'strap') return;
    const p = pdu.payload;
    // L2CAP length 3, the ATT channel, Exchange MTU Response (Core v5.4 Vol 3 Part F 3.4.2.2)
    if (p.length === 7 && p[2] === 4 && p[3] === 0 && p[4] === 0x03) responses.push(p[5]! | (p[6]! << 8));
  };
  const conn: Connection = scanAndConnect(pair, pair.phoneManager);
  let done = false;
  conn.gatt.exchangeMtu(() => (done = true));
  pair.until(() => done && served.connections.length === 1, 'the MTU exchange');
  pair.clock.advanceBy(50);
  return { phone: conn.gatt.currentMtu, strap: served.connections[0]!.gatt.currentMtu, responses };
}

describe('the ATT MTU a server answers with', () => {
  it('a server configured for 23 answers 23: both sides keep ATT_MTU 23 though the phone offered 517', () => {
    expect(exchange(23)).toEqual({ phone: 23, strap: 23, responses: [23] });
  });

  it('a server configured for 131 answers 131 and both sides use min(517, 131)', () => {
    expect(exchange(131)).toEqual({ phone: 131, strap: 131, responses: [131] });
  });

  it('unconfigured, ble-host answers its own 517', () => {
    expect(exchange(undefined)).toEqual({ phone: 517, strap: 517, responses: [517] });
  });
});
