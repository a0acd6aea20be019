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

/** What the firmware's parts are handed to emit with; the host's side (subscribe, unsubscribe, replay) is rpc-methods.ts's. */
export interface EventStream {
  emit: typeof emit;
}

const REPLAY_SIZE = 4;
const NEVER = 0;
const ON = 1;
const OFF = 2;

/**
 * Makes the boot's event stream. The strap has one: its state is this module's, so a second call starts the
 * stream afresh (what a test does). Module-level functions and variables rather than a class: Espruino keeps
 * no prototype, `constructor` link or `__proto__` for them, and each function's scope link costs one variable.
 */
export function createEventStream(state: StrapState): EventStream {
  strapState = state;
  subscription = NEVER;
  lastSeq = 0;
  kept = '';
  return { emit: emit };
}

let strapState: StrapState;
/** NEVER (not yet announced), ON (printing) or OFF: one number rather than two booleans (a number sits in its name on Espruino). */
let subscription = NEVER;
/** Events printed this boot: the last one's seq. */
let lastSeq = 0;
/**
 * The last REPLAY_SIZE frames printed, oldest first, '\n' between them (a
 * frame is printable ASCII): one string holds fewer variables on Espruino
 * than an array of them. Their seqs run up to `lastSeq` one by one.
 */
let kept = '';

function emit<K extends keyof StrapEvents>(name: K, data: StrapEvents[K]): void {
  if (subscription !== ON) return;
  lastSeq++;
  const list = kept ? kept.split('\n') : [];
  list.push(printFrame('E|' + strapState.boots + '|' + lastSeq + '|' + name + '|' + asciiJson(data)));
  if (list.length > REPLAY_SIZE) list.shift();
  kept = list.join('\n');
}

/** Starts printing events; answers the boot and the last seq printed before this call. */
export function subscribe(): SubscriptionStart {
  const before = lastSeq;
  const first = subscription === NEVER;
  subscription = ON;
  if (first) {
    const state = strapState;
    emit('boot', { boots: state.boots, mode: state.mode, upS: Math.round(getTime() - state.bootTimeS) });
    if (state.safeReason) emit('safe', { reason: state.safeReason });
  }
  return { boots: strapState.boots, seq: before };
}

export function unsubscribe(): void {
  if (subscription === ON) subscription = OFF;
}

/** Prints again the kept events with seq >= `fromSeq`; answers how many. */
export function replay(fromSeq: number): number {
  const list = kept ? kept.split('\n') : [];
  let count = 0;
  for (let i = 0; i < list.length; i++) {
    if (lastSeq - (list.length - 1 - i) >= fromSeq) {
      print(list[i]);
      count++;
    }
  }
  return count;
}
