/**
 * A stand-in for worker.ts in the supervisor's tests: case `index` of the
 * batch is ok, hangs (a busy loop no message will ever interrupt) or kills
 * the worker (an uncaught exception), as `index % 3` says: 0 ok, 1 hang, 2 crash.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BatchSpec, WorkerMessage } from '../worker';

const spec = workerData as BatchSpec;
const port = parentPort!;
for (let index = spec.from; index < spec.from + spec.count; index++) {
  const seed = 1000 + index;
  port.postMessage({ type: 'start', index, seed } satisfies WorkerMessage);
  if (index % 3 === 1) for (;;);
  if (index % 3 === 2) setImmediate(() => {
    throw new Error(`case ${index} blew up`);
  });
  if (index % 3 === 2) await new Promise(() => undefined);
  port.postMessage({ type: 'result', index, result: { kind: spec.kind, seed, input: '', verdict: { outcome: 'ok' } } } satisfies WorkerMessage);
}
port.postMessage({ type: 'done' } satisfies WorkerMessage);
