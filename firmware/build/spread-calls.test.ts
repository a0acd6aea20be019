import { describe, expect, it } from 'vitest';
import { checkFirmwareSource } from './build';
import { functionDepth } from './function-depth';
import { runWithoutHoisting } from './run-without-hoisting';
import { spreadOnceCalledFunctions } from './spread-calls';

// As firmware/main.ts calls boot(), and boot calls its factories once: the closures they make live on.
// boot's `count` has the name of a module-level variable that another function reads.
const SOURCE = `let count = 1;
function bump(): number { return ++count; }
function createTally(start: number, step?: number) {
  let total = start;
  return { add: function () { total += step === undefined ? 1 : step; return 'tally ' + total; } };
}
function parity(n: number): string {
  if (n % 2 === 0) return 'even';
  return 'odd';
}
function boot(): void {
  let count = 10;
  const label = 'n=';
  try {
    count += bump();
  } catch (e) {
    count = 0;
  }
  const tally = createTally(count);
  (global as unknown as { strap: object }).strap = { read: function () { count++; return label + (count * 7 + bump()); }, tally: tally };
  print(count, bump(), parity(count));
}
boot();
const strap = (global as unknown as { strap: { read(): string; tally: { add(): string } } }).strap;
print(strap.read(), count, strap.tally.add(), strap.tally.add());
`;

describe('a function called once from the bundle top runs there, not in a call scope of its own', () => {
  it('makes the closures of boot and of the factory it calls one scope below the bundle, and they run as written', async () => {
    const result = await checkFirmwareSource(SOURCE, { fileName: 'firmware/build/fixtures/spread-calls.ts' });
    expect(result.problems).toEqual([]);
    expect(functionDepth(result.code, '"n="')).toBe(1);
    expect(functionDepth(result.code, '"tally "')).toBe(1);
    expect(runWithoutHoisting(result.code, { globals: { global: {} } })).toEqual(['12 3 even', 'n=95 4 tally 13 tally 14']);
  });

  it('gives a local named like a module variable or a global another name, and leaves a function with an early return a call', () => {
    const lowered = `(function () {
    var count = 1;
    function early(n) { if (n) return 1; return 2; }
    function boot() {
        var count = 10, print = 3;
        return count + print + early(count);
    }
    var total = boot();
    print(total, count);
})();
`;
    const out = spreadOnceCalledFunctions(lowered);
    expect(out.spread).toEqual(['boot']);
    expect(out.code).toContain('function early(n)');
    expect(out.code).not.toContain('function boot');
    expect(out.code).toMatch(/var count_2 = 10, print_2 = 3;/);
    const printed: unknown[][] = [];
    new Function('print', out.code)((...parts: unknown[]) => printed.push(parts));
    expect(printed).toEqual([[14, 1]]);
  });

  it('lets a parameter read its argument variable when neither is ever assigned, and keeps a var where one is or a closure shadows it', () => {
    const lowered = `(function () {
    var events = { n: 1 };
    var level = 1;
    var label = 'x';
    level = 2;
    function start(ev, lv, lb, extra) {
        var read = function () { return ev.n + lv + lb; };
        var shadow = function (label) { return label + lb; };
        return { read: read, shadow: shadow, extra: extra };
    }
    var api = start(events, level, label, events);
    events.n = 5;
    print(api.read(), api.shadow('y'), api.extra.n);
})();
`;
    const out = spreadOnceCalledFunctions(lowered);
    expect(out.spread).toEqual(['start']);
    // \`ev\` and \`extra\` read \`events\`; \`lv\` keeps its var (level is assigned), so does \`lb\` (an inner parameter is named \`label\`)
    expect(out.code).toMatch(/var lv = level, lb = label;/);
    expect(out.code).toContain('return events.n + lv + lb;');
    expect(out.code).toContain('extra: events');
    const printed: unknown[][] = [];
    new Function('print', out.code)((...parts: unknown[]) => printed.push(parts));
    expect(printed).toEqual([['7x', 'yx', 5]]);
  });

  it('spreads a call assigned inside a try block of the bundle, and what the body throws still reaches the catch', () => {
    const lowered = `(function () {
    var log = [];
    function start(name, fail) {
        var greet = function () { return 'hello ' + name; };
        log.push('started ' + name);
        if (fail) throw new Error('no radio');
        return { greet: greet };
    }
    function startAgain(name, fail) {
        log.push('again ' + name);
        if (fail) throw new Error('no radio');
        return { name: name };
    }
    var radio = undefined, other = undefined;
    try {
        radio = start('strap', false);
    } catch (e) {
        radio = undefined;
    }
    try {
        other = startAgain('twin', true);
    } catch (e) {
        log.push('caught ' + e.message);
        other = undefined;
    }
    print(radio.greet(), other, log.join(', '));
})();
`;
    const out = spreadOnceCalledFunctions(lowered);
    expect(out.spread).toEqual(['start', 'startAgain']);
    expect(out.code).not.toContain('function start');
    expect(out.code).toContain('radio = { greet: greet };');
    const printed: unknown[][] = [];
    new Function('print', out.code)((...parts: unknown[]) => printed.push(parts));
    expect(printed).toEqual([['hello strap', undefined, 'started strap, again twin, caught no radio']]);
  });
});
