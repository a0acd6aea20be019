import type { AnyStateMachine, AnyTransitionDefinition } from 'xstate';
import { alphabet, type MachineFixture, type Step } from './machine-fixture';
import { oracleSubject, type Observation } from './subjects';

// Event sequences from a machine's graph that take every transition at least
// once: a breadth-first search over what xstate (the oracle) does, from the
// initial state, trying every step of the fixture's alphabet (events with
// the world guards' answers, and "time passes" to the next deadline). A
// search node is the observable state: value, context (as the fixture keys
// it), status and pending timers. Each transition gets the shortest path that
// takes it; paths that are prefixes of others are dropped.

export interface Coverage {
  sequences: Step[][];
  /** Transitions no sequence takes, described; empty when coverage is complete. */
  uncovered: string[];
  /** Every transition of the machine, described. */
  transitions: string[];
}

export function coveringSequences(fixture: MachineFixture, maxDepth = 12): Coverage {
  const steps = alphabet(fixture);
  // Keyed by position, not identity: every replay runs a fresh machine (machine.provide builds new state nodes).
  const described = new Map<string, string>();
  let machine: AnyStateMachine | undefined;

  const replay = (path: Step[]): { observation: Observation; taken: string[] } => {
    let taken: string[] = [];
    const subject = oracleSubject(fixture, (transitions) => taken.push(...transitions.map(transitionKey)));
    machine = subject.machine;
    let observation = subject.start();
    for (const step of path) {
      taken = [];
      observation = subject.step(step);
    }
    return { observation, taken };
  };

  const first = replay([]);
  for (const transition of allTransitions(machine!)) described.set(transitionKey(transition), describeTransition(transition));
  const firstPaths = new Map<string, Step[]>();
  const seen = new Set<string>([stateKey(fixture, first.observation)]);
  let frontier: Step[][] = [[]];

  for (let depth = 0; depth < maxDepth && frontier.length > 0 && firstPaths.size < described.size; depth++) {
    const next: Step[][] = [];
    for (const path of frontier) {
      for (const step of steps) {
        const extended = [...path, step];
        const { observation, taken } = replay(extended);
        for (const transition of taken) {
          if (described.has(transition) && !firstPaths.has(transition)) firstPaths.set(transition, extended);
        }
        const key = stateKey(fixture, observation);
        if (seen.has(key) || observation.status !== 'active') continue;
        seen.add(key);
        next.push(extended);
      }
    }
    frontier = next;
  }

  const paths = [...new Set(firstPaths.values())];
  const sequences = paths.filter((path) => !paths.some((other) => other !== path && other.length > path.length && path.every((step, i) => other[i] === step)));
  return {
    sequences,
    uncovered: [...described].filter(([transition]) => !firstPaths.has(transition)).map(([, text]) => text),
    transitions: [...described.values()],
  };
}

function allTransitions(machine: AnyStateMachine): AnyTransitionDefinition[] {
  const transitions: AnyTransitionDefinition[] = [];
  const visit = (node: AnyStateMachine['root']): void => {
    for (const list of node.transitions.values()) transitions.push(...list);
    transitions.push(...(node.always ?? []));
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return transitions;
}

/** Source, event and place among the source's candidates for that event. */
function transitionKey(transition: AnyTransitionDefinition): string {
  const source = transition.source;
  const siblings = transition.eventType === '' ? (source.always ?? []) : (source.transitions.get(transition.eventType) ?? []);
  return `${source.id}\n${transition.eventType}\n${siblings.indexOf(transition)}`;
}

function describeTransition(transition: AnyTransitionDefinition): string {
  const event = transition.eventType === '' ? 'always' : transition.eventType;
  const guard = transition.guard === undefined ? '' : ` [${typeof transition.guard === 'string' ? transition.guard : '…'}]`;
  const target = transition.target?.length ? transition.target.map((node) => `#${node.id}`).join(', ') : 'no target';
  return `#${transition.source.id}: ${event}${guard} → ${target}`;
}

function stateKey(fixture: MachineFixture, observation: Observation): string {
  const context = fixture.contextKey ? fixture.contextKey(observation.context as never) : observation.context;
  return JSON.stringify([observation.value, context, observation.status, observation.timers]);
}
