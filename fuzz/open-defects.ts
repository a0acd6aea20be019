/**
 * Defects of issue 8 still open (fixed and deleted so far: 'realm-escape',
 * host objects reachable from board code; 'event-loop-spin', zero, negative
 * or fractional intervals and endless promise chains; 'realm-prototypes', the
 * prelude calling the board's own Function.prototype.call). Until the fix
 * lands:
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
  'host-memory': 'board code can allocate without limit in the host heap (no resource limits on the realm yet, issue 8 "a sandbox")',
} as const;

export type OpenDefect = keyof typeof OPEN_DEFECTS;

export function isOpen(defect: OpenDefect): boolean {
  return defect in OPEN_DEFECTS;
}
