/**
 * The fuzz suite's vocabulary: the kinds of input, one case's seed, and what
 * a case can end as. A case is fully described by its kind and its 32-bit
 * seed: the generator draws everything from that seed, so `--replay
 * kind:seed` rebuilds the same bytes and runs them on a fresh fixture.
 */
import { SeededRandom } from '../sim/clock/seeded-random';

export const FUZZ_KINDS = ['console-bytes', 'hostile-js', 'packet-frames', 'rpc-frames', 'api-requests', 'se-frames', 'nci-packets', 'payment-apdus'] as const;
export type FuzzKind = (typeof FUZZ_KINDS)[number];

export function isFuzzKind(text: string): text is FuzzKind {
  return (FUZZ_KINDS as readonly string[]).includes(text);
}

/** The seed of case `index` of `kind` in a run seeded `master`: independent of every other case. */
export function caseSeed(master: string, kind: FuzzKind, index: number): number {
  return new SeededRandom(`${master}/${kind}/${index}`).nextUint32();
}

/** How a case ended. Anything but `ok` is a finding. */
export type Verdict =
  | { outcome: 'ok' }
  /** The host process would have died: an exception escaped the board, the link or the API server. */
  | { outcome: 'crash'; detail: string }
  /** The case did not end within its wall-clock budget, or the board stopped answering within its virtual-time budget. */
  | { outcome: 'hang'; detail: string }
  /** The board is powered and running but its console no longer answers `print(1+1)` with 2. */
  | { outcome: 'unhealthy'; detail: string }
  /** Board code reached the host realm (process, require, the host's Function). */
  | { outcome: 'escape'; detail: string };

export interface CaseResult {
  kind: FuzzKind;
  seed: number;
  /** What was fed, shortened, for the report. */
  input: string;
  verdict: Verdict;
}

/** How to run this case again. */
export function replayCommand(kind: FuzzKind, seed: number): string {
  return `npm run fuzz -- --replay ${kind}:${seed}`;
}

/** Printable form of input bytes (latin1), at most `max` characters. */
export function describeBytes(bytes: string, max = 160): string {
  const text = JSON.stringify(bytes);
  return text.length > max ? text.slice(0, max - 3) + '...' : text;
}
