/**
 * Firmware events for a host on the console, as frames (console-frame.ts):
 * STX `E|<boots>|<seq>|<name>|<data JSON>|<crc>`. Nothing is printed until a
 * host subscribes, so the console reads as before for a person. `seq` counts
 * the events printed in this boot from 1: a host that sees a jump knows it
 * lost some, and can ask for the last REPLAY_SIZE again (`replay`). The first
 * subscription of a boot starts with the `announce` events (boot, safe mode).
 */
import { asciiJson, printFrame } from './console-frame';
import type { StrapEvents, SubscriptionStart } from './rpc-types';

export interface EventStream {
  emit<K extends keyof StrapEvents>(name: K, data: StrapEvents[K]): void;
  /** Starts printing events; answers the boot and the last seq printed before this call. */
  subscribe(): SubscriptionStart;
  unsubscribe(): void;
  /** Prints again the kept events with seq >= `fromSeq`; answers how many. */
  replay(fromSeq: number): number;
}

const REPLAY_SIZE = 4;

export function createEventStream(boots: number, announce: (stream: EventStream) => void): EventStream {
  let subscribed = false;
  let announced = false;
  let seq = 0;
  const kept: string[] = [];
  const keptSeq: number[] = [];

  const stream: EventStream = {
    emit: function (name, data) {
      if (!subscribed) return;
      seq++;
      kept.push(printFrame('E|' + boots + '|' + seq + '|' + name + '|' + asciiJson(data)));
      keptSeq.push(seq);
      if (kept.length > REPLAY_SIZE) {
        kept.shift();
        keptSeq.shift();
      }
    },
    subscribe: function () {
      const before = seq;
      subscribed = true;
      if (!announced) {
        announced = true;
        announce(stream);
      }
      return { boots: boots, seq: before };
    },
    unsubscribe: function () {
      subscribed = false;
    },
    replay: function (fromSeq) {
      let count = 0;
      for (let i = 0; i < kept.length; i++) {
        if (keptSeq[i]! >= fromSeq) {
          print(kept[i]);
          count++;
        }
      }
      return count;
    },
  };
  return stream;
}
