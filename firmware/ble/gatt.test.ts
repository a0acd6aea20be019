import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTROL_POINT, STATUS, TRANSFER, uuid, WALLET_SERVICE } from './wallet-protocol';

// The GATT table as gatt.ts gives it to NRF.setServices (stubbed here): the wallet's UUIDs written out in it are
// uuid(n)'s, the table is what Espruino's C reads as the README's GATT table says (firmware/ble/README.md, "GATT";
// over the air: sim/scenario/strap-pairing.test.ts).

afterEach(() => {
  vi.unstubAllGlobals();
});

async function table() {
  let given: unknown[] = [];
  vi.stubGlobal('NRF', { setServices: (...args: unknown[]) => (given = args) });
  vi.resetModules();
  const { setServices } = await import('./gatt');
  setServices('0.1.0', 57);
  return given as [NrfServices, unknown?];
}

describe('the GATT table', () => {
  it("names the wallet service and its characteristics with uuid(n)'s spellings, after Battery and Device Information", async () => {
    const [services] = await table();
    expect(Object.keys(services)).toEqual(['180F', '180A', uuid(WALLET_SERVICE)]);
    expect(Object.keys(services[uuid(WALLET_SERVICE)]!)).toEqual([uuid(CONTROL_POINT), uuid(TRANSFER), uuid(STATUS)]);
  });

  it('gives one-octet initial values, read and notify, a handler where writable, LESC (with MITM) for the wallet, the UART left on', async () => {
    const [services, options] = await table();
    expect(options).toBeUndefined();
    expect(services['180F']!['2A19']).toEqual({ value: 57, readable: 1, notify: 1 });
    const wallet = services[uuid(WALLET_SERVICE)]!;
    for (const n of [CONTROL_POINT, TRANSFER, STATUS]) {
      expect(wallet[uuid(n)]).toMatchObject({ value: 0, maxLen: 20, readable: 1, notify: 1, security: { read: { lesc: 1 }, write: { lesc: 1 } } });
      expect(typeof wallet[uuid(n)]!.onWrite === 'function' && wallet[uuid(n)]!.writable === 1).toBe(n !== STATUS);
    }
  });
});
