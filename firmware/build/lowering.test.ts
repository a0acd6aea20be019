import { describe, expect, it } from 'vitest';
import { beyondEs5ButArrows } from './arrow-functions';
import { checkFirmwareSource } from './build';
import { helperCode, SUPPLIED_HELPERS } from './helpers';
import { lowerToEs5 } from './lower';
import { postProcess } from './post-process';
import { runWithoutHoisting } from './run-without-hoisting';

// The TypeScript Espruino rejects, lowered to ES5 and run the way Espruino
// runs it: no hoisting, none of the globals and statics it lacks.

const LOWERED_FEATURES = String.raw`interface Reading {
  id: number;
  values: number[];
  meta?: { unit?: string };
}

const reading: Reading = { id: 7, values: [3, 4, 5], meta: { unit: 'mV' } };
const { id, values: [first, ...others], ...restOfReading } = reading;
print('destructuring', id, first, others.join(','), Object.keys(restOfReading).join(','));

const more = [...reading.values, 6, ...[7, 8]];
print('spread', more.join(','), Math.max(...more), JSON.stringify({ ...restOfReading, extra: true }));

function label(name = 'strap', ...tags: string[]): string {
  return name + '[' + tags.join('+') + ']';
}
print('defaults', label(), label('puck', 'a', 'b'));

const readers: Array<() => number> = [];
for (let i = 0; i < 3; i++) readers.push(() => i * 10);
print('closures', readers.map((read) => read()).join(','));

print('exponent', more.length ** 2, 2 ** -1);

const unitOf = (r?: Reading) => r?.meta?.unit ?? 'none';
print('optional', unitOf(reading), unitOf(undefined), unitOf({ id: 1, values: [] }));

const field = 'f' + reading.id;
const keyed = { [field]: 1, ['k' + first]: 2, plain: 3 };
print('computed', JSON.stringify(keyed));

class Device {
  static made = 0;
  static make(name: string): Device {
    Device.made++;
    return new this(name);
  }
  protected readonly log: string[] = [];
  constructor(public name: string) {}
  describe(): string {
    return 'device ' + this.name;
  }
  get shout(): string {
    return this.name.toUpperCase();
  }
}

class Strap extends Device {
  static kind = 'strap';
  constructor(name: string, private battery = 100) {
    super(name);
  }
  describe(): string {
    return super.describe() + ' at ' + this.battery + '%';
  }
  static describeKind(): string {
    return this.kind + '/' + super.make('base').name;
  }
}

const left = new Strap('left');
const right = Strap.make('right');
print('classes', left.describe(), left.shout, right instanceof Strap, right instanceof Device, right.describe(), Strap.describeKind(), Strap.kind, Device.made);
print('fields', (left as any).log === (right as any).log);

const tag = (strings: TemplateStringsArray, ...vals: unknown[]) => strings.raw.join('|') + '#' + vals.join(',');
print('templates', ${'`'}id=${'$'}{id}${'`'}, tag${'`'}a${'$'}{1}b${'$'}{2}c${'`'});

let total = 0;
for (const v of reading.values) total += v;
print('for-of', total);
`;

const EXPECTED_OUTPUT = [
  'destructuring 7 3 4,5 meta',
  'spread 3,4,5,6,7,8 8 {"meta":{"unit":"mV"},"extra":true}',
  'defaults strap[] puck[a+b]',
  'closures 0,10,20',
  'exponent 36 0.5',
  'optional mV none none',
  'computed {"f7":1,"k3":2,"plain":3}',
  'classes device left at 100% LEFT true true device right at 100% strap/base strap 2',
  'fields false',
  'templates id=7 a|b|c#1,2',
  'for-of 12',
];

describe('lowering TypeScript to what Espruino 2v29 runs', () => {
  it('builds destructuring, spread, defaults, loop closures, **, ?., computed keys and classes without problems', async () => {
    const result = await checkFirmwareSource(LOWERED_FEATURES, { fileName: 'firmware/build/fixtures/lowered-features.ts' });
    expect(result.problems).toEqual([]);
    // ES5 but for the arrow functions the build writes for size (arrow-functions.ts).
    expect(beyondEs5ButArrows(result.code)).toEqual([]);
  });

  it('behaves as in V8 when run without hoisting and without the built-ins Espruino lacks', async () => {
    const result = await checkFirmwareSource(LOWERED_FEATURES, { fileName: 'firmware/build/fixtures/lowered-features.ts' });
    expect(runWithoutHoisting(result.code)).toEqual(EXPECTED_OUTPUT);
  });

  it('moves __extends after the constructor it extends', () => {
    const lowered = lowerToEs5('(() => { class A {} class B extends A {} print(new B()); })();\n').code;
    expect(lowered.indexOf('__extends(B, _super)')).toBeLessThan(lowered.indexOf('function B('));
    const fixed = postProcess(lowered, new Set()).code;
    expect(fixed.indexOf('function B(')).toBeLessThan(fixed.indexOf('__extends(B, _super)'));
  });

  it("needs that move: TypeScript's own order fails when nothing is hoisted", () => {
    const lowered = lowerToEs5('(() => { class A {} class B extends A {} print(new B() instanceof A); })();\n').code;
    expect(() => runWithoutHoisting(helperCode(['__extends']) + lowered)).toThrow(/undefined/); // B is undefined where __extends runs
    expect(runWithoutHoisting(postProcess(lowered, new Set()).code)).toEqual(['true']);
  });

  it("declares esbuild's deferred top-level vars before their first use", async () => {
    const result = await checkFirmwareSource('for (var key in { a: 1 }) print(key);\nprint(key);\n', { fileName: 'firmware/build/fixtures/top-level-var.ts' });
    expect(result.problems).toEqual([]);
    expect(runWithoutHoisting(result.code)).toEqual(['a', 'a']);
  });

  it('supplies only the helpers the code references, inside the bundle', () => {
    const fixed = postProcess(lowerToEs5('(() => { const a = { x: 1 }; print({ ...a }); })();\n').code, new Set()).code;
    expect(fixed).toContain('var __assign = function');
    for (const name of Object.keys(SUPPLIED_HELPERS).filter((helper) => helper !== '__assign')) expect(fixed).not.toContain(`var ${name} =`);
    expect(fixed.indexOf('var __assign')).toBeGreaterThan(fixed.indexOf('(function'));
  });

  it('reports a helper it cannot supply, unless a source rule already did', () => {
    const lowered = '(function () { var f = function () { return __awaiter(this, void 0, void 0, function () {}); }; print(f); })();\n';
    const reported = postProcess(lowered, new Set()).findings;
    expect(reported.map((finding) => finding.rule)).toEqual(['unsupported-helper']);
    expect(reported[0]!.message).toContain('__awaiter');
    expect(postProcess(lowered, new Set(['async'])).findings).toEqual([]);
  });
});

describe('the Espruino-safe helpers', () => {
  const run = (body: string): string[] => runWithoutHoisting(helperCode(Object.keys(SUPPLIED_HELPERS)) + body);

  it('__extends copies statics as own properties (Espruino does not look them up through the prototype)', () => {
    const printed = run(`
      function Base() {}
      Base.make = function () { return 'made'; };
      Base.prototype.hello = function () { return 'hello'; };
      function Derived() {}
      __extends(Derived, Base);
      print(Derived.make(), Object.prototype.hasOwnProperty.call(Derived, 'make'), Object.getPrototypeOf(Derived) === Function.prototype);
      print(new Derived().hello(), new Derived() instanceof Base, new Derived().constructor === Derived);
    `);
    expect(printed).toEqual(['made true true', 'hello true true']);
  });

  it('__assign, __rest, __spreadArray and __makeTemplateObject behave like TypeScript’s', () => {
    const printed = run(`
      print(JSON.stringify(__assign({ a: 1 }, null, { b: 2 }, undefined, { a: 3 })));
      print(JSON.stringify(__rest({ a: 1, b: 2, c: 3 }, ['b'])));
      var from = [1, 2];
      var spread = __spreadArray(__spreadArray([0], from, true), 'ab', false);
      print(JSON.stringify(spread), spread !== from, from.length);
      var template = __makeTemplateObject(['a', 'b'], ['a', 'b']);
      print(JSON.stringify(template.raw));
    `);
    expect(printed).toEqual(['{"a":3,"b":2}', '{"a":1,"c":3}', '[0,1,2,"a","b"] true 2', '["a","b"]']);
  });

  it('pass the output checks themselves', async () => {
    const result = await checkFirmwareSource(String.raw`class A { static s = 1; }
class B extends A {}
const o = { ...{ a: 1 } };
const { a, ...rest } = o;
const t = (s: TemplateStringsArray) => s.raw[0];
print(B.s, [...[a]], rest, t${'`'}x${'`'});
`);
    expect(result.problems).toEqual([]);
  });
});
