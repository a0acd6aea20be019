/**
 * Transports: byte pipes to a board's console, chosen by the port string
 * (host-bridge/contracts.ts): `tcp://HOST:PORT` → TCP, `ble:ADDRESS` → the
 * Nordic UART Service over Bluetooth, anything else → a serial device opened
 * by path.
 */
import type { Transport } from '../contracts';
import { parsePort } from './port-spec';
import { PortOpenError } from './transport-errors';
import { BleTransport, type BleTransportOptions } from './ble-transport';
import { ReconnectingTransport, type ReconnectOptions } from './reconnecting-transport';
import { SerialTransport } from './serial-transport';
import { TcpTransport } from './tcp-transport';

export { parsePort, type PortSpec } from './port-spec';
export { PortClosedError, PortNotOpenError, PortOpenError } from './transport-errors';
export { SerialTransport, ESPRUINO_DEFAULT_BAUD } from './serial-transport';
export { TcpTransport } from './tcp-transport';
export { BleTransport, NUS, type BleTransportOptions } from './ble-transport';
export { parseHciSpec, type HciSpec } from './ble/hci-spec';
export { ReconnectingTransport, isReconnectingTransport, type ReconnectOptions, type ReconnectingEvent, type ReconnectedEvent } from './reconnecting-transport';
export { createMemoryLink, type MemoryDevice, type MemoryLink } from './memory-transport';

export interface TransportOptions {
  /** Serial line speed. Default 9600 (Espruino's UART console default). Ignored for TCP. */
  baudRate?: number;
  /** TCP connect timeout. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Reopen the port when it goes away (true: default back-off). */
  reconnect?: boolean | ReconnectOptions;
  /** For `ble:` ports: the HCI controller and the bond folder (ble-transport.ts). */
  ble?: Partial<BleTransportOptions>;
}

/** A transport for `port`, not yet open. */
export function createTransport(port: string, options: TransportOptions = {}): Transport {
  const make = (): Transport => {
    const spec = parsePort(port);
    if (spec.kind === 'tcp') return new TcpTransport(port, spec.host, spec.port, { connectTimeoutMs: options.connectTimeoutMs });
    if (spec.kind === 'ble') return new BleTransport(port, spec.address, bleOptions(port, options.ble));
    return new SerialTransport(spec.path, { baudRate: options.baudRate });
  };
  if (!options.reconnect) return make();
  parsePort(port); // fail now on a bad port string, not at the first reconnect
  return new ReconnectingTransport(port, make, options.reconnect === true ? {} : options.reconnect);
}

function bleOptions(port: string, given: Partial<BleTransportOptions> = {}): BleTransportOptions {
  if (!given.hci) throw new PortOpenError(port, `${port} needs a Bluetooth controller: --hci tcp:127.0.0.1:PORT (strap sim --hci-port), hci0, or an H4 UART's serial path`);
  if (!given.bondDir) throw new PortOpenError(port, `${port} needs the folder of this host's bonds (--bonds; strap pair keeps them in <state>/phone)`);
  return { ...given, hci: given.hci, bondDir: given.bondDir };
}

/** Opens `port` (`/dev/ttyACM0`, a pty symlink, `tcp://127.0.0.1:4000`). */
export async function openTransport(port: string, options: TransportOptions = {}): Promise<Transport> {
  const transport = createTransport(port, options);
  await transport.open();
  return transport;
}
