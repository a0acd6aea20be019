import { describe, expect, it } from 'vitest';
import { DEFAULT_H4_BAUD, parseHciSpec } from './hci-spec';

describe('--hci: where the BLE transport finds its controller', () => {
  it('tcp:HOST:PORT is H4 over TCP, hciN the Linux user channel, anything else an H4 UART path with an optional @baud', () => {
    expect(parseHciSpec('tcp:127.0.0.1:4100')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 4100 });
    expect(parseHciSpec('tcp://[::1]:9')).toEqual({ kind: 'tcp', host: '::1', port: 9 });
    expect(parseHciSpec('hci0')).toEqual({ kind: 'user-channel', devId: 0 });
    expect(parseHciSpec('/dev/ttyACM1')).toEqual({ kind: 'serial', path: '/dev/ttyACM1', baudRate: DEFAULT_H4_BAUD });
    expect(parseHciSpec('/dev/ttyUSB0@115200')).toEqual({ kind: 'serial', path: '/dev/ttyUSB0', baudRate: 115200 });
  });

  it('refuses what cannot name a controller, saying what would', () => {
    expect(() => parseHciSpec('')).toThrow(/expected tcp:HOST:PORT .*hciN or a serial device path/);
    expect(() => parseHciSpec('tcp:127.0.0.1')).toThrow(/tcp:HOST:PORT with a port 1-65535/);
    expect(() => parseHciSpec('tcp:127.0.0.1:70000')).toThrow(/port 1-65535/);
  });
});
