/**
 * Runs cases and counts them: per kind, how many were tried and how each
 * ended. Used in this process by the fast subset (fuzz.test.ts) and inside
 * each worker of `npm run fuzz` (worker.ts).
 */
import { caseSeed, type CaseResult, type FuzzKind, type Verdict } from './fuzz-case';
import type { FuzzSession } from './run-case';

export type Outcome = Verdict['outcome'];

export interface KindTally {
  tried: number;
  outcomes: Record<Outcome, number>;
  /** The cases that were not ok (at most `keep` of them). */
  findings: CaseResult[];
}

export function emptyTally(): KindTally {
  return { tried: 0, outcomes: { ok: 0, crash: 0, hang: 0, unhealthy: 0, escape: 0 }, findings: [] };
}

export function record(tally: KindTally, result: CaseResult, keep = 50): void {
  tally.tried++;
  tally.outcomes[result.verdict.outcome]++;
  if (result.verdict.outcome !== 'ok' && tally.findings.length < keep) tally.findings.push(result);
}

/** Cases `from` … `from + count - 1` of `kind` in the run seeded `master`, one after the other. */
export async function runCases(
  session: FuzzSession,
  kind: FuzzKind,
  master: string,
  from: number,
  count: number,
  onResult: (index: number, result: CaseResult) => void,
): Promise<void> {
  for (let index = from; index < from + count; index++) {
    onResult(index, await session.runCase(kind, caseSeed(master, kind, index)));
  }
}
