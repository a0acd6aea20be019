/**
 * A stand-in for worker.ts in the supervisor's tests: case `index` of the
 * batch is ok, hangs (a busy loop nothing interrupts) or kills its process
 * (an uncaught exception), as `index % 3` says: 0 ok, 1 hang, 2 crash.
 */
import type { BatchSpec, WorkerMessage } from '../worker';

const tell = (message: WorkerMessage) => new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));
const spec = JSON.parse(process.argv[2]!) as BatchSpec;
for (let index = spec.from; index < spec.from + spec.count; index++) {
  const seed = 1000 + index;
  await tell({ type: 'start', index, seed });
  if (index % 3 === 1) for (;;);
  if (index % 3 === 2) throw new Error(`case ${index} blew up`);
  await tell({ type: 'result', index, result: { kind: spec.kind, seed, input: '', verdict: { outcome: 'ok' } } });
}
await tell({ type: 'done' });
process.disconnect();
