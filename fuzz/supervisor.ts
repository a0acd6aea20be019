/**
 * Runs batches of cases in child processes and watches them from this one,
 * which no case can block or bring down: a child silent for longer than the
 * wall budget is killed and its current case counted as a hang; a child that
 * dies (an uncaught exception, out of memory, a native abort) has its current
 * case counted as a crash. Either way a new child carries on after that case.
 * Children get a heap limit, so a board that allocates without bound kills
 * its child, not the machine. (Worker threads are not enough: node aborts the
 * whole process when a thread is terminated inside some vm calls.)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CaseResult, FuzzKind } from './fuzz-case';
import type { BatchSpec, WorkerMessage } from './worker';

export interface SupervisorOptions {
  /** Wall-clock ms a case may take before it counts as a hang. */
  wallBudgetMs: number;
  /** Heap limit per child (MB). */
  heapMb: number;
  /** The child's module (default ./worker.ts; tests give a scripted one). */
  workerUrl?: URL;
}

/** A child that runs this project's TypeScript (tsx's loader). */
function startChild(spec: BatchSpec, options: SupervisorOptions): ChildProcess {
  const path = fileURLToPath(options.workerUrl ?? new URL('./worker.ts', import.meta.url));
  return fork(path, [JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx', `--max-old-space-size=${options.heapMb}`],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
}

/** Runs the batch to its end, restarting after a hang or a crash; `onResult` hears every case once. */
export async function runBatch(spec: BatchSpec, options: SupervisorOptions, onResult: (result: CaseResult) => void): Promise<void> {
  let next = spec.from;
  const end = spec.from + spec.count;
  while (next < end) {
    next = await runChild({ ...spec, from: next, count: end - next }, options, onResult);
  }
}

/** One child until it finishes, hangs or dies; resolves with the index to go on from. */
function runChild(spec: BatchSpec, options: SupervisorOptions, onResult: (result: CaseResult) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = startChild(spec, options);
    let current: { index: number; seed: number } | undefined;
    let nextIndex = spec.from;
    let settled = false;
    let watchdog: NodeJS.Timeout | undefined;
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    const finish = (from: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      child.kill('SIGKILL');
      resolve(from);
    };
    const lost = (outcome: 'hang' | 'crash', detail: string) => {
      if (settled) return;
      if (current) {
        onResult({ kind: spec.kind, seed: current.seed, input: '(its replay shows it)', verdict: { outcome, detail } });
        finish(current.index + 1);
      } else {
        // died before its first case: nothing to blame, give up on the batch
        onResult({ kind: spec.kind, seed: 0, input: '', verdict: { outcome: 'crash', detail: `the fuzz process failed to start: ${detail}` } });
        finish(spec.from + spec.count);
      }
    };
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => lost('hang', `no progress for ${options.wallBudgetMs} ms of wall time`), options.wallBudgetMs);
    };
    child.on('message', (message: WorkerMessage) => {
      arm();
      if (message.type === 'start') current = message;
      else if (message.type === 'result') {
        onResult(message.result);
        current = undefined;
        nextIndex = message.index + 1;
      } else finish(nextIndex);
    });
    child.on('error', (error) => lost('crash', `${error.name}: ${error.message}`));
    child.on('exit', (code, signal) => {
      const last = stderr.trim().split('\n').filter((l) => /Error|Assertion|heap/i.test(l)).slice(-1)[0] ?? '';
      lost('crash', `the process died (${signal ?? `exit code ${code}`}), as the simulator would: ${last}`.slice(0, 400));
    });
    arm();
  });
}

export type { BatchSpec, FuzzKind };
