/**
 * The one port syntax of the host bridge (host-bridge/contracts.ts): a
 * `tcp://HOST:PORT` URL for a board's TCP console (the virtual board, a WiFi
 * Espruino's Telnet console), `ble:AA:BB:CC:DD:EE:FF` for a board's console
 * over the Nordic UART Service (ble-transport.ts), anything else is a serial device path opened
 * as given (`/dev/ttyACM0`, `/dev/serial/by-id/…`, a pseudo-terminal's
 * symlink). Paths are not checked against `serialport`'s list(): it knows only
 * udev devices, and a pseudo-terminal is not one (host-bridge/ESPRUINO-CLI.md).
 */

export type PortSpec = { kind: 'tcp'; host: string; port: number } | { kind: 'ble'; address: string } | { kind: 'serial'; path: string };

const BD_ADDR = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

export function parsePort(port: string): PortSpec {
  if (typeof port !== 'string' || port.trim() === '') {
    throw new Error('no port given: expected a serial device path (/dev/ttyACM0), tcp://HOST:PORT or ble:AA:BB:CC:DD:EE:FF');
  }
  if (/^ble:/i.test(port)) {
    const address = port.slice(4);
    if (!BD_ADDR.test(address)) throw new Error(`bad port ${JSON.stringify(port)}: expected ble:AA:BB:CC:DD:EE:FF (the board's Bluetooth address, six hex octets)`);
    return { kind: 'ble', address: address.toUpperCase() };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(port)) {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/[\]]+):(\d{1,5})\/?$/i.exec(port);
    if (!m) throw new Error(`bad port ${JSON.stringify(port)}: expected tcp://HOST:PORT (the only URL scheme), or a serial device path`);
    const tcpPort = Number(m[2]);
    if (tcpPort < 1 || tcpPort > 65535) throw new Error(`bad port ${JSON.stringify(port)}: TCP port must be 1-65535`);
    return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port: tcpPort };
  }
  return { kind: 'serial', path: port };
}
