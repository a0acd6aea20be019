/**
 * What the local API needs from a WebSocket server: take over an HTTP upgrade
 * and push text messages to the client. The implementation is the `ws`
 * package (ws-acceptor.ts); tests may pass another through
 * `startLocalApi({ webSocket })`.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** RFC 6455 section 7.4.1: the endpoint is going away (the API is stopping). */
export const CLOSE_GOING_AWAY = 1001;

export interface EventSocket {
  /** Sends one text message; dropped silently once the socket is closed. */
  send(text: string): void;
  /** Starts the closing handshake (RFC 6455 7.1.2). */
  close(code?: number, reason?: string): void;
  /** Called once, when the connection is gone (either side closed, or the socket broke). */
  onClose(listener: () => void): void;
}

export interface WebSocketAcceptor {
  /**
   * Completes the opening handshake on `socket` with `protocol` as the chosen
   * subprotocol (if any), or answers the HTTP error itself and resolves undefined.
   */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer, protocol?: string): Promise<EventSocket | undefined>;
}
