/**
 * The local API's WebSocket server: the `ws` package behind the
 * WebSocketAcceptor interface. Push-only: text messages out, client messages
 * ignored (ws answers pings and closes, and closes with 1009 past 64 KiB).
 * No permessage-deflate. A client that stops reading is terminated once
 * MAX_BUFFERED_BYTES are waiting, so a stuck dashboard cannot grow our memory.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventSocket, WebSocketAcceptor } from './event-socket';

const MAX_INCOMING_PAYLOAD = 64 * 1024;
const MAX_BUFFERED_BYTES = 1024 * 1024;

export function wsAcceptor(): WebSocketAcceptor {
  // The subprotocol the API chose for each pending handshake; ws asks for it in handleProtocols.
  const chosen = new WeakMap<IncomingMessage, string>();
  const server = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_INCOMING_PAYLOAD,
    handleProtocols: (offered, request) => {
      const protocol = chosen.get(request);
      return protocol !== undefined && offered.has(protocol) ? protocol : false;
    },
  });

  return {
    accept(request: IncomingMessage, socket: Duplex, head: Buffer, protocol?: string): Promise<EventSocket | undefined> {
      if (protocol !== undefined) chosen.set(request, protocol);
      return new Promise((resolve) => {
        // ws answers a handshake it refuses (400, 405, ...) itself and closes the socket, without calling back.
        const refused = () => resolve(undefined);
        socket.once('close', refused);
        server.handleUpgrade(request, socket, head, (ws) => {
          socket.off('close', refused);
          resolve(new WsEventSocket(ws));
        });
        if (socket.destroyed) refused();
      });
    },
  };
}

class WsEventSocket implements EventSocket {
  private readonly closeListeners: (() => void)[] = [];
  private gone = false;

  constructor(private readonly ws: WebSocket) {
    // Protocol errors from the client: ws closes the connection itself (1002, 1009, ...).
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.gone = true;
      for (const listener of this.closeListeners.splice(0)) listener();
    });
  }

  send(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }

  close(code?: number, reason?: string): void {
    this.ws.close(code, reason);
  }

  onClose(listener: () => void): void {
    if (this.gone) listener();
    else this.closeListeners.push(listener);
  }
}
