/**
 * One batch of `npm run fuzz` in a child process: cases `from` … `from +
 * count - 1` of one kind (the batch comes as JSON in argv[2]). It says when
 * each case starts and how it ended, so that the supervisor (supervisor.ts)
 * can name the case that hung or killed it.
 */
import { caseSeed, type CaseResult, type FuzzKind } from './fuzz-case';
import { FuzzSession } from './run-case';

export interface BatchSpec {
  kind: FuzzKind;
  master: string;
  from: number;
  count: number;
  avoidOpenDefects: boolean;
}

export type WorkerMessage = { type: 'start'; index: number; seed: number } | { type: 'result'; index: number; result: CaseResult } | { type: 'done' };

/** Sends a message to the supervisor and waits until it is handed over (so a hang right after it cannot swallow it). */
export function tell(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

const spec = JSON.parse(process.argv[2]!) as BatchSpec;
const session = new FuzzSession({ avoidOpenDefects: spec.avoidOpenDefects });
for (let index = spec.from; index < spec.from + spec.count; index++) {
  const seed = caseSeed(spec.master, spec.kind, index);
  await tell({ type: 'start', index, seed });
  const result = await session.runCase(spec.kind, seed);
  await tell({ type: 'result', index, result });
}
await session.close();
await tell({ type: 'done' });
process.disconnect();
