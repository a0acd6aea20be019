/**
 * One byte stream of the board as a host sees it (a ConsolePort): the UART
 * `Serial1` or the BLE UART `Bluetooth`. Input is handed to the board, which
 * takes it in its next idle pass; output fans out to every listener.
 */
import type { ConsolePort } from './console-contract';
import { ListenerList } from '../listener-list';

export class ConsoleLink implements ConsolePort {
  private readonly listeners = new ListenerList<string>();

  constructor(
    readonly name: string,
    private readonly deliver: (bytes: string) => void,
    /** Hears the listener count after each change (a host attaching or leaving: the power model's UART cost). */
    private readonly listenersChanged?: (count: number) => void,
  ) {}

  input(bytes: string): void {
    if (bytes.length > 0) this.deliver(bytes);
  }

  onOutput(listener: (bytes: string) => void): () => void {
    this.listeners.add(listener);
    this.listenersChanged?.(this.listeners.size);
    return () => {
      const removed = this.listeners.remove(listener);
      if (removed) this.listenersChanged?.(this.listeners.size);
      return removed;
    };
  }

  /** Board → host. */
  emit(bytes: string): void {
    if (!bytes) return;
    this.listeners.call(bytes);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
