// The tap outcomes the RPC contract names (protocols/strap-rpc/contract.ts)
// are the scheduler's TaskOutcome: checked by the type checker (this file is
// in firmware/power/tsconfig.json), and at run time for the list itself.
import { describe, expect, it } from 'vitest';
import { TAP_OUTCOMES, type TapOutcome } from '../../protocols/strap-rpc/contract';
import type { TaskOutcome } from './task-spec';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const outcomesAgree: Same<TaskOutcome, TapOutcome> = true;
const everyOutcome: Record<TaskOutcome, true> = { done: true, failed: true, shed: true, refused: true };

describe("the contract's tap outcomes", () => {
  it("are the scheduler's task outcomes", () => {
    expect(outcomesAgree).toBe(true);
    expect([...TAP_OUTCOMES].sort()).toEqual(Object.keys(everyOutcome).sort());
  });
});
