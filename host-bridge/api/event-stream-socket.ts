/**
 * Fans the RpcClient's events out to the API's WebSocket clients as JSON
 * messages. The first client subscribes the strap; when the last one leaves,
 * the subscription is dropped again, unless something else had subscribed
 * before the API did.
 */
import type { SubscriptionStart } from '../../protocols/strap-rpc/contract';
import type { EventGap, FirmwareEvent, RebootNotice, RpcClient } from '../rpc/rpc-client';
import { CLOSE_GOING_AWAY, type EventSocket } from './websocket/event-socket';

/** What a client of /events receives: one JSON text message each. */
export type EventStreamMessage =
  | ({ type: 'event' } & FirmwareEvent)
  | ({ type: 'gap' } & EventGap)
  | { type: 'reboot'; boots: number | null }
  | { type: 'log'; line: string }
  | { type: 'subscribed'; boots: number; seq: number }
  | { type: 'error'; error: { code: string; message: string } };

export interface EventFanOut {
  add(client: EventSocket): void;
  closeAll(): void;
}

export function streamEvents(rpc: RpcClient): EventFanOut {
  const clients = new Set<EventSocket>();
  let subscribedByUs = false;
  const broadcast = (message: EventStreamMessage) => {
    const text = JSON.stringify(message);
    for (const client of clients) client.send(text);
  };
  const onEvent = (e: FirmwareEvent) => broadcast({ type: 'event', ...e });
  const onGap = (g: EventGap) => broadcast({ type: 'gap', ...g });
  const onReboot = (r: RebootNotice) => broadcast({ type: 'reboot', boots: r.boots ?? null });
  const onLog = (line: string) => broadcast({ type: 'log', line });
  // A client's own subscription is answered to it alone (in add); renewals after a reboot go to all.
  const onSubscribed = (s: SubscriptionStart & { renewed: boolean }) => s.renewed && broadcast({ type: 'subscribed', boots: s.boots, seq: s.seq });

  const start = () => {
    rpc.on('event', onEvent);
    rpc.on('gap', onGap);
    rpc.on('reboot', onReboot);
    rpc.on('log', onLog);
    rpc.on('subscribed', onSubscribed);
  };
  const stop = () => {
    rpc.off('event', onEvent);
    rpc.off('gap', onGap);
    rpc.off('reboot', onReboot);
    rpc.off('log', onLog);
    rpc.off('subscribed', onSubscribed);
    if (subscribedByUs) {
      subscribedByUs = false;
      rpc.unsubscribe().catch(() => undefined);
    }
  };

  return {
    add(client) {
      if (clients.size === 0) start();
      clients.add(client);
      client.onClose(() => {
        clients.delete(client);
        if (clients.size === 0) stop();
      });
      if (!rpc.subscribed) subscribedByUs = true;
      rpc.subscribe().then(
        (start) => client.send(JSON.stringify({ type: 'subscribed', boots: start.boots, seq: start.seq } satisfies EventStreamMessage)),
        (error: Error & { code?: string }) => client.send(JSON.stringify({ type: 'error', error: { code: error.code ?? 'internal', message: error.message } } satisfies EventStreamMessage)),
      );
    },
    closeAll() {
      for (const client of clients) client.close(CLOSE_GOING_AWAY, 'the local API is stopping');
    },
  };
}
