import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { CODE_MAX } from '../statecharts/table';
import { findUnsupported, refName, type Unsupported } from './statechart-support';
import { initialDescendants, isLeaf, microstepSets, properAncestors, stateNodes } from './statechart-nodes';

// Lowers an xstate v5 machine to the table the strap runs (format:
// ../statecharts/table.ts). The machine's structure is read from xstate's
// own state nodes (`machine.root`, `StateNode.transitions`, `.after`,
// `.always`, `.initial`), so targets are resolved exactly as xstate resolves
// them. Entry/exit sets are computed here, once per (leaf, transition), with
// xstate's rules (./statechart-microstep.ts); the runtime only replays them.

export type Op = { kind: 'action'; index: number } | { kind: 'start'; group: number } | { kind: 'cancel'; group: number } | { kind: 'done' };

export interface LoweredTransition {
  /** 0 eventless, 1..events.length external, then delayed-transition codes. */
  event: number;
  /** Index in guards, or -1. */
  guard: number;
  /** The leaf after the transition, or -1 when targetless. */
  target: number;
  ops: Op[];
  /** The state that declares it (for the listing). */
  source: number;
}

export interface LoweredState {
  id: string;
  key: string;
  /** From the root: [] for the root. */
  path: string[];
  parent: number;
  leaf: boolean;
  /** Transition records of a leaf, in the order xstate tries them. */
  transitions: LoweredTransition[];
}

export interface TimerGroup {
  state: number;
  timers: Array<{ delay: number; event: number }>;
}

export interface LoweredMachine {
  id: string;
  events: string[];
  actions: string[];
  guards: string[];
  delays: string[];
  /** Per delay: ms, or -1 when setup gives a function. */
  delayMs: number[];
  states: LoweredState[];
  timerGroups: TimerGroup[];
  start: { leaf: number; ops: Op[] };
  /** JSON of the initial context. */
  context: string;
}

export type LowerOutcome = { ok: true; machine: LoweredMachine } | { ok: false; unsupported: Unsupported[] };

export function lowerMachine(machine: AnyStateMachine): LowerOutcome {
  const unsupported = findUnsupported(machine);
  if (unsupported.length > 0) return { ok: false, unsupported };
  const lowered = new Lowering(machine).run();
  const overflow = checkLimits(lowered);
  return overflow.length > 0 ? { ok: false, unsupported: overflow } : { ok: true, machine: lowered };
}

class Lowering {
  private readonly nodes: AnyStateNode[];
  private readonly number = new Map<AnyStateNode, number>();
  private readonly events: string[] = [];
  private readonly actions: string[] = [];
  private readonly guards: string[] = [];
  private readonly delays: string[] = [];
  private readonly groupOf = new Map<AnyStateNode, number>();
  private readonly timerGroups: TimerGroup[] = [];
  /** xstate's delayed event type (xstate.after.<delay>.<id>) → event code. */
  private readonly afterCodes = new Map<string, number>();

  constructor(private readonly machine: AnyStateMachine) {
    this.nodes = stateNodes(machine);
    this.nodes.forEach((node, index) => this.number.set(node, index));
  }

  run(): LoweredMachine {
    // Numbering: external events first (codes 1..n), then delayed ones, so the
    // runtime finds an external code as indexOf(type) + 1.
    for (const node of this.nodes) {
      for (const descriptor of node.transitions.keys()) if (!descriptor.startsWith('xstate.after.')) indexOf(this.events, descriptor);
    }
    for (const node of this.nodes) {
      if (node.after.length === 0) continue;
      const group: TimerGroup = { state: this.number.get(node)!, timers: [] };
      for (const delayed of node.after) {
        if (this.afterCodes.has(delayed.eventType)) continue;
        const code = 1 + this.events.length + this.afterCodes.size;
        this.afterCodes.set(delayed.eventType, code);
        group.timers.push({ delay: indexOf(this.delays, String(delayed.delay)), event: code });
      }
      this.groupOf.set(node, this.timerGroups.length);
      this.timerGroups.push(group);
    }

    const root = this.machine.root;
    const initialNodes = [root, ...initialDescendants(root)];
    const start = { leaf: this.number.get(initialNodes[initialNodes.length - 1]!)!, ops: this.enterOps(initialNodes, initialNodes) };

    const states: LoweredState[] = this.nodes.map((node) => ({
      id: node.id,
      key: node.key,
      path: node.path,
      parent: node.parent ? this.number.get(node.parent)! : 0,
      leaf: isLeaf(node),
      transitions: isLeaf(node) ? this.leafTransitions(node) : [],
    }));

    const implementations = this.machine.implementations.delays as Record<string, unknown>;
    return {
      id: this.machine.id,
      events: this.events,
      actions: this.actions,
      guards: this.guards,
      delays: this.delays,
      delayMs: this.delays.map((name) => (typeof implementations[name] === 'number' ? (implementations[name] as number) : -1)),
      states,
      timerGroups: this.timerGroups,
      start,
      context: JSON.stringify(this.machine.config.context ?? {}),
    };
  }

  /** The leaf's own transitions, then its ancestors' up to the root: xstate tries them in that order (transitionAtomicNode → parent.next). */
  private leafTransitions(leaf: AnyStateNode): LoweredTransition[] {
    const chain = [leaf, ...properAncestors(leaf)];
    const records: LoweredTransition[] = [];
    // With an unguarded eventless transition in reach, the leaf is left in the
    // step that enters it and never sees an event: only its eventless records matter.
    const transient = chain.some((node) => (node.always ?? []).some((transition) => transition.guard === undefined));
    for (const node of transient ? [] : chain) {
      for (const [descriptor, transitions] of node.transitions) {
        const code = descriptor.startsWith('xstate.after.') ? this.afterCodes.get(descriptor)! : this.events.indexOf(descriptor) + 1;
        for (const transition of transitions) records.push(this.record(leaf, code, transition));
      }
    }
    for (const node of chain) for (const transition of node.always ?? []) records.push(this.record(leaf, 0, transition));
    return records;
  }

  private record(leaf: AnyStateNode, event: number, transition: AnyTransitionDefinition): LoweredTransition {
    const guard = transition.guard === undefined ? -1 : indexOf(this.guards, refName(transition.guard));
    const source = this.number.get(transition.source)!;
    const actionOps = transition.actions.map((ref): Op => ({ kind: 'action', index: indexOf(this.actions, refName(ref)) }));
    if (!transition.target || transition.target.length === 0) return { event, guard, target: -1, ops: actionOps, source };

    // xstate's microstep: exit (innermost first), transition actions, enter (outermost first).
    const { exit, enter, leaf: next } = microstepSets(leaf, transition);
    const ops = [...this.exitOps(exit), ...actionOps, ...this.enterOps(enter, [...properAncestors(next).reverse(), next])];
    return { event, guard, target: this.number.get(next)!, ops, source };
  }

  private exitOps(exit: AnyStateNode[]): Op[] {
    const ops: Op[] = [];
    for (const node of exit) {
      for (const ref of toArray(node.config.exit)) ops.push({ kind: 'action', index: indexOf(this.actions, refName(ref)) });
      // xstate cancels a state's delayed events among its exit actions (getDelayedTransitions).
      const group = this.groupOf.get(node);
      if (group !== undefined) ops.push({ kind: 'cancel', group });
    }
    return ops;
  }

  /**
   * Entry actions, each state's timers started right after them (xstate
   * appends its delayed raise to the state's entry actions, so a delay
   * computed from the context sees what those actions assigned). A final
   * child of the root ends the machine: xstate then runs the exit actions of
   * every state still active (`configuration`: root to leaf, after the
   * transition), innermost first, and cancels all timers.
   */
  private enterOps(enter: AnyStateNode[], configuration: AnyStateNode[]): Op[] {
    const ops: Op[] = [];
    for (const node of enter) {
      for (const ref of toArray(node.config.entry)) ops.push({ kind: 'action', index: indexOf(this.actions, refName(ref)) });
      const group = this.groupOf.get(node);
      if (group !== undefined) ops.push({ kind: 'start', group });
    }
    const leaf = configuration[configuration.length - 1]!;
    if (leaf.type === 'final' && leaf.parent === this.machine.root && enter.includes(leaf)) {
      for (const node of [...configuration].reverse()) {
        for (const ref of toArray(node.config.exit)) ops.push({ kind: 'action', index: indexOf(this.actions, refName(ref)) });
      }
      ops.push({ kind: 'done' });
    }
    return ops;
  }
}

function toArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function indexOf(list: string[], name: string): number {
  let index = list.indexOf(name);
  if (index < 0) index = list.push(name) - 1;
  return index;
}

/** Every number must fit one table character (0..CODE_MAX). */
function checkLimits(machine: LoweredMachine): Unsupported[] {
  const problems: Unsupported[] = [];
  const limit = (what: string, count: number): void => {
    if (count > CODE_MAX) problems.push({ state: [], feature: `${count} ${what}`, reason: `the table encoding holds at most ${CODE_MAX + 1}; split the machine` });
  };
  const codes = 1 + machine.events.length + machine.timerGroups.reduce((sum, group) => sum + group.timers.length, 0);
  limit('states', machine.states.length + 1);
  limit('event codes (external events, delayed transitions, eventless)', codes);
  limit('guards', machine.guards.length + 1);
  limit('delays', machine.delays.length);
  limit('op codes (actions + 2 × states with delayed transitions + 1)', machine.actions.length + 2 * machine.timerGroups.length + 1);
  for (const state of machine.states) {
    for (const transition of state.transitions) limit(`ops in one transition from #${state.id}`, transition.ops.length);
  }
  return problems;
}
