/**
 * The Espruino console client (README.md): `connectConsole('tcp://127.0.0.1:4000')`
 * or `EspruinoConsoleClient.connect(transport)`.
 */
import { createTransport, type TransportOptions } from '../transports/index.js';
import { EspruinoConsoleClient, type ConnectOptions } from './console-client.js';

export { EspruinoConsoleClient, type ConnectOptions, type ConsoleClientOptions, type ConsoleProtocol, type UploadOptions } from './console-client.js';
export { BoardError, ConsoleClosedError, ConsoleProtocolError, ConsoleTimeoutError, PacketRefusedError, WrongBaudRateError } from './console-errors.js';
export { COMMON_BAUD_RATES, classifyReply, hasBaudRateControl, type BaudRateControl } from './baud-rate.js';
export { parseEspruinoVersion, supportsPackets, compareVersions } from './espruino-version.js';
export { parseRelaxedJson } from './relaxed-json.js';

/** Opens `port` and connects a console client to it (see EspruinoConsoleClient.connect). */
export async function connectConsole(port: string, options: ConnectOptions & TransportOptions = {}): Promise<EspruinoConsoleClient> {
  const transport = createTransport(port, options);
  await transport.open();
  try {
    return await EspruinoConsoleClient.connect(transport, options);
  } catch (error) {
    await transport.close().catch(() => undefined);
    throw error;
  }
}
