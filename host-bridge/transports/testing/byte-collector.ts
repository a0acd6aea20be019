/** Collects a transport's bytes (latin1) and waits for a condition on them, for tests. */
import type { Transport } from '../../contracts.js';

export interface ByteCollector {
  text(): string;
  waitFor(done: (text: string) => boolean, timeoutMs?: number): Promise<string>;
}

export function collectBytes(transport: Transport): ByteCollector {
  let text = '';
  const waiters = new Set<() => void>();
  transport.on('data', (chunk) => {
    text += chunk.toString('latin1');
    for (const wake of [...waiters]) wake();
  });
  return {
    text: () => text,
    waitFor(done, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(text)) return;
          cleanup();
          resolve(text);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`timed out after ${timeoutMs} ms; received ${JSON.stringify(text)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Resolves with the next event of that name (its first argument). */
export function nextEvent<T = unknown>(emitter: { once(event: string, listener: (...args: any[]) => void): unknown }, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' event within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
