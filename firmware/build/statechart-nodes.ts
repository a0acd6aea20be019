import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

// Walking xstate's state nodes, and xstate's microstep sets for a machine
// with one active leaf (no parallel or history states): which states a
// transition exits and enters, and the leaf it lands on. The rules are xstate v5's getTransitionDomain,
// computeExitSet and computeEntrySet, which follow SCXML 3.13
// (https://www.w3.org/TR/scxml/#AlgorithmforSCXMLInterpretation): the
// domain is the source itself for a non-reentering transition into the
// source or its descendants, otherwise the least common compound ancestor of
// source and target; every active state below the domain is exited, and the
// target, its ancestors below the domain and its initial descendants are
// entered. Exits run innermost first, entries outermost first
// (xstate sorts by StateNode.order, which is document order).

export interface MicrostepSets {
  /** Innermost first. */
  exit: AnyStateNode[];
  /** Outermost first. */
  enter: AnyStateNode[];
  leaf: AnyStateNode;
}

/** The sets of a transition with a target, taken while `leaf` is active. */
export function microstepSets(leaf: AnyStateNode, transition: AnyTransitionDefinition): MicrostepSets {
  const source = transition.source;
  const target = transition.target![0]!;
  const domain = transitionDomain(source, target, transition.reenter);

  const active = [leaf, ...properAncestors(leaf)];
  const exit = active.filter((node) => isDescendant(node, domain) || (transition.reenter && node === source && source === domain));

  const enter = new Set<AnyStateNode>();
  if (target !== source || source !== domain || transition.reenter) enter.add(target);
  for (const node of initialDescendants(target)) enter.add(node);
  // xstate's addAncestorStatesToEnter: only ancestors inside the domain (none when the target is the domain itself).
  for (const node of properAncestors(target, domain)) if (isDescendant(node, domain)) enter.add(node);

  const configuration = [...active.filter((node) => !exit.includes(node)), ...enter];
  const leaves = configuration.filter(isLeaf);
  if (leaves.length !== 1) throw new Error(`internal: ${leaves.length} active leaves after a transition from #${source.id}`);
  return {
    exit: exit.sort((a, b) => b.order - a.order),
    enter: [...enter].sort((a, b) => a.order - b.order),
    leaf: leaves[0]!,
  };
}

/** xstate's getTransitionDomain for one target. */
function transitionDomain(source: AnyStateNode, target: AnyStateNode, reenter: boolean): AnyStateNode {
  if (!reenter && (target === source || isDescendant(target, source))) return source;
  for (const ancestor of properAncestors(target)) if (isDescendant(source, ancestor)) return ancestor;
  // Only a reentering transition of the root gets here (xstate then re-enters the root without exiting it); such transitions are rejected.
  return source.machine.root;
}

/** Every state node, root first, in document order (xstate's StateNode.order). */
export function stateNodes(machine: AnyStateMachine): AnyStateNode[] {
  const nodes: AnyStateNode[] = [];
  const visit = (node: AnyStateNode): void => {
    nodes.push(node);
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return nodes;
}

/** Proper descendant, as xstate's isDescendant. */
export function isDescendant(node: AnyStateNode, ancestor: AnyStateNode): boolean {
  for (let at = node.parent; at; at = at.parent) if (at === ancestor) return true;
  return false;
}

/** Parent first, up to the root; stops below `upTo` when given. */
export function properAncestors(node: AnyStateNode, upTo?: AnyStateNode): AnyStateNode[] {
  const ancestors: AnyStateNode[] = [];
  if (node === upTo) return ancestors;
  for (let at = node.parent; at && at !== upTo; at = at.parent) ancestors.push(at);
  return ancestors;
}

/** The initial child, its initial child, … down to a leaf (nothing for a leaf). */
export function initialDescendants(node: AnyStateNode): AnyStateNode[] {
  const chain: AnyStateNode[] = [];
  for (let at = node; at.type === 'compound'; ) {
    // A compound state always has an initial child.
    at = at.initial.target[0]!;
    chain.push(at);
  }
  return chain;
}

export function isLeaf(node: AnyStateNode): boolean {
  return node.type === 'atomic' || node.type === 'final';
}

/** Leaves at or below the node. */
export function leavesOf(node: AnyStateNode): AnyStateNode[] {
  if (isLeaf(node)) return [node];
  return Object.values(node.states).flatMap((child) => leavesOf(child));
}
