/**
 * Espruino prints "Execution Interrupted" (src/jsinteractive.c, jsiCheckErrors)
 * when running code is stopped, rather than "Uncaught ...". The virtual board
 * stops code that keeps the CPU busy longer than its busy-loop limit (a
 * wall-clock safety net, since virtual time does not move while JS runs).
 *
 * `engine.evaluate` returns `{ ok: false, error: EXECUTION_INTERRUPTED }` for
 * such a console line: the REPL should print `Execution Interrupted` for it
 * (test with `isExecutionInterrupted`), not "Uncaught".
 */
export const EXECUTION_INTERRUPTED_TEXT = 'Execution Interrupted';

export class ExecutionInterrupted extends Error {
  constructor() {
    super(EXECUTION_INTERRUPTED_TEXT);
    this.name = 'ExecutionInterrupted';
  }
}

/** The value engine.evaluate reports for an interrupted line. */
export const EXECUTION_INTERRUPTED: ExecutionInterrupted = new ExecutionInterrupted();

export function isExecutionInterrupted(error: unknown): error is ExecutionInterrupted {
  return error instanceof ExecutionInterrupted;
}

/**
 * Exceptions that also interrupted execution (src/jsparse.c
 * jspCheckStackPosition: "Too much recursion" is raised and execution is
 * interrupted): jsiCheckErrors prints `Uncaught ...` with the stack, then
 * `Execution Interrupted`.
 */
const interrupting = new WeakSet<object>();

export function markInterrupting(error: object): void {
  interrupting.add(error);
}

export function interruptsExecution(error: unknown): boolean {
  return typeof error === 'object' && error !== null && interrupting.has(error);
}
