// The BLE transport's failures before any radio: the port names what is missing. The transport against a
// strap (the virtual one, over H4 on TCP) is tested in hil/ble-transport-on-virtual-strap.test.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortOpenError, createTransport } from './index';

const bondDir = mkdtempSync(join(tmpdir(), 'ble-transport-'));

describe('BleTransport: opening without a controller', () => {
  it('a ble: port needs --hci and a bond folder', () => {
    expect(() => createTransport('ble:C0:11:22:33:44:01')).toThrow(/needs a Bluetooth controller: --hci tcp:127\.0\.0\.1:PORT/);
    expect(() => createTransport('ble:C0:11:22:33:44:01', { ble: { hci: 'hci0' } })).toThrow(/needs the folder of this host's bonds/);
  });

  it('a Linux controller that is not there, or a UART path that does not exist: cannot reach the Bluetooth controller (PortOpenError)', async () => {
    const noAdapter = createTransport('ble:C0:11:22:33:44:01', { ble: { hci: 'hci99', bondDir } });
    await expect(noAdapter.open()).rejects.toThrow(PortOpenError);
    await expect(noAdapter.open()).rejects.toThrow(/cannot reach the Bluetooth controller hci99/);
    const noUart = createTransport('ble:C0:11:22:33:44:01', { ble: { hci: '/nonexistent/ttyHCI', bondDir } });
    await expect(noUart.open()).rejects.toThrow(/cannot reach the Bluetooth controller \/nonexistent\/ttyHCI/);
    expect(noUart.isOpen).toBe(false);
  });
});
