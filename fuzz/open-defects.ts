/**
 * Defects being fixed elsewhere whose triggers the fast subset leaves out.
 * None is open now; fixed and deleted: 'realm-escape' (host objects reachable
 * from board code), 'event-loop-spin' (zero, negative or fractional
 * intervals, endless promise chains), 'realm-prototypes' (the prelude calling
 * the board's own Function.prototype.call), 'host-memory' (board code
 * allocating without limit in the host heap; sim/board/runtime/memory-guard.ts).
 * While an entry is listed:
 *
 * - the random generators do not produce their triggers when
 *   `avoidOpenDefects` is set (the fast subset in `npm test`; `npm run fuzz`
 *   produces them and reports what they do);
 * - their reproducers sit in the corpus (generators/known-nasty.ts) as cases
 *   expected to pass, marked with the defect, and `npm test` skips them
 *   (it.todo) with the reason.
 *
 * When a fix lands, delete its entry: the corpus cases turn on and the
 * generators start producing the trigger everywhere.
 */
export const OPEN_DEFECTS: Readonly<Record<string, string>> = {};

export type OpenDefect = string;

export function isOpen(defect: OpenDefect): boolean {
  return defect in OPEN_DEFECTS;
}
