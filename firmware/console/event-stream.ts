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
  return new EventFrames(boots, announce);
}

// A class rather than an object of closures: its methods sit at the bundle's
// top level, where each function's scope link costs Espruino one variable
// instead of one per enclosing scope, and its state is five fields.
class EventFrames implements EventStream {
  private readonly bootCount: number;
  private readonly announce: (stream: EventStream) => void;
  private subscribed = false;
  private announced = false;
  /** Events printed this boot: the last one's seq. */
  private lastSeq = 0;
  /** The last REPLAY_SIZE frames printed; their seqs run up to `lastSeq` one by one. */
  private kept: string[] = [];

  constructor(boots: number, announce: (stream: EventStream) => void) {
    this.bootCount = boots;
    this.announce = announce;
  }

  emit<K extends keyof StrapEvents>(name: K, data: StrapEvents[K]): void {
    if (!this.subscribed) return;
    this.lastSeq++;
    this.kept.push(printFrame('E|' + this.bootCount + '|' + this.lastSeq + '|' + name + '|' + asciiJson(data)));
    if (this.kept.length > REPLAY_SIZE) this.kept.shift();
  }

  subscribe(): SubscriptionStart {
    const before = this.lastSeq;
    this.subscribed = true;
    if (!this.announced) {
      this.announced = true;
      this.announce(this);
    }
    return { boots: this.bootCount, seq: before };
  }

  unsubscribe(): void {
    this.subscribed = false;
  }

  replay(fromSeq: number): number {
    const kept = this.kept;
    let count = 0;
    for (let i = 0; i < kept.length; i++) {
      if (this.lastSeq - (kept.length - 1 - i) >= fromSeq) {
        print(kept[i]);
        count++;
      }
    }
    return count;
  }
}
