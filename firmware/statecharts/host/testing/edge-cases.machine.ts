import { setup } from 'xstate';

// Not a strap machine: the corners of xstate's semantics the table runtime
// must reproduce, in one chart for the differential tests (lowered in memory,
// no table file). Each transition's comment says what it exercises.

const stub = () => {};

export const edgeCasesMachine = setup({
  actions: {
    enterRoot: stub, exitRoot: stub, rootTick: stub, reset: stub,
    enterA: stub, exitA: stub, selfA: stub, innerA: stub, shortA: stub,
    enterA1: stub, exitA1: stub, sameA1: stub, toggleA1: stub,
    enterA2: stub, exitA2: stub, toggleA2: stub,
    enterB: stub, exitB: stub, toggleB: stub, skipB1: stub, enterB2: stub, chainB2: stub, enterB3: stub, exitB3: stub,
    enterC: stub, exitC: stub,
  },
  guards: { flag: () => false },
  delays: { short: 100, same: 100, long: 1_000 },
}).createMachine({
  id: 'edges',
  initial: 'a',
  entry: 'enterRoot',
  // Runs when c ends the machine.
  exit: 'exitRoot',
  // A root timer: the root is never exited, so it fires once, whatever the state.
  after: { long: { actions: 'rootTick' } },
  on: {
    // Root transition into a child: domain is the root, everything below it is exited.
    RESET: { target: '.a', actions: 'reset' },
  },
  states: {
    a: {
      initial: 'a1',
      entry: 'enterA',
      exit: 'exitA',
      // A compound's delay into its own child: a is not exited, its timer not restarted.
      after: { short: { target: '.a2', actions: 'shortA' } },
      on: {
        // Reentering self-transition of a compound: exits the child and a, enters a and its initial child.
        SELF: { target: 'a', reenter: true, actions: 'selfA' },
        // Non-reentering transition to itself: only the child is exited; a's initial child entered again.
        INNER: { target: 'a', actions: 'innerA' },
        // Into a nested state of a sibling by id: the sibling is entered, its initial child is not.
        DEEP: '#deep',
        GO_B: 'b',
      },
      states: {
        a1: {
          entry: 'enterA1',
          exit: 'exitA1',
          // Same deadline as a's `short`, set after it: cancelled when a's timer fires first and exits a1.
          after: { same: { actions: 'sameA1' } },
          on: { NEXT: 'a2', TOGGLE: { actions: 'toggleA1' } },
        },
        a2: {
          entry: 'enterA2',
          exit: 'exitA2',
          on: {
            NEXT: 'a1',
            // Guarded alternatives; the targetless one sends NEXT from its action (queued until the step ends).
            TOGGLE: [{ guard: 'flag', target: 'a1' }, { actions: 'toggleA2' }],
          },
        },
      },
    },
    b: {
      initial: 'b1',
      entry: 'enterB',
      exit: 'exitB',
      on: { TOGGLE: { actions: 'toggleB' } },
      states: {
        // A guarded eventless transition, re-checked after every event (handled or not).
        b1: { always: { guard: 'flag', target: 'b2', actions: 'skipB1' }, on: { NEXT: 'b2' } },
        // An unguarded one: eventless transitions chain within one step.
        b2: { id: 'deep', entry: 'enterB2', always: { target: 'b3', actions: 'chainB2' } },
        b3: { entry: 'enterB3', exit: 'exitB3', on: { NEXT: '#edges.c', BACK: '#edges.a.a2' } },
      },
    },
    // A final child of the root: the machine is done; xstate runs exitC, then exitRoot.
    c: { type: 'final', entry: 'enterC', exit: 'exitC' },
  },
});
