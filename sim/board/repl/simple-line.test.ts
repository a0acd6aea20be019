/**
 * The simple-line recogniser (simple-line.ts) lets a console line skip acorn
 * only where acorn's answer is known: it must take exactly the one statement
 * acorn finds, in a line with nothing the gate refuses and nothing the
 * busy-loop guard would change; and the string at its end, which a line
 * compiled once per shape reads at run time (program-cache.ts
 * compileConsoleLine), must be the one acorn finds there, with its value.
 */
import { parse, type Node } from 'acorn';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../clock/seeded-random';
import { guardSource } from '../runtime/context/loop-guard';
import { full } from 'acorn-walk';
import { simpleStatement, type SimpleStatement } from './simple-line';
import { checkParsedStatement, SCRIPT_PARSE_OPTIONS } from './syntax-gate';

/** The last string literal of `node` in source order (acorn's value), if any. */
function lastString(node: Node): { start: number; end: number; value: string } | undefined {
  let last: { start: number; end: number; value: string } | undefined;
  full(node, (n) => {
    const literal = n as Node & { value?: unknown };
    if (n.type === 'Literal' && typeof literal.value === 'string' && (!last || n.start > last.start)) last = { start: n.start, end: n.end, value: literal.value };
  });
  return last;
}

/** What acorn and the gate say of `line`, put as the recogniser would: one statement's offsets and trailing string, or undefined. */
function byParser(line: string): SimpleStatement | undefined {
  let program: Node & { body: Node[] };
  try {
    program = parse(line, SCRIPT_PARSE_OPTIONS) as Node & { body: Node[] };
  } catch {
    return undefined;
  }
  if (program.body.length !== 1) return undefined;
  const statement = program.body[0]!;
  const text = line.slice(statement.start, statement.end);
  if (!checkParsedStatement(text, statement, statement.start).ok) return undefined;
  if (guardSource(text, statement, statement.start) !== undefined) return undefined;
  const last = lastString(statement);
  if (last && /^[)\s;]*$/.test(line.slice(last.end, statement.end))) return { start: statement.start, end: statement.end, trailing: last };
  return { start: statement.start, end: statement.end };
}

describe('lines a host types are taken without a parse, as acorn would take them', () => {
  it.each([
    'strap.rpc("b7|ping|{\\"n\\":8}|524c0b56")',
    'strap.status()',
    '  E.getErrorFlags() ; ',
    'a.b(1, 2.5, 1e3, 0, "x", \'y\', c.d(e))(f)',
    'print(process.memory().usage)',
    // a host's sync line (host-bridge/console/console-commands.ts)
    'print("\\x02b7.\\x03b7")',
  ])('%s', (line) => {
    const simple = simpleStatement(line);
    expect(simple).toBeDefined();
    expect(simple).toEqual(byParser(line));
  });
});

describe('anything else is left to acorn', () => {
  it.each([
    ['a loop', 'while (a) b()'],
    ['a function', 'f(function () {})'],
    ['an arrow', 'f(() => 1)'],
    ['an index', 'a[0]'],
    ['an assignment', 'a = b()'],
    ['two statements', 'a(); b()'],
    ['two lines', 'a()\nb()'],
    ['a reserved word', 'new Date()'],
    ['a keyword as a property', 'a.for()'],
    ['a BigInt', 'f(1n)'],
    ['a legacy octal', 'f(01)'],
    ['a short hex escape', 'f("\\x4")'],
    ['a hex escape without hex digits', 'f("\\xZZ")'],
    ['an escaped name', 'a\\u0062()'],
    ['non-ASCII', 'f("é")'],
    ['a template', 'f(`x`)'],
    ['optional chaining', 'a?.b()'],
    ['a trailing comma', 'f(1,)'],
    ['an unterminated string', 'f("x)'],
    ['a number then a dot', 'f(1.)'],
    ['nothing', '   '],
  ])('%s: %s', (_what, line) => {
    expect(simpleStatement(line)).toBeUndefined();
  });
});

describe('on random lines, whatever the recogniser takes acorn takes the same way', () => {
  const TOKENS = [
    'a', 'strap', 'rpc', 'x1', '$_', 'for', 'new', 'undefined', 'let', '.', '.', '(', '(', ')', ')', ',', ',', ';', ' ', ' ', '\t',
    '"ab"', "'x'", '"a\\"b"', '"\\n"', '"\\x41"', '"\\u0041"', '"\\0"', '"é"', '"', '0', '12', '1.5', '1e3', '2E-7', '01', '1n', '.5', '1_0', '0x1',
    '[', ']', '{', '}', '=>', '+', '-', '\n', '?.', '`t`', '/', '*', '\\',
  ];

  const pick = (random: SeededRandom, list: readonly string[]) => list[random.nextUint32() % list.length]!;
  const NAMES = ['a', 'strap', 'rpc', 'x1', '$_', 'for', 'undefined', 'let', 'of'];
  const ARGS = ['"ab"', "'x'", '"a\\"b"', '"\\n"', '"\\x41"', "'\\t\\\\\\b\\f\\v\\r\\'\"'", '0', '12', '1.5', '1e3', '2E-7', '01', '1n', '.5'];
  const SPACES = ['', '', '', ' ', '\t'];

  /** A chain as the grammar builds it (mostly valid), to be mutated. */
  function chain(random: SeededRandom, depth: number): string {
    let text = pick(random, NAMES);
    const links = random.nextUint32() % 4;
    for (let i = 0; i < links; i++) {
      if (random.nextUint32() % 2) text += pick(random, SPACES) + '.' + pick(random, SPACES) + pick(random, NAMES);
      else {
        const args: string[] = [];
        const n = random.nextUint32() % 3;
        for (let j = 0; j < n; j++) args.push(depth < 3 && random.nextUint32() % 3 === 0 ? chain(random, depth + 1) : pick(random, ARGS));
        text += '(' + args.join(',' + pick(random, SPACES)) + ')';
      }
    }
    return text;
  }

  it('20,000 lines of 1 to 12 random tokens (seeded)', () => {
    const random = new SeededRandom('simple-line');
    let taken = 0;
    for (let n = 0; n < 20_000; n++) {
      const count = 1 + (random.nextUint32() % 12);
      let line = '';
      for (let i = 0; i < count; i++) line += pick(random, TOKENS);
      const simple = simpleStatement(line);
      if (simple === undefined) continue;
      taken++;
      expect({ line, simple }).toEqual({ line, simple: byParser(line) });
    }
    expect(taken).toBeGreaterThan(200);
  });

  it('20,000 call chains, half with a random token put in (seeded)', () => {
    const random = new SeededRandom('simple-chains');
    let taken = 0;
    let refused = 0;
    for (let n = 0; n < 20_000; n++) {
      let line = pick(random, SPACES) + chain(random, 0) + pick(random, ['', ';', ' ; ', ' ']);
      if (random.nextUint32() % 2) {
        const at = random.nextUint32() % (line.length + 1);
        line = line.slice(0, at) + pick(random, TOKENS) + line.slice(at);
      }
      const simple = simpleStatement(line);
      if (simple === undefined) {
        refused++;
        continue;
      }
      taken++;
      expect({ line, simple }).toEqual({ line, simple: byParser(line) });
    }
    // both sides of the boundary were tried
    expect(taken).toBeGreaterThan(2000);
    expect(refused).toBeGreaterThan(2000);
  });
});
