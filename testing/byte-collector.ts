/**
 * Collects the bytes a stream emits (a transport, a serial port, a socket;
 * latin1, one char per byte) and waits for a condition on them, for tests.
 */

/** Anything that emits its bytes as 'data' events with Buffers. */
export interface ByteSource {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

export interface ByteCollector {
  /** Everything received so far. */
  text(): string;
  /** Resolves with the text once `done(text)` holds; rejects after `timeoutMs` of wall-clock time (a limit on I/O, not a wait). */
  waitFor(done: (text: string) => boolean, timeoutMs?: number): Promise<string>;
}

export function collectBytes(source: ByteSource): ByteCollector {
  let text = '';
  const waiters = new Set<() => void>();
  source.on('data', (chunk) => {
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
