/**
 * The Espruino console client (README.md): `connectConsole('tcp://127.0.0.1:4000')`
 * or `EspruinoConsoleClient.connect(transport)`.
 */
import { createTransport, type TransportOptions } from '../transports/index';
import { EspruinoConsoleClient, type ConnectOptions } from './console-client';

export { EspruinoConsoleClient, type ConnectOptions, type ConsoleClientOptions, type ConsoleProtocol, type UploadOptions } from './console-client';
export { BoardError, ConsoleClosedError, ConsoleProtocolError, ConsoleTimeoutError, PacketRefusedError, WrongBaudRateError } from './console-errors';
export { COMMON_BAUD_RATES, classifyReply, hasBaudRateControl, type BaudRateControl } from './baud-rate';
export { parseEspruinoVersion, supportsPackets, compareVersions } from './espruino-version';
export { parseRelaxedJson } from './relaxed-json';

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
