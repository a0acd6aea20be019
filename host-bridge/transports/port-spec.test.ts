import { describe, expect, it } from 'vitest';
import { parsePort } from './port-spec';

describe('port strings', () => {
  it('tcp://HOST:PORT is TCP, every other string a serial path', () => {
    expect(parsePort('tcp://127.0.0.1:4000')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 4000 });
    expect(parsePort('tcp://[::1]:23')).toEqual({ kind: 'tcp', host: '::1', port: 23 });
    expect(parsePort('TCP://strap.local:23/')).toEqual({ kind: 'tcp', host: 'strap.local', port: 23 });
    expect(parsePort('/dev/ttyACM0')).toEqual({ kind: 'serial', path: '/dev/ttyACM0' });
    expect(parsePort('/tmp/x/ttyStrap0')).toEqual({ kind: 'serial', path: '/tmp/x/ttyStrap0' });
    expect(parsePort('COM3')).toEqual({ kind: 'serial', path: 'COM3' });
  });

  it('ble:ADDRESS is the console over the Nordic UART Service of the board at that Bluetooth address; a malformed address is refused', () => {
    expect(parsePort('ble:c0:11:22:33:44:01')).toEqual({ kind: 'ble', address: 'C0:11:22:33:44:01' });
    expect(() => parsePort('ble:C0:11:22:33:44')).toThrow(/expected ble:AA:BB:CC:DD:EE:FF/);
    expect(() => parsePort('BLE:strap')).toThrow(/six hex octets/);
  });
});
