/**
 * Puts the strap's event frames in order and accounts for every one of them.
 *
 * Events carry (boots, seq); seq counts from 1 in each boot. An event ahead of
 * the next expected seq is held back while the strap is asked to print its
 * last few events again (`replay`); whatever is still missing afterwards is
 * reported as a gap, and delivery goes on in order. Duplicates (replays, a
 * second subscription) are dropped. Until a subscription tells where the
 * stream starts (`baseline`), events are held, not judged.
 */
import type { EventFrame } from '../../protocols/strap-rpc/frame';

export interface FirmwareEvent {
  boots: number;
  seq: number;
  name: string;
  data: unknown;
}

export interface EventGap {
  boots: number;
  fromSeq: number;
  toSeq: number;
  missed: number;
}

export interface SequencerHooks {
  deliver(event: FirmwareEvent): void;
  gap(gap: EventGap): void;
  /** Asks the strap to print again its kept events from `fromSeq`; settles once they arrived (or could not). */
  replay(fromSeq: number): Promise<unknown>;
}

/** Events held at most; beyond, the oldest missing ones are given up as a gap. */
const MAX_HELD = 64;

export class EventSequencer {
  private boots: number | undefined;
  private next = 1;
  private waiting = true;
  private replaying = false;
  /** Bumped when a replay's answer no longer applies (reset, new boot). */
  private generation = 0;
  private held: FirmwareEvent[] = [];

  constructor(private readonly hooks: SequencerHooks) {}

  /** The strap rebooted or the subscription ended: wait for a new baseline, drop what is held. */
  reset(): void {
    this.waiting = true;
    this.replaying = false;
    this.generation++;
    this.held = [];
    this.boots = undefined;
  }

  /** From a subscription's reply: the boot, and the last seq printed before it. */
  baseline(boots: number, lastSeq: number): void {
    if (!this.waiting && this.boots === boots) return;
    const held = this.held.filter((e) => e.boots === boots);
    this.waiting = false;
    this.held = [];
    this.boots = boots;
    this.next = lastSeq + 1;
    for (const event of held) this.accept(event);
  }

  accept(frame: EventFrame | FirmwareEvent): void {
    const event: FirmwareEvent = { boots: frame.boots, seq: frame.seq, name: frame.name, data: frame.data };
    if (this.waiting) {
      this.hold(event);
      return;
    }
    if (event.boots !== this.boots) this.newBoot(event.boots);
    if (event.seq < this.next) return;
    if (event.seq === this.next) {
      this.deliver(event);
      this.drain();
      return;
    }
    this.hold(event);
    if (!this.replaying) this.recover();
  }

  private newBoot(boots: number): void {
    this.giveUpMissing();
    this.replaying = false;
    this.generation++;
    this.boots = boots;
    this.next = 1;
  }

  private recover(): void {
    this.replaying = true;
    const generation = this.generation;
    const settle = () => {
      if (!this.replaying || this.generation !== generation) return;
      this.replaying = false;
      this.giveUpMissing();
    };
    this.hooks.replay(this.next).then(settle, settle);
  }

  /** Reports the seqs missing before each held event and delivers them all. */
  private giveUpMissing(): void {
    this.drain();
    while (this.held.length > 0) {
      const first = this.held[0]!;
      if (first.seq > this.next && this.boots !== undefined) {
        this.hooks.gap({ boots: this.boots, fromSeq: this.next, toSeq: first.seq - 1, missed: first.seq - this.next });
      }
      this.next = first.seq;
      this.drain();
    }
  }

  private drain(): void {
    while (this.held.length > 0 && this.held[0]!.seq <= this.next) {
      const event = this.held.shift()!;
      if (event.seq === this.next) this.deliver(event);
    }
  }

  private deliver(event: FirmwareEvent): void {
    this.next = event.seq + 1;
    this.hooks.deliver(event);
  }

  private hold(event: FirmwareEvent): void {
    if (this.held.some((e) => e.boots === event.boots && e.seq === event.seq)) return;
    this.held.push(event);
    this.held.sort((a, b) => a.boots - b.boots || a.seq - b.seq);
    if (this.held.length > MAX_HELD) {
      if (this.waiting) this.held.shift();
      else this.giveUpMissing();
    }
  }
}
