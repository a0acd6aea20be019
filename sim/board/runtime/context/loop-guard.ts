/**
 * The busy-loop guard, put into board code when it is compiled (console lines,
 * boot files, string callbacks, `eval` and `Function`), so that a callback
 * needs no `vm` timeout (which starts a watchdog thread for every call).
 *
 * Every loop test, loop body without a test, function entry, catch clause
 * and finally block calls the guard (a catch clause hands it what it caught:
 * a stack overflow of the board's code interrupts the run there, as
 * Espruino's does); the guard counts down and every GUARD_CHECK_TICKS calls asks the
 * host whether the current run has passed its busy-loop limit
 * (program-runner.ts). Once it has, every guard call throws the board's
 * interrupt signal, so board code that catches it cannot loop on: a loop's
 * next test or any function entry throws again, up to the run's top.
 *
 * The guard is reached as `""["\0"](value)`: a non-writable, non-configurable
 * method of the context's String.prototype (boundary-prelude.ts). A primitive
 * string literal's method cannot be shadowed by a board variable nor replaced
 * by board code; board code can only call it, which costs it a budget check.
 *
 * Inserted text carries a NUL marker so that a function's source text
 * (Function.prototype.toString, the REPL's printing of functions) is given
 * back without it (`originalSource`). Positions in V8's stacks are mapped back
 * to the source as typed (`originalOffset`).
 */
import { Parser, type Node } from 'acorn';
import { simple as walkSimple } from 'acorn-walk';
import { keptLocals } from './kept-locals';

/** The property of String.prototype the guard sits on (a NUL: no board name collides with it). */
export const GUARD_KEY = '\u0000';
/** Guard calls between two looks at the host's clock. */
export const GUARD_CHECK_TICKS = 64;

const CALL = `""["${GUARD_KEY}"]`;
/** `guard((expression))`: the guard returns its argument. */
const WRAP_OPEN = `${CALL}((`;
const WRAP_CLOSE = `/*${GUARD_KEY}*/))`;
/** A statement at a function's entry (after its directives) or a loop body's start. */
const STATEMENT = `;${CALL}();`;
/** A loop body that is a single statement becomes a block. */
const BLOCK_OPEN = `/*${GUARD_KEY}*/{${STATEMENT}`;
const BLOCK_CLOSE = `/*${GUARD_KEY}*/}`;

/**
 * At a catch clause's entry, with its parameter: the guard is told what was
 * caught, so a stack overflow V8 raised is not caught (Espruino's
 * jspCheckStackPosition interrupts execution: no catch body runs).
 */
const CATCH_OPEN = `;${CALL}(`;
const CATCH_CLOSE = `,1/*${GUARD_KEY}*/);`;

/**
 * A try statement with a finally block and no catch clause gets one that
 * hands the guard what passes through and throws it on: the board's own
 * stack overflow interrupts the run there, so the finally block does not
 * run (nor any other: an interrupted parser executes nothing).
 */
const PASS_THROUGH = `/*${GUARD_KEY}*/catch(__guard__){${CALL}(__guard__,2);throw __guard__}`;

/**
 * A function that defines functions refers to each of its locals from a function that never runs
 * (kept-locals.ts: so V8 keeps them all, as Espruino does): a statement at its entry, or in an expression
 * body a first operand of a comma.
 */
const KEEP_OPEN = '0&&function(){';
const KEEP_CLOSE = `}/*${GUARD_KEY}*/`;

/** The inserted texts as a regular expression's source (the board's Function.prototype.toString strips them too). */
export const GUARD_PATTERN =
  [PASS_THROUGH, BLOCK_OPEN, STATEMENT, WRAP_OPEN, WRAP_CLOSE, BLOCK_CLOSE].map(escapeRegExp).join('|') +
  `|${escapeRegExp(CATCH_OPEN)}[A-Za-z_$][\\w$]*${escapeRegExp(CATCH_CLOSE)}` +
  `|;?${escapeRegExp(KEEP_OPEN)}[^}]*${escapeRegExp(KEEP_CLOSE)}[;,]`;
const INSERTED = new RegExp(GUARD_PATTERN, 'g');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface Insertion {
  /** Offset in the source as typed, before which `text` goes. */
  at: number;
  text: string;
}

export interface GuardedSource {
  code: string;
  /** Sorted by `at`; equal offsets in the order they appear in `code`. */
  insertions: Insertion[];
}

type AnyNode = Node & Record<string, any>;

/**
 * `source` with the guard put in; undefined when it does not parse (V8 then
 * raises the SyntaxError) or needs no guard. `parsed` is `source`'s tree when
 * the caller has it already, its offsets `base` more than `source`'s.
 */
export function guardSource(source: string, parsed?: Node, base = 0): GuardedSource | undefined {
  let program: Node;
  if (parsed) program = parsed;
  else {
    try {
      program = Parser.parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: true, allowReturnOutsideFunction: false });
    } catch {
      return undefined;
    }
  }
  const insertions: Array<Insertion & { order: number }> = [];
  let order = 0;
  const put = (at: number, text: string) => insertions.push({ at: at - base, text, order: order++ });
  const wrapExpression = (e: AnyNode) => {
    put(e.start, WRAP_OPEN);
    put(e.end, WRAP_CLOSE);
  };
  const guardBody = (body: AnyNode) => {
    if (body.type === 'BlockStatement') put(body.start + 1, STATEMENT);
    else {
      put(body.start, BLOCK_OPEN);
      put(body.end, BLOCK_CLOSE);
    }
  };
  const guardFunction = (fn: AnyNode) => {
    const body = fn.body as AnyNode;
    const locals = keptLocals(fn);
    const keep = locals.length > 0 ? KEEP_OPEN + locals.join(',') + KEEP_CLOSE : '';
    if (body.type !== 'BlockStatement') {
      // put first, so it sorts after the wrapper's opener at the same offset
      if (keep) put(body.start, keep + ',');
      return wrapExpression(body);
    }
    const statements = body.body as AnyNode[];
    let at = body.start + 1;
    for (const s of statements) {
      if (s.type !== 'ExpressionStatement' || typeof s.directive !== 'string') break;
      at = s.end;
    }
    put(at, STATEMENT);
    if (keep) put(at, ';' + keep + ';');
  };
  walkSimple(program, {
    WhileStatement: (n) => wrapExpression((n as AnyNode).test),
    DoWhileStatement: (n) => wrapExpression((n as AnyNode).test),
    ForStatement: (n) => {
      const loop = n as AnyNode;
      if (loop.test) wrapExpression(loop.test);
      else guardBody(loop.body);
    },
    ForInStatement: (n) => guardBody((n as AnyNode).body),
    ForOfStatement: (n) => guardBody((n as AnyNode).body),
    Function: (n) => guardFunction(n as AnyNode),
    CatchClause: (n) => {
      const clause = n as AnyNode;
      const param = clause.param as AnyNode | null;
      const at = (clause.body as AnyNode).start + 1;
      put(at, param && param.type === 'Identifier' ? CATCH_OPEN + String(param.name) + CATCH_CLOSE : STATEMENT);
    },
    TryStatement: (n) => {
      // nor does a finally block once execution is interrupted: the guard throws there again
      const statement = n as AnyNode;
      const finalizer = statement.finalizer as AnyNode | null;
      if (!finalizer) return;
      if (!statement.handler) put((statement.block as AnyNode).end, PASS_THROUGH);
      put(finalizer.start + 1, STATEMENT);
    },
  });
  if (insertions.length === 0) return undefined;
  // at one offset closers come before openers; the walk is post-order (inner nodes first), so an inner
  // node's closer comes first and an outer node's opener comes first
  insertions.sort((a, b) => a.at - b.at || rank(a.text) - rank(b.text) || (isCloser(a.text) ? a.order - b.order : b.order - a.order));
  let code = '';
  let from = 0;
  for (const ins of insertions) {
    code += source.slice(from, ins.at) + ins.text;
    from = ins.at;
  }
  code += source.slice(from);
  return { code, insertions: insertions.map(({ at, text }) => ({ at, text })) };
}

function isCloser(text: string): boolean {
  return text === WRAP_CLOSE || text === BLOCK_CLOSE;
}

function rank(text: string): number {
  return isCloser(text) ? 0 : 1;
}

/** A function's source text as typed, without the guard. */
export function originalSource(text: string): string {
  return text.indexOf(GUARD_KEY) < 0 ? text : text.replace(INSERTED, '');
}

/** The offset in the source as typed of `offset` in the guarded code. */
export function originalOffset(guarded: GuardedSource, offset: number): number {
  let shift = 0;
  for (const ins of guarded.insertions) {
    const placed = ins.at + shift;
    if (placed >= offset) break;
    if (placed + ins.text.length > offset) return ins.at;
    shift += ins.text.length;
  }
  return offset - shift;
}
