import { describe, expect, it } from 'vitest';
import { checkFirmwareSource, type Problem } from './build';
import { markedLines, markedRules } from './fixture-lines';

// Each rule catches its sample, compiled through the real pipeline, at the
// right source line. Lines a rule must report carry `// ✗ <rule>`; by default
// no other rule may fire on the fixture.

const source = String.raw;

async function check(name: string, text: string, options: { typeCheck?: boolean } = {}): Promise<{ file: string; problems: Problem[] }> {
  const file = `firmware/build/fixtures/${name}.ts`;
  const result = await checkFirmwareSource(text, { fileName: file, typeCheck: options.typeCheck ?? false });
  return { file, problems: result.problems.filter((problem) => problem.file === file) };
}

async function expectMarkedProblems(name: string, text: string, options: { typeCheck?: boolean; exclusive?: boolean } = {}): Promise<Problem[]> {
  const { problems } = await check(name, text, options);
  for (const rule of markedRules(text)) {
    const lines = [...new Set(problems.filter((problem) => problem.rule === rule).map((problem) => problem.line))].sort((a, b) => a - b);
    expect(lines, `${rule} in ${name}:\n${problems.map((p) => `${p.line}:${p.column} ${p.rule}: ${p.message}`).join('\n')}`).toEqual(markedLines(text, rule));
  }
  if (options.exclusive !== false) expect([...new Set(problems.map((problem) => problem.rule))].sort()).toEqual(markedRules(text));
  return problems;
}

describe('globals and built-ins Espruino 2v29 lacks', () => {
  it('flags absent globals, unless declared locally or only probed with typeof', async () => {
    await expectMarkedProblems(
      'absent-global',
      source`const seen = new Map<string, number>(); // ✗ absent-global
const id = Symbol('id'); // ✗ absent-global
queueMicrotask(() => print(seen, id)); // ✗ absent-global
if (typeof WeakRef !== 'undefined') print('weak references');
function countLocal(): number {
  const Set = (items: number[]) => items.length;
  return Set([1, 2]);
}
print(countLocal(), (globalThis as any).Reflect); // ✗ absent-global
`,
    );
  });

  it('flags absent static members such as Array.from and Number.MAX_SAFE_INTEGER', async () => {
    await expectMarkedProblems(
      'absent-static',
      source`print(Array.from('ab')); // ✗ absent-static
print(Object.freeze({ a: 1 }), Number.isInteger(2.5)); // ✗ absent-static
print(Number.MAX_SAFE_INTEGER, Math.trunc(-2.5), Math.imul(3, 4)); // ✗ absent-static
print(String.raw({ raw: ['a', 'b'] }, 1)); // ✗ absent-static
Promise.race([Promise.resolve(1)]).then(print); // ✗ absent-static
print(Object.keys({ a: 1 }), Math.floor(getTime()), Array.isArray([]));
`,
    );
  });

  it('flags methods read off Array.prototype, not [].slice.call', async () => {
    await expectMarkedProblems(
      'array-prototype',
      source`function toArray(args: ArrayLike<number>): number[] {
  return Array.prototype.slice.call(args); // ✗ array-prototype
}
print(toArray({ length: 0 }), [].slice.call({ length: 0 }));
`,
    );
  });

  it('flags .finally( on promises', async () => {
    await expectMarkedProblems(
      'promise-finally',
      source`Promise.resolve(1)
  .then((n) => print(n))
  .finally(() => print('done')); // ✗ promise-finally
`,
    );
  });

  it('flags JSON.stringify with a replacer and JSON.parse with a reviver', async () => {
    await expectMarkedProblems(
      'json-extra-argument',
      source`print(JSON.stringify({ a: 1 }, null, 2)); // ✗ json-extra-argument
print(JSON.parse('{"a":1}', (key, value) => value)); // ✗ json-extra-argument
print(JSON.stringify({ a: 1 }), JSON.parse('1'));
`,
    );
  });
});

describe('syntax Espruino 2v29 rejects or mis-runs', () => {
  it('flags labeled statements', async () => {
    await expectMarkedProblems(
      'label',
      source`function firstBig(rows: number[][]): number {
  let found = -1;
  search: for (const row of rows) { // ✗ label
    for (const cell of row) {
      if (cell > 1) {
        found = cell;
        break search;
      }
    }
  }
  return found;
}
print(firstBig([[1, 2], [3]]));
`,
    );
  });

  it('flags regex features Espruino lacks, in literals and in new RegExp("...")', async () => {
    await expectMarkedProblems(
      'regex',
      source`print(/colou?r/.test('color')); // ✗ regex
print(/\d{4}/.test('2024')); // ✗ regex
print(/a(?=b)/.test('ab')); // ✗ regex
print(/(a)\1/.test('aa')); // ✗ regex
print(/a+?/.exec('aa')); // ✗ regex
print(/(?:ab)+/.test('abab')); // ✗ regex
print(/x/s.test('x'), /y/y.test('y')); // ✗ regex
print(new RegExp('^[0-9]{2}$').test('12')); // ✗ regex
print(/^[a-z?]+\s*\d+$/i.test('ab 1'), 'a?b'.replace(/\?/g, ''), /(a|b)*c/g.test('abc'));
`,
    );
  });

  it('flags class X extends Error (and the other *Error built-ins) at the class', async () => {
    await expectMarkedProblems(
      'extends-error',
      source`class PaymentDeclined extends Error { // ✗ extends-error
  constructor(readonly code: number) {
    super('declined ' + code);
  }
}
class OutOfRange extends RangeError {} // ✗ extends-error
class Base {}
class Fine extends Base {}
print(new PaymentDeclined(51).code, new OutOfRange(), new Fine());
`,
    );
  });

  it('flags array holes', async () => {
    await expectMarkedProblems(
      'array-hole',
      source`const sparse = [1, , 3]; // ✗ array-hole
print(sparse);
`,
    );
  });

  it('flags syntax left beyond ES5 after lowering', async () => {
    await expectMarkedProblems(
      'es5-syntax',
      source`const big = 12345678901234567890n; // ✗ es5-syntax
print(big);
`,
    );
  });

  it('rejects async functions, generators and #private names with a clear message', async () => {
    const problems = await expectMarkedProblems(
      'async-generator-private',
      source`async function readCard(): Promise<number> { // ✗ async
  return 1;
}
function* ids() { // ✗ generator
  yield 1;
}
class Vault {
  #pin = 1234; // ✗ private-name
  check(pin: number): boolean {
    return pin === this.#pin;
  }
}
print(readCard, ids, new Vault().check(1));
`,
      { exclusive: false },
    );
    expect(problems.find((problem) => problem.rule === 'async')?.message).toMatch(/async functions are a SyntaxError on Espruino 2v29/);
    expect(problems.some((problem) => problem.rule === 'unsupported-helper')).toBe(false);
  });

  it('flags decorators', async () => {
    await expectMarkedProblems(
      'decorator',
      source`function logged(value: unknown, context: unknown): void {
  print(value, context);
}
class Reader {
  @logged // ✗ decorator
  read(): number {
    return 1;
  }
}
print(new Reader().read());
`,
      { exclusive: false },
    );
  });
});

describe('hoisting: Espruino hoists nothing', () => {
  it('flags a function used before its declaration in the same scope', async () => {
    await expectMarkedProblems(
      'hoisting-function',
      source`print(double(2)); // ✗ hoisting
function double(n: number): number {
  return n * 2;
}
export function setup(): void {
  helper(); // ✗ hoisting
  function helper(): void {
    print('helper');
  }
}
setup();
function later(): void {
  print('fine: only referenced from a callback that runs later');
}
setTimeout(() => later(), 10);
`,
    );
  });

  it('flags a call that runs code using a function declared further down', async () => {
    await expectMarkedProblems(
      'hoisting-call',
      source`function start(): void {
  print(tick(1));
}
start(); // ✗ hoisting
function tick(n: number): number {
  return n + 1;
}
start();
`,
    );
  });

  it('flags a var declared only inside a branch and read outside it', async () => {
    await expectMarkedProblems(
      'var-in-branch',
      source`export function readLimit(raw: string): number {
  if (raw.length > 0) {
    var limit = parseInt(raw, 10);
    print(limit);
  }
  return limit; // ✗ var-in-branch
}
print(readLimit(String(getTime())));
`,
    );
  });
});

describe('type-aware rules (firmware/tsconfig.json)', () => {
  it('flags .slice on an ArrayBuffer but not on a Uint8Array', async () => {
    await expectMarkedProblems(
      'arraybuffer-slice',
      source`const bytes = new Uint8Array([1, 2, 3]);
const copy = bytes.buffer.slice(1); // ✗ arraybuffer-slice
print(copy, bytes.slice(1));
`,
      { typeCheck: true },
    );
  });

  it('reports type errors with file and line', async () => {
    await expectMarkedProblems(
      'type-error',
      source`const count: number = 'three'; // ✗ type
print(count);
`,
      { typeCheck: true },
    );
  });

  it('flags for…of over something that is not an array or string', async () => {
    await expectMarkedProblems(
      'for-of',
      source`const table: { [key: string]: number } = { a: 1 };
for (const value of table as any as { length: number }) print(value); // ✗ for-of-non-array
for (const letter of 'ab') print(letter);
for (const n of [1, 2]) print(n);
`,
      // The tsconfig decides which for…of loops are type errors; only this rule is asserted.
      { typeCheck: true, exclusive: false },
    );
  });
});

describe('build errors', () => {
  it('reports an unresolvable import at the import', async () => {
    await expectMarkedProblems(
      'bundle',
      source`import { missing } from './does-not-exist'; // ✗ bundle
print(missing);
`,
    );
  });

  it('leaves require("Storage") to Espruino instead of bundling it', async () => {
    const result = await checkFirmwareSource(source`const storage = require('Storage');
print(storage.read('x'));
`);
    expect(result.problems).toEqual([]);
    expect(result.code).toContain('require("Storage")');
  });
});
