/**
 * The transport object ble-host (and any H4 host stack) talks through:
 * `write(Buffer)` takes one whole H4 packet from the host; the transport emits
 * `'data'` with one whole H4 packet per event or ACL packet from the
 * controller (ble-host's lib/internal/adapter.js reads exactly that).
 *
 * Every packet, both ways, is kept with its virtual time for a btsnoop trace.
 */
import { EventEmitter } from 'node:events';
import type { TraceRecord } from '../../protocols/ble/btsnoop/btsnoop';
import type { VirtualClock } from '../clock/virtual-clock';

export class HciTransport extends EventEmitter {
  /** Host → controller and controller → host packets, in order (btsnoop records). */
  readonly records: TraceRecord[] = [];
  /** Whether `records` grows (turn off for long runs that write no btsnoop file). */
  recording = true;
  private receiver: (packet: Uint8Array) => void = () => undefined;
  private listening = true;

  constructor(private readonly clock: VirtualClock) {
    super();
  }

  /** The controller's side: what the host writes lands here. */
  onHostPacket(receiver: (packet: Uint8Array) => void): void {
    this.receiver = receiver;
  }

  /** Called by the host stack with one H4 packet. */
  write(packet: Uint8Array): void {
    if (!this.listening) return;
    const copy = Uint8Array.from(packet);
    if (this.recording) this.records.push({ direction: 'sent', timeUs: this.timeUs(), packet: copy });
    this.receiver(copy);
  }

  /** The controller sends one H4 packet to the host. */
  deliver(packet: Uint8Array): void {
    if (!this.listening) return;
    if (this.recording) this.records.push({ direction: 'received', timeUs: this.timeUs(), packet });
    this.emit('data', Buffer.from(packet));
  }

  /** A powered-off controller neither hears nor answers its host. */
  setListening(on: boolean): void {
    this.listening = on;
  }

  private timeUs(): number {
    return Math.round(this.clock.nowMs() * 1000);
  }
}
