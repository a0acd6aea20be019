/** A ConsolePort double that records what the host sent and emits what a test tells it to. */
import type { ConsolePort } from '../../console-contract';

export class RecordingConsole implements ConsolePort {
  readonly received: string[] = [];
  private readonly listeners = new Set<(bytes: string) => void>();
  private readonly waiters = new Set<() => void>();

  get receivedText(): string {
    return this.received.join('');
  }

  input(bytes: string): void {
    this.received.push(bytes);
    for (const wake of this.waiters) wake();
  }

  onOutput(listener: (bytes: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(bytes: string): void {
    for (const listener of this.listeners) listener(bytes);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Resolves once `length` bytes have arrived from the host. */
  waitForBytes(length: number, timeoutMs = 5000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.receivedText.length < length) return;
        cleanup();
        resolve(this.receivedText);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out: ${this.receivedText.length} of ${length} bytes arrived`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}
