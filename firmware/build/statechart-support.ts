import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { leavesOf, microstepSets, properAncestors, stateNodes } from './statechart-nodes';

// What the table runtime cannot run, found on the machine before lowering.
// Each finding names the state and the feature, and says why or what to do
// instead. The runtime keeps one active leaf, runs named actions and guards
// the firmware supplies, and starts named delays on setTimeout; everything
// that needs more of xstate (other actors, raised events, history) is refused
// rather than approximated.

export interface Unsupported {
  /** Path of the state from the root; [] for the machine itself. */
  state: string[];
  feature: string;
  reason: string;
}

/** A name from an action or guard reference that passed the checks: a string or { type }. */
export function refName(ref: unknown): string {
  return typeof ref === 'string' ? ref : (ref as { type: string }).type;
}

export function findUnsupported(machine: AnyStateMachine): Unsupported[] {
  const found: Unsupported[] = [];
  const seen = new Set<string>();
  const report = (node: AnyStateNode, feature: string, reason: string): void => {
    const key = `${node.id}\n${feature}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ state: node.path, feature, reason });
  };
  const root = machine.root;
  if (root.type !== 'compound') report(root, 'a machine without child states', 'give it states and an initial one');
  checkContext(machine, report);
  for (const node of stateNodes(machine)) checkNode(machine, node, report);
  checkEventlessCycles(machine, report);
  return found;
}

type Report = (node: AnyStateNode, feature: string, reason: string) => void;

const STATE_KEYS = new Set(['id', 'type', 'initial', 'states', 'on', 'after', 'always', 'entry', 'exit', 'description', 'meta']);
const ROOT_KEYS = new Set([...STATE_KEYS, 'context', 'types', 'schemas', 'version']);
const FINAL_KEYS = new Set(['id', 'type', 'entry', 'exit', 'description', 'meta']);
const TRANSITION_KEYS = new Set(['target', 'guard', 'actions', 'reenter', 'description', 'meta']);

/** Config keys xstate knows and the runtime does not run, with why. */
const KNOWN_KEYS: Readonly<Record<string, { feature: string; reason: string }>> = {
  invoke: { feature: 'invoked actors (invoke)', reason: 'no actors run on the strap: let firmware code do the work and send the machine events' },
  onDone: { feature: 'onDone (xstate.done.state events)', reason: 'final states may only be children of the root, where they end the machine' },
  output: { feature: 'output', reason: 'the table actor has no output: read its context' },
  tags: { feature: 'tags', reason: 'not kept in the table: match on the state value' },
  history: { feature: 'history states', reason: 'the table keeps no history: target the state to return to' },
  target: { feature: 'history states', reason: 'the table keeps no history: target the state to return to' },
  route: { feature: 'route transitions', reason: 'use an event and a transition' },
  context: { feature: 'context on a state', reason: 'context belongs to the root' },
};

function checkNode(machine: AnyStateMachine, node: AnyStateNode, report: Report): void {
  const isRoot = node === machine.root;
  const allowed = isRoot ? ROOT_KEYS : node.type === 'final' ? FINAL_KEYS : STATE_KEYS;
  for (const key of Object.keys(node.config)) {
    if ((node.config as Record<string, unknown>)[key] === undefined || allowed.has(key)) continue;
    const known = KNOWN_KEYS[key];
    if (known) report(node, known.feature, known.reason);
    else if (node.type === 'final') report(node, `'${key}' on a final state`, 'a final child of the root ends the machine: only entry and exit run');
    else report(node, `state config key '${key}'`, 'not part of what the table runtime runs');
  }

  if (node.type === 'parallel') report(node, "parallel states (type: 'parallel')", 'the table runtime keeps one active leaf: run each region as its own machine');
  if (node.type === 'history') report(node, 'history states', 'the table keeps no history: target the state to return to');
  if (node.type === 'final' && node.parent !== machine.root) {
    report(node, 'a final state inside a compound state', 'its xstate.done.state event (onDone) is not supported: only final children of the root, which end the machine');
  }
  if (node.config.initial !== undefined && typeof node.config.initial !== 'string') {
    report(node, 'an initial transition with actions (initial: { target, actions })', "use initial: 'key' and entry actions");
  }

  for (const ref of toArray(node.config.entry)) checkActionRef(machine, node, ref, 'entry', report);
  for (const ref of toArray(node.config.exit)) checkActionRef(machine, node, ref, 'exit', report);

  const on = (node.config.on ?? {}) as Record<string, unknown>;
  for (const descriptor of Object.keys(on)) {
    if (descriptor.includes('*')) report(node, `wildcard event descriptor '${descriptor}'`, 'events are numbered at build time: list each event type');
    else if (descriptor.startsWith('xstate.')) report(node, `the xstate event '${descriptor}'`, 'xstate raises these for actors, done states and errors, which the table runtime does not have');
    for (const config of toArray(on[descriptor])) checkTransitionConfig(node, config, `on ${descriptor}`, report);
  }
  const after = (node.config.after ?? {}) as Record<string, unknown>;
  const delays = machine.implementations.delays as Record<string, unknown>;
  for (const delay of Object.keys(after)) {
    if (!Number.isNaN(Number(delay))) report(node, `the inline delay after: { ${delay}: … }`, 'name it in setup({ delays }) so the firmware can see and tune it');
    else if (!(delay in delays)) report(node, `the delay '${delay}'`, 'it has no entry in setup({ delays })');
    for (const config of toArray(after[delay])) checkTransitionConfig(node, config, `after ${delay}`, report);
  }
  for (const config of toArray(node.config.always)) checkTransitionConfig(node, config, 'always', report);

  const transitions = [...node.transitions.values()].flat();
  for (const transition of [...transitions, ...(node.always ?? [])]) checkTransition(machine, node, transition, report);
  for (const transition of node.always ?? []) checkEventless(node, transition, report);
}

function checkContext(machine: AnyStateMachine, report: Report): void {
  const context: unknown = machine.config.context;
  if (context === undefined) return;
  if (typeof context === 'function') {
    report(machine.root, 'context as a function (of input)', 'the table stores a static initial context; the firmware may pass its own to createTableActor');
  } else if (JSON.stringify(JSON.parse(JSON.stringify(context))) !== JSON.stringify(context) || !isPlainData(context)) {
    report(machine.root, 'a context that is not plain JSON data', 'the table stores the initial context as JSON');
  }
}

function isPlainData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value === 'object') return Object.getPrototypeOf(value) === Object.prototype && Object.values(value as object).every(isPlainData);
  return false;
}

function checkTransitionConfig(node: AnyStateNode, config: unknown, where: string, report: Report): void {
  if (typeof config === 'string' || config === undefined) return;
  if (typeof config !== 'object' || config === null) return;
  for (const key of Object.keys(config)) {
    if (!TRANSITION_KEYS.has(key)) report(node, `the transition key '${key}' (${where})`, 'a transition has target, guard, actions, reenter, description, meta');
  }
}

function checkTransition(machine: AnyStateMachine, node: AnyStateNode, transition: AnyTransitionDefinition, report: Report): void {
  const where = transition.eventType === '' ? 'always' : transition.eventType.startsWith('xstate.after.') ? 'a delayed transition' : `on ${transition.eventType}`;
  const targets = transition.target ?? [];
  if (targets.length > 1) report(node, `a transition with ${targets.length} targets (${where})`, 'several targets only make sense with parallel states');
  if (targets.some((target) => target === machine.root)) report(node, `a transition to the root (${where})`, 'target a child of the root');
  if (transition.reenter && node === machine.root) {
    report(node, `reenter on a transition of the root (${where})`, "xstate then enters the root again without exiting it; the table does not model that");
  }
  if (transition.guard !== undefined) checkGuardRef(machine, node, transition.guard, where, report);
  for (const ref of transition.actions) checkActionRef(machine, node, ref, where, report);
}

/**
 * xstate re-selects eventless transitions after a microstep only when the
 * snapshot object changed, i.e. the configuration or the context (assign).
 * The runtime cannot see whether an action changed the context, so an
 * eventless transition must always change the leaf.
 */
function checkEventless(node: AnyStateNode, transition: AnyTransitionDefinition, report: Report): void {
  if (!transition.target || transition.target.length === 0) {
    report(node, 'a targetless eventless (always) transition', 'xstate repeats it only while it changes the context, which the table runtime cannot observe: give it a target');
    return;
  }
  if (transition.target.length !== 1) return;
  for (const leaf of leavesOf(node)) {
    if (landsOn(leaf, transition) === leaf) {
      report(node, `an eventless (always) transition that can leave the state unchanged (from #${leaf.id})`, 'xstate repeats it only while it changes the context, which the table runtime cannot observe');
      return;
    }
  }
}

/**
 * Eventless transitions that can come back to where they started, whatever
 * the guards say: xstate would spin forever (its default maxIterations is
 * unbounded) and the table runtime has no iteration limit either.
 */
function checkEventlessCycles(machine: AnyStateMachine, report: Report): void {
  const next = new Map<AnyStateNode, AnyStateNode[]>();
  for (const leaf of leavesOf(machine.root)) {
    const landed = [leaf, ...properAncestors(leaf)].flatMap((node) => (node.always ?? []).map((transition) => landsOn(leaf, transition)));
    // A transition landing where it started is reported on its own (checkEventless).
    next.set(leaf, landed.filter((to): to is AnyStateNode => to !== undefined && to !== leaf));
  }
  const visiting: AnyStateNode[] = [];
  const finished = new Set<AnyStateNode>();
  const cycleFrom = (leaf: AnyStateNode): AnyStateNode[] | undefined => {
    visiting.push(leaf);
    for (const to of next.get(leaf) ?? []) {
      if (visiting.includes(to)) return [...visiting.slice(visiting.indexOf(to)), to];
      if (finished.has(to)) continue;
      const cycle = cycleFrom(to);
      if (cycle) return cycle;
    }
    visiting.pop();
    finished.add(leaf);
    return undefined;
  };
  for (const leaf of next.keys()) {
    if (finished.has(leaf)) continue;
    const cycle = cycleFrom(leaf);
    if (cycle) {
      report(machine.root, `eventless (always) transitions that can loop (${cycle.map((node) => `#${node.id}`).join(' → ')})`, 'xstate would never settle, and the table runtime has no iteration limit: break the cycle');
      return;
    }
  }
}

/** The leaf a transition lands on; undefined where parallel states (reported anyway) leave no single leaf. */
function landsOn(leaf: AnyStateNode, transition: AnyTransitionDefinition): AnyStateNode | undefined {
  try {
    return microstepSets(leaf, transition).leaf;
  } catch {
    return undefined;
  }
}

function checkGuardRef(machine: AnyStateMachine, node: AnyStateNode, ref: unknown, where: string, report: Report): void {
  if (typeof ref === 'function') {
    report(node, `an inline guard (${where})`, 'name it in setup({ guards }): the firmware supplies guards by name');
    return;
  }
  if (typeof ref === 'object' && ref !== null && 'params' in ref) {
    report(node, `guard params (${where})`, 'the runtime calls guards with (context, event) only: name a guard per case');
    return;
  }
  const name = refName(ref);
  const implementation = (machine.implementations.guards as Record<string, unknown>)[name];
  if (implementation === undefined) report(node, `the guard '${name}' (${where})`, 'it has no implementation in setup({ guards }); the oracle needs at least a stub');
  else if (typeof implementation === 'function' && 'check' in implementation) {
    report(node, `the guard '${name}' built with and/or/not/stateIn`, 'write it as one named guard: the firmware supplies guards by name');
  }
}

function checkActionRef(machine: AnyStateMachine, node: AnyStateNode, ref: unknown, where: string, report: Report): void {
  if (typeof ref === 'function') {
    const builtin = 'resolve' in ref ? ` (xstate's ${String((ref as { type?: unknown }).type)})` : '';
    report(node, `an inline action${builtin} (${where})`, 'name it in setup({ actions }): the firmware supplies actions by name');
    return;
  }
  if (typeof ref === 'object' && ref !== null && 'params' in ref) {
    report(node, `action params (${where})`, 'the runtime calls actions with (context, event) only: name an action per case');
    return;
  }
  const name = refName(ref);
  const implementation = (machine.implementations.actions as Record<string, unknown>)[name];
  if (implementation === undefined) {
    report(node, `the action '${name}' (${where})`, 'it has no implementation in setup({ actions }); the oracle needs at least a stub');
  } else if (typeof implementation === 'function' && 'resolve' in implementation) {
    const type = String((implementation as { type?: unknown }).type);
    if (type !== 'xstate.assign') {
      report(node, `the action '${name}', which is xstate's ${type}`, 'only plain functions and assign can be replaced by firmware code; raise, sendTo, emit, cancel, spawnChild, stopChild, log and enqueueActions act on xstate itself');
    }
  }
}

function toArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
