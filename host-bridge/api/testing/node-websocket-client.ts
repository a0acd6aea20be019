/**
 * An independent WebSocket client for interop tests: Node's own (undici's)
 * WebSocket, which Node 20 offers behind --experimental-websocket, run in a
 * child process that prints each message on a line of stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { until } from '../../../testing/until';
import type { EventStreamMessage } from '../event-stream-socket';

/** What the client prints: the stream's messages, plus its own notes on the connection. */
export type NodeWebSocketMessage =
  | EventStreamMessage
  | { type: 'open'; protocol: string }
  | { type: 'closed'; code: number }
  | { type: 'ws-error'; message: string };

export interface NodeWebSocketClient {
  /** Parsed messages; plus {type: 'open', protocol}, {type: 'closed', code} and {type: 'ws-error'} from the client itself. */
  messages(): NodeWebSocketMessage[];
  waitFor(check: (messages: NodeWebSocketMessage[]) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const SCRIPT = `
const ws = new WebSocket(process.env.WS_URL, JSON.parse(process.env.WS_PROTOCOLS));
const out = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
ws.onopen = () => out({ type: 'open', protocol: ws.protocol });
ws.onmessage = (m) => process.stdout.write(m.data + '\\n');
ws.onerror = (e) => out({ type: 'ws-error', message: String(e.message || e.type) });
ws.onclose = (e) => { out({ type: 'closed', code: e.code }); setTimeout(() => process.exit(0), 10); };
process.stdin.on('end', () => ws.close(1000));
process.stdin.resume();
`;

export function connectNodeWebSocket(url: string, protocols: string[]): NodeWebSocketClient {
  const child: ChildProcess = spawn(process.execPath, ['--experimental-websocket', '--no-warnings', '-e', SCRIPT], {
    env: { ...process.env, WS_URL: url, WS_PROTOCOLS: JSON.stringify(protocols) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: NodeWebSocketMessage[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) if (line.trim() !== '') messages.push(JSON.parse(line) as NodeWebSocketMessage);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    messages: () => messages,
    waitFor: (check, timeoutMs = 10_000) => until(() => check(messages), { timeoutMs, describe: () => `messages: ${JSON.stringify(messages)}; stderr: ${stderr}` }),
    stop: async () => {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill(), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
