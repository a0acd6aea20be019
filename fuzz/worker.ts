/**
 * One batch of `npm run fuzz` in a worker thread: cases `from` … `from +
 * count - 1` of one kind. It says when each case starts and how it ended, so
 * that the supervisor (supervisor.ts), watching from the main thread, can
 * name the case that hung or killed the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { caseSeed, type CaseResult, type FuzzKind } from './fuzz-case';
import { FuzzSession } from './run-case';

export interface BatchSpec {
  kind: FuzzKind;
  master: string;
  from: number;
  count: number;
  avoidOpenDefects: boolean;
}

export type WorkerMessage =
  | { type: 'start'; index: number; seed: number }
  | { type: 'result'; index: number; result: CaseResult }
  | { type: 'done' };

const spec = workerData as BatchSpec;
const port = parentPort!;
const session = new FuzzSession({ avoidOpenDefects: spec.avoidOpenDefects });
for (let index = spec.from; index < spec.from + spec.count; index++) {
  const seed = caseSeed(spec.master, spec.kind, index);
  port.postMessage({ type: 'start', index, seed } satisfies WorkerMessage);
  const result = await session.runCase(spec.kind, seed);
  port.postMessage({ type: 'result', index, result } satisfies WorkerMessage);
}
await session.close();
port.postMessage({ type: 'done' } satisfies WorkerMessage);
