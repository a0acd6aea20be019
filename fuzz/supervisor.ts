/**
 * Runs batches of cases in worker threads and watches them from the main
 * thread, which no case can block: a worker silent for longer than the wall
 * budget is stopped and its current case counted as a hang; a worker that
 * dies (an uncaught exception, out of memory) has its current case counted as
 * a crash. Either way a new worker carries on after that case. Workers get a
 * heap limit, so a board that allocates without bound kills its worker, not
 * the machine.
 */
import { Worker } from 'node:worker_threads';
import type { CaseResult, FuzzKind } from './fuzz-case';
import type { BatchSpec, WorkerMessage } from './worker';

export interface SupervisorOptions {
  /** Wall-clock ms a case may take before it counts as a hang. */
  wallBudgetMs: number;
  /** Heap limit per worker (MB). */
  heapMb: number;
  /** The worker module (default ./worker.ts; tests give a scripted one). */
  workerUrl?: URL;
}

/** A worker that can load this project's TypeScript (tsx's loader, registered inside the worker). */
function startWorker(spec: BatchSpec, options: SupervisorOptions): Worker {
  const url = (options.workerUrl ?? new URL('./worker.ts', import.meta.url)).href;
  const heapMb = options.heapMb;
  return new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url)}); })`, {
    eval: true,
    workerData: spec,
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
    stdout: true,
    stderr: true,
  });
}

/** Runs the batch to its end, restarting after a hang or a crash; `onResult` hears every case once. */
export async function runBatch(spec: BatchSpec, options: SupervisorOptions, onResult: (result: CaseResult) => void): Promise<void> {
  let next = spec.from;
  const end = spec.from + spec.count;
  while (next < end) {
    next = await runWorker({ ...spec, from: next, count: end - next }, options, onResult);
  }
}

/** One worker until it finishes, hangs or dies; resolves with the index to go on from. */
function runWorker(spec: BatchSpec, options: SupervisorOptions, onResult: (result: CaseResult) => void): Promise<number> {
  return new Promise((resolve) => {
    const worker = startWorker(spec, options);
    let current: { index: number; seed: number } | undefined;
    let nextIndex = spec.from;
    let settled = false;
    let watchdog: NodeJS.Timeout | undefined;
    const finish = (from: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      void worker.terminate();
      resolve(from);
    };
    const lost = (outcome: 'hang' | 'crash', detail: string) => {
      if (settled) return;
      if (current) {
        onResult({ kind: spec.kind, seed: current.seed, input: '(its replay shows it)', verdict: { outcome, detail } });
        finish(current.index + 1);
      } else {
        // died before its first case: nothing to blame, give up on the batch
        onResult({ kind: spec.kind, seed: 0, input: '', verdict: { outcome: 'crash', detail: `the worker failed to start: ${detail}` } });
        finish(spec.from + spec.count);
      }
    };
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => lost('hang', `no progress for ${options.wallBudgetMs} ms of wall time`), options.wallBudgetMs);
    };
    worker.on('message', (message: WorkerMessage) => {
      arm();
      if (message.type === 'start') current = message;
      else if (message.type === 'result') {
        onResult(message.result);
        current = undefined;
        nextIndex = message.index + 1;
      } else finish(nextIndex);
    });
    worker.on('error', (error) => lost('crash', `the host process would have died: ${error.name}: ${error.message}`.slice(0, 300)));
    worker.on('exit', (code) => lost('crash', `the worker exited with code ${code}`));
    worker.stdout.resume();
    worker.stderr.resume();
    arm();
  });
}

export type { BatchSpec, FuzzKind };
