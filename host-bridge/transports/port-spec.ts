/**
 * The one port syntax of the host bridge (host-bridge/contracts.ts): a
 * `tcp://HOST:PORT` URL for a board's TCP console (the virtual board, a WiFi
 * Espruino's Telnet console), anything else is a serial device path opened
 * as given (`/dev/ttyACM0`, `/dev/serial/by-id/…`, a pseudo-terminal's
 * symlink). Paths are not checked against `serialport`'s list(): it knows only
 * udev devices, and a pseudo-terminal is not one (host-bridge/ESPRUINO-CLI.md).
 */

export type PortSpec = { kind: 'tcp'; host: string; port: number } | { kind: 'serial'; path: string };

export function parsePort(port: string): PortSpec {
  if (typeof port !== 'string' || port.trim() === '') {
    throw new Error('no port given: expected a serial device path (/dev/ttyACM0) or tcp://HOST:PORT');
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
