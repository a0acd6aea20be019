/**
 * Defects of issue 8 that another engineer is fixing (the realm: host
 * objects reachable from board code; the event loop: zero/negative/fractional
 * intervals and endless promise chains hang or kill the simulator). Until the
 * fix lands:
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
export const OPEN_DEFECTS = {
  'realm-escape': 'host-realm objects reach board code (sim/board/runtime/context/, being fixed in the sandbox work of issue 8)',
  'event-loop-spin': 'zero, negative or fractional timer intervals and self-renewing promise chains hang the event loop or throw out of it (sim/board/runtime/event-loop.ts, being fixed in issue 8)',
  'host-memory': 'board code can allocate without limit in the host heap (no resource limits on the realm yet, issue 8 "a sandbox")',
  'realm-prototypes':
    'the realm\'s prelude calls the board\'s own Function.prototype.call (hasOwn.call, sim/board/runtime/context/prelude.ts): after `Function.prototype.call = 1` an error thrown by a callback throws out of board.run, which kills the simulator (found by this fuzz suite)',
} as const;

export type OpenDefect = keyof typeof OPEN_DEFECTS;

export function isOpen(defect: OpenDefect): boolean {
  return defect in OPEN_DEFECTS;
}
