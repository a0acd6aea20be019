/** Resolves with the next event of that name (its first argument); rejects after `timeoutMs` of wall-clock time (a limit, not a wait). */
export function nextEvent<T = unknown>(emitter: { once(event: string, listener: (value: NoInfer<T>) => void): unknown }, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${event}' event within ${timeoutMs} ms`)), timeoutMs);
    emitter.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
