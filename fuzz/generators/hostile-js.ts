/**
 * Hostile JavaScript for the console: a small generator of expressions and
 * statements over the board's globals (Espruino's API with odd arguments,
 * getters that throw, prototype pollution, recursion, allocation, timers with
 * odd intervals, errors thrown from callbacks) typed as console lines, a
 * few at a time, with board time between them. Known-nasty lines:
 * known-nasty.ts.
 *
 * With `avoidOpenDefects` the generator leaves out what triggers a defect
 * someone is fixing (open-defects.ts): timer intervals below 1 ms, promise
 * chains that renew themselves, escapes through host objects' constructors,
 * allocations beyond a few MB.
 */
import { SeededRandom } from '../../sim/clock/seeded-random';
import { chance, pick } from '../pick';
import { ESCAPE_PROBE } from './known-nasty';
import type { ConsoleStep } from './console-bytes';

export interface HostileJsOptions {
  avoidOpenDefects: boolean;
}

const NUMBERS = ['0', '-0', '1', '-1', '0.5', '1e-9', '255', '256', '65536', '2147483647', '2147483648', '-2147483649', '4294967296', '1e12', '1e308', 'NaN', 'Infinity', '-Infinity'];
const STRINGS = ['""', '"x"', '"\\xff\\x00"', '"\\u20ac"', '"1e12"', '" 12"', '"0x1f"', '"LED1"', '"constructor"', '"__proto__"', '"prototype"'];
const OBJECTS = ['{}', '[]', '[1,2,3]', '{a:1}', 'null', 'undefined', 'true', 'false', 'function(){}', 'new Uint8Array(4)', 'new ArrayBuffer(3)', '{data:[1,2],count:3}', 'E', 'LED1', 'BTN', 'Serial1', 'global', 'this', 'arguments'];
const CALLS = [
  'require("Storage").write', 'require("Storage").read', 'require("Storage").erase', 'require("Storage").writeJSON', 'require("Storage").readJSON',
  'require("Storage").list', 'require("Storage").getFree', 'require("Storage").compact', 'require("Storage").hash', 'require("Storage").readArrayBuffer',
  'E.toString', 'E.toUint8Array', 'E.CRC32', 'E.clip', 'E.sum', 'E.hwRand', 'E.getTemperature', 'E.getBattery', 'E.getErrorFlags', 'E.setConsole',
  'E.enableWatchdog', 'E.kickWatchdog', 'E.setPassword', 'E.lockConsole', 'E.setBootCode', 'E.emit', 'E.on',
  'digitalWrite', 'digitalRead', 'digitalPulse', 'pinMode', 'analogRead', 'setWatch', 'clearWatch', 'clearTimeout', 'clearInterval', 'changeInterval',
  'Serial1.write', 'Serial1.print', 'Serial1.on', 'Bluetooth.write', 'I2C1.writeTo', 'I2C1.readFrom', 'I2C1.setup', 'NRF.getBattery',
  'print', 'console.log', 'echo', 'getTime', 'setTime', 'peek8', 'poke8', 'process.memory', 'JSON.parse', 'JSON.stringify',
  'Math.pow', 'String.fromCharCode', 'parseInt', 'eval', 'require', 'Object.keys', 'Object.getOwnPropertyNames', 'Object.getPrototypeOf',
  'Object.defineProperty', 'Function', 'Date', 'btoa', 'atob', 'load', 'save', 'reset', 'dump',
];
const FIELDS = ['constructor', '__proto__', 'prototype', 'length', 'toString', 'valueOf', 'then', 'call', 'apply', 'bind', 'caller', 'stack', 'name', 'buffer'];
const OPERATORS = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>', '>>>', '==', '===', '<', '&&', '||', ','];
const POLLUTION = [
  'Object.prototype.x = 1', 'Object.prototype.toString = function(){ throw new Error("poisoned") }', 'Array.prototype.push = null',
  'String.prototype.charCodeAt = function(){ return 999 }', 'JSON.stringify = function(){ return undefined }', 'Function.prototype.call = 1',
  'Object.defineProperty(Object.prototype, "then", { get: function(){ throw 1 } })', 'Error.prototype.toString = function(){ throw 2 }',
  'Object.prototype.valueOf = function(){ return {} }', 'Symbol = undefined', 'Promise.prototype.then = function(){ throw 3 }',
];

function atom(rng: SeededRandom): string {
  switch (rng.int(0, 3)) {
    case 0:
      return pick(rng, NUMBERS);
    case 1:
      return pick(rng, STRINGS);
    default:
      return pick(rng, OBJECTS);
  }
}

function expression(rng: SeededRandom, depth: number, options: HostileJsOptions): string {
  if (depth <= 0) return atom(rng);
  switch (rng.int(0, 7)) {
    case 0:
      return `${expression(rng, depth - 1, options)} ${pick(rng, OPERATORS)} ${expression(rng, depth - 1, options)}`;
    case 1:
    case 2: {
      const args = Array.from({ length: rng.int(0, 4) }, () => expression(rng, depth - 1, options));
      return `${pick(rng, CALLS)}(${args.join(',')})`;
    }
    case 3:
      return `(${expression(rng, depth - 1, options)})[${pick(rng, STRINGS.concat(NUMBERS))}]`;
    case 4:
      return `${pick(rng, OBJECTS)}.${pick(rng, FIELDS)}`;
    case 5:
      return `${pick(rng, ['typeof ', 'void ', '!', '-', '~', 'new '])}${expression(rng, depth - 1, options)}`;
    case 6:
      return `function(a){ return ${expression(rng, depth - 1, options)}; }`;
    default:
      return atom(rng);
  }
}

function timerInterval(rng: SeededRandom): string {
  const odd = ['0', '-5', '0.001', 'NaN', '"x"', 'undefined', '-Infinity'];
  const fine = ['1', '2', '10', '100', '1000', '1e9', 'Infinity', '2147483648'];
  return pick(rng, fine.concat(odd));
}

function statement(rng: SeededRandom, options: HostileJsOptions): string {
  const e = () => expression(rng, rng.int(0, 3), options);
  switch (rng.int(0, 16)) {
    case 0:
      return `var v${rng.int(0, 5)} = ${e()}`;
    case 1:
      return `try { ${e()} } catch (err) { print(err) }`;
    case 2:
      return `${e()}`;
    case 3:
      return `setTimeout(function(){ ${e()} }, ${timerInterval(rng)})`;
    case 4:
      return `var t${rng.int(0, 2)} = setInterval(function(){ ${e()} }, ${timerInterval(rng)})`;
    case 5:
      return pick(rng, POLLUTION);
    case 6:
      return `Object.defineProperty(global, "g${rng.int(0, 3)}", { get: function(){ throw new Error("getter") } }); g${rng.int(0, 3)}`;
    case 7:
      return `function r(n){ return n <= 0 ? 0 : 1 + r(n - 1) } r(${pick(rng, ['10', '1000', '100000', '1e7'])})`;
    case 8: {
      const size = pick(rng, ['1e3', '1e6', '1e7', '1e8', '2e9']);
      return pick(rng, [
        `new Array(${size})`,
        `new Array(${size}).fill(1)`,
        `"x".repeat(${size})`,
        `new Uint8Array(${size})`,
        `E.toString({data:0,count:${size}})`,
        // growth a little at a time: the board's count ends it (sim/board/runtime/memory-guard.ts)
        `var keep = []; setInterval(function(){ keep.push(new Array(50).fill("x" + ${size})) }, 1)`,
        'var grown = ""; for (var i = 0; i < 40; i++) grown += grown + "ab"',
      ]);
    }
    case 9:
      return `setTimeout(function(){ throw ${e()} }, ${timerInterval(rng)})`;
    case 10:
      return `for (var i = 0; i < ${pick(rng, ['3', '100', '1e4'])}; i++) { ${e()} }`;
    case 11:
      return `Promise.resolve(${e()}).then(function(x){ ${e()} })`;
    case 12:
      return '(function f(){ Promise.resolve().then(f) })()';
    case 13:
      return `E.on("${pick(rng, ['kill', 'init', 'errorFlag', 'packet'])}", function(){ ${e()} })`;
    case 14:
      return `setWatch(function(e){ ${e()} }, ${pick(rng, ['BTN', 'D1', '99', '-1', 'undefined'])}, ${pick(rng, ['{repeat:true}', '{edge:"x", debounce:-1}', '{}', 'null'])})`;
    case 15:
      return escapeAttempt(rng);
    default:
      // busy loops cost the busy-loop limit in wall time each: a few of them
      return chance(rng, 0.15) ? 'while(1){}' : `${e()}`;
  }
}

/** A constructor chain from something the API hands out to a Function, and the probe that reports a host one. */
function escapeAttempt(rng: SeededRandom): string {
  const source = pick(rng, [
    'E.toString', 'require("Storage").list()', 'process.memory()', 'E.getErrorFlags()', 'require("Storage").getStats()', 'new Error("x")',
    'Serial1', 'E.toUint8Array(1)', 'JSON.parse("{}")', 'setTimeout(function(){}, 1e9)', 'E', 'LED1', 'Promise.resolve(1)',
  ]);
  const path = pick(rng, ['.constructor.constructor', '.__proto__.constructor.constructor', '.constructor.__proto__.constructor', '.toString.constructor']);
  return `try { var F = (${source})${path}; ${ESCAPE_PROBE} } catch (err) { try { F = err.constructor.constructor; ${ESCAPE_PROBE} } catch (again) {} }`;
}

export function hostileJsCase(seed: number, options: HostileJsOptions): ConsoleStep[] {
  const rng = new SeededRandom(seed);
  const lines = rng.int(1, 4);
  const steps: ConsoleStep[] = [];
  for (let i = 0; i < lines; i++) {
    const prefix = chance(rng, 0.3) ? '\x10' : '';
    steps.push({ bytes: `${prefix}${statement(rng, options)}\n`, thenMs: pick(rng, [1, 10, 100, 1000]) });
  }
  return steps;
}
