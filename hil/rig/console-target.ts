/**
 * The console side every rig shares: the host bridge's console client and an
 * RPC client on one transport, the lines the board printed, and a transcript
 * of the wire for the report. The same code runs whether the transport is an
 * in-memory link, a pseudo-terminal or a bench board's USB serial port.
 */
import type { Transport } from '../../host-bridge/contracts';
import { EspruinoConsoleClient, type ConnectOptions } from '../../host-bridge/console/index';
import { RpcClient, type RpcClientOptions } from '../../host-bridge/rpc/rpc-client';
import { isReconnectingTransport } from '../../host-bridge/transports/index';
import type { Transcript } from './rig';

export interface ConsoleTarget {
  console: EspruinoConsoleClient;
  rpc: RpcClient;
  lines: string[];
  transcript: WireTranscript;
  close(): Promise<void>;
}

export async function openConsoleTarget(
  transport: Transport,
  options: { console?: ConnectOptions; rpc?: RpcClientOptions } = {},
): Promise<ConsoleTarget> {
  const transcript = new WireTranscript();
  const record = (data: Buffer) => transcript.bytes(data);
  transport.on('data', record);
  const console = await EspruinoConsoleClient.connect(transport, { timeoutMs: 3000, ...options.console });
  const rpc = new RpcClient(console, { timeoutMs: 2000, ...options.rpc });
  const lines: string[] = [];
  console.on('line', (line) => lines.push(line));
  console.on('close', (error) => transcript.note(`console closed${error ? `: ${error.message}` : ''}`));
  console.on('reconnected', () => transcript.note('console reconnected'));
  if (isReconnectingTransport(transport)) transport.on('disconnected', (error: Error) => transcript.note(`port went away: ${error.message}`));
  return {
    console,
    rpc,
    lines,
    transcript,
    close: async () => {
      rpc.close();
      await console.close().catch(() => undefined);
      transport.off('data', record);
    },
  };
}

/**
 * What came over the wire as readable text: printable bytes as they are,
 * CR LF as a line end, any other control byte as `\xNN`; the rig's own notes
 * (stimuli, reconnects) on lines of their own starting with `# `.
 */
export class WireTranscript implements Transcript {
  private text = '';

  get length(): number {
    return this.text.length;
  }

  bytes(data: Buffer): void {
    for (const byte of data) {
      if (byte === 0x0d) continue;
      this.text += byte === 0x0a || byte === 0x09 || (byte >= 0x20 && byte < 0x7f) ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
    }
  }

  note(text: string): void {
    this.text += `${this.text === '' || this.text.endsWith('\n') ? '' : '\n'}# ${text}\n`;
  }

  slice(from: number): string {
    return this.text.slice(from);
  }
}
