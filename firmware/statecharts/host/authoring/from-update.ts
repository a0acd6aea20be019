import { assign, type EventObject, type MachineContext } from 'xstate';
import type { SystemEvent } from '../../table';

// Host side only (imports xstate). A machine's context changes through named
// actions; each one's update is written once, in the machine's model module,
// as `(context, event) => void` changing the context in place — the form the
// table runtime calls on the strap. For xstate, whose snapshots are immutable,
// the update runs on a copy inside assign(). Contexts are JSON (the table
// stores the initial one as JSON), so a JSON copy is a deep copy.

/** An xstate assign action running a model's in-place update on a copy of the context. */
export function fromUpdate<TContext extends MachineContext, TEvent extends EventObject>(update: (context: TContext, event: TEvent | SystemEvent) => void) {
  return assign<TContext, TEvent, undefined, TEvent, never>(({ context, event }) => {
    const next = JSON.parse(JSON.stringify(context)) as TContext;
    update(next, event);
    return next;
  });
}
