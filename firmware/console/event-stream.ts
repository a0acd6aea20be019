/**
 * Firmware events for a host on the console, as frames (console-frame.ts):
 * STX `E|<boots>|<seq>|<name>|<data JSON>|<crc>`. Nothing is printed until a
 * host subscribes, so the console reads as before for a person. `seq` counts
 * the events printed in this boot from 1: a host that sees a jump knows it
 * lost some, and can ask for the last REPLAY_SIZE again (`replay`). The first
 * subscription of a boot starts with the events that announce it: `boot`, and
 * `safe` in safe mode (from the strap's state, status.ts).
 */
import { asciiJson, printFrame } from './console-frame';
import type { StrapEvents, SubscriptionStart } from './rpc-types';
import type { StrapState } from './status';

export interface EventStream {
  emit<K extends keyof StrapEvents>(name: K, data: StrapEvents[K]): void;
  /** Starts printing events; answers the boot and the last seq printed before this call. */
  subscribe(): SubscriptionStart;
  unsubscribe(): void;
  /** Prints again the kept events with seq >= `fromSeq`; answers how many. */
  replay(fromSeq: number): number;
}

const REPLAY_SIZE = 4;
const NEVER = 0;
const ON = 1;
const OFF = 2;

export function createEventStream(state: StrapState): EventStream {
  return new EventFrames(state);
}

// A class rather than an object of closures: its methods sit at the bundle's
// top level, where each function's scope link costs Espruino one variable
// instead of one per enclosing scope, and its state is four fields.
class EventFrames implements EventStream {
  private readonly strapState: StrapState;
  /** NEVER (not yet announced), ON (printing) or OFF: one number rather than two booleans (a number sits in its property's name on Espruino). */
  private subscription = NEVER;
  /** Events printed this boot: the last one's seq. */
  private lastSeq = 0;
  /**
   * The last REPLAY_SIZE frames printed, oldest first, '\n' between them (a
   * frame is printable ASCII): one string holds fewer variables on Espruino
   * than an array of them. Their seqs run up to `lastSeq` one by one.
   */
  private kept = '';

  constructor(state: StrapState) {
    this.strapState = state;
  }

  emit<K extends keyof StrapEvents>(name: K, data: StrapEvents[K]): void {
    if (this.subscription !== ON) return;
    this.lastSeq++;
    const frames = this.frames();
    frames.push(printFrame('E|' + this.strapState.boots + '|' + this.lastSeq + '|' + name + '|' + asciiJson(data)));
    if (frames.length > REPLAY_SIZE) frames.shift();
    this.kept = frames.join('\n');
  }

  subscribe(): SubscriptionStart {
    const before = this.lastSeq;
    const first = this.subscription === NEVER;
    this.subscription = ON;
    if (first) {
      const state = this.strapState;
      this.emit('boot', { boots: state.boots, mode: state.mode, upS: Math.round(getTime() - state.bootTimeS) });
      if (state.safeReason) this.emit('safe', { reason: state.safeReason });
    }
    return { boots: this.strapState.boots, seq: before };
  }

  unsubscribe(): void {
    if (this.subscription === ON) this.subscription = OFF;
  }

  replay(fromSeq: number): number {
    const kept = this.frames();
    let count = 0;
    for (let i = 0; i < kept.length; i++) {
      if (this.lastSeq - (kept.length - 1 - i) >= fromSeq) {
        print(kept[i]);
        count++;
      }
    }
    return count;
  }

  private frames(): string[] {
    return this.kept ? this.kept.split('\n') : [];
  }
}
