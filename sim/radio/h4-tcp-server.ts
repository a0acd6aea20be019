/**
 * A virtual controller reachable from another process: H4 over TCP on
 * 127.0.0.1 (as HCI UART bridges and emulators offer it), so any HCI host
 * stack, not only a ble-host copy in this process, can join the air. One
 * host at a time, as a controller has one host: a new connection takes the
 * controller over and the previous one is closed (a host that restarts, or
 * reopens before its old socket's close has arrived here; the new host's
 * HCI_Reset abandons whatever links the old one left). H4 has no
 * resynchronisation (Vol 4 Part A 2): an unknown packet type closes the
 * connection.
 *
 * Virtual time: after each packet from the host, `afterHostPacket` runs
 * (default `clock.runDue()`, which delivers the controller's answers, all
 * due at once). With a paced driver running the air, pass `() => driver.poke()`;
 * with `turn` (host-turn.ts) as that driver's hold as well, the air waits for
 * the host's answer to each packet it was handed.
 */
import * as net from 'node:net';
import { H4Splitter, encodeH4 } from '../../protocols/ble/hci/h4';
import type { VirtualController } from './controller';
import type { HostTurn } from './host-turn';

export interface H4TcpServerOptions {
  /** Default 0: any free port (read it from the result). */
  port?: number;
  afterHostPacket?: () => void;
  /** Told of each packet to the host (`handed`) and from it (`answered`, before `afterHostPacket`). */
  turn?: HostTurn;
}

export interface H4TcpServer {
  readonly port: number;
  close(): Promise<void>;
}

export function startH4TcpServer(controller: VirtualController, clock: { runDue(): number }, options: H4TcpServerOptions = {}): Promise<H4TcpServer> {
  const afterHostPacket = options.afterHostPacket ?? (() => clock.runDue());
  let current: net.Socket | undefined;
  const toHost = (packet: Buffer): void => {
    if (!current) return;
    options.turn?.handed();
    current.write(packet);
  };
  controller.transport.on('data', toHost);
  const server = net.createServer((socket) => {
    current?.destroy();
    current = socket;
    // HCI packets are small and each waits on the last (a Write Response, then the next request): Nagle's
    // algorithm would hold one back until the peer's delayed ACK, ~40 ms a packet
    socket.setNoDelay(true);
    const splitter = new H4Splitter();
    socket.on('data', (chunk: Buffer) => {
      if (current !== socket) return;
      const { packets, error } = splitter.push(new Uint8Array(chunk));
      for (const p of packets) {
        options.turn?.answered();
        controller.transport.write(encodeH4(p.type, p.packet));
        afterHostPacket();
      }
      if (error) socket.destroy();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (current === socket) current = undefined;
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            controller.transport.removeListener('data', toHost);
            current?.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
