/**
 * Console lines known to be nasty for a JavaScript host, each one a case
 * expected to pass (the board answers print(1+1) afterwards, the host lives,
 * nothing escapes). Those that hit a defect someone is fixing carry it
 * (`openDefect`, open-defects.ts): `npm test` skips them with the reason, and
 * they run as soon as the defect's entry is deleted.
 *
 * An escape attempt does no harm if it works: it only leaves a mark on the
 * host's `process` (ESCAPE_PROBE), which the runner reports.
 */
import type { OpenDefect } from '../open-defects';

export interface NastyLine {
  name: string;
  /** Console lines, each typed with its newline. */
  lines: string[];
  openDefect?: OpenDefect;
}

/**
 * What an escape attempt does with a Function `F` it got hold of: if `F` is
 * the host's, it reaches the host's `process` and leaves a mark on it
 * (ESCAPE_MARK), which survives the board rebooting and harms nothing; the
 * runner looks for the mark after every case.
 */
export const ESCAPE_MARK = '__strapFuzzEscape';
export const ESCAPE_PROBE = `var P = F("return typeof process === \\"object\\" && process.pid ? process : undefined")(); if (P) P.${ESCAPE_MARK} = "reached the host process " + P.pid`;

export const KNOWN_NASTY: readonly NastyLine[] = [
  { name: 'deep recursion', lines: ['function f(n){ return f(n + 1) + 1 } f(0)'] },
  { name: 'recursion through toString', lines: ['var o = {}; o.toString = function(){ return "" + o }; "" + o'] },
  { name: 'a getter that throws on a global', lines: ['Object.defineProperty(global, "trap", { get: function(){ throw new Error("trap") } })', 'trap', 'print(trap)'] },
  { name: 'a getter that throws on print\'s argument', lines: ['print({ get a(){ throw new Error("getter") } })'] },
  { name: 'Object.prototype polluted', lines: ['Object.prototype.toString = function(){ throw new Error("poison") }', '({})', 'print({})'] },
  { name: 'Error.prototype.toString throws while reporting an error', lines: ['Error.prototype.toString = function(){ throw new Error("again") }', 'throw new Error("x")'] },
  { name: 'a thrown non-error with a hostile toString', lines: ['throw { toString: function(){ throw 1 } }'] },
  { name: 'JSON.stringify replaced', lines: ['JSON.stringify = function(){ throw 1 }', '({a:1})', 'require("Storage").write("j", {a:1})'] },
  { name: 'Array.prototype.push removed', lines: ['Array.prototype.push = undefined', 'require("Storage").list()'] },
  { name: 'a busy loop', lines: ['while (true) {}'] },
  { name: 'a busy loop in a timer', lines: ['setTimeout(function(){ for(;;){} }, 10)'] },
  { name: 'an error thrown from every kind of callback', lines: ['setTimeout(function(){ throw new Error("t") }, 1); setWatch(function(){ throw 2 }, BTN); E.on("kill", function(){ throw 3 })'] },
  { name: 'timers with large and odd but valid intervals', lines: ['setInterval(function(){}, 1); setTimeout(function(){}, 1e12); setTimeout(function(){}, Infinity); setInterval("1+1", 2147483648)'] },
  { name: 'a modest allocation', lines: ['var a = new Array(100000).fill(0); var s = "x".repeat(1e6); a.length + s.length'] },
  { name: 'Storage with every odd argument', lines: ['var S = require("Storage"); S.write("f","hello",0,1e12); S.write("f","x",-1); S.write("",""); S.write("f"); S.read("f",1e12,-1); S.write("x".repeat(100),"y"); S.erase(undefined)'] },
  { name: 'E.setConsole away and a locked console', lines: ['E.setPassword("pw"); E.lockConsole()', 'E.setConsole(null)'] },
  // found by npm run fuzz (hostile-js:880239708): the move happens only when the Ctrl-C of the health check frees the queued line
  { name: 'a console moved by a line queued behind an endless promise chain', lines: ['(function f(){ Promise.resolve().then(f) })()', 'E.setConsole()'] },
  { name: 'reset, load and save from the console', lines: ['save()', 'load()', 'reset()'] },
  { name: 'an API function\'s constructor chain', lines: [`var F = E.toString.constructor; ${ESCAPE_PROBE}`] },
  { name: 'an API array\'s constructor chain', lines: [`var F = require("Storage").list().constructor.constructor; ${ESCAPE_PROBE}`] },
  { name: 'a thrown Storage error\'s constructor chain', lines: [`try { require("Storage").write("f","x",5) } catch (e) { var F = e.constructor.constructor; ${ESCAPE_PROBE} }`] },
  // --- issue 8's reproducers (fixed) -------------------------------------------------------------
  { name: 'E.reboot()\'s error leads to the host Function (issue 8 reproducer, harmless probe)', lines: [`try { E.reboot() } catch (e) { var F = e.constructor.constructor; ${ESCAPE_PROBE} }`] },
  { name: 'an endless promise chain (issue 8: "more than 100000 events in one pass" kills the simulator)', lines: ['(function f(){ Promise.resolve().then(f) })()'] },
  { name: 'setInterval(function(){}, 0) (issue 8: hangs for good)', lines: ['setInterval(function(){}, 0)'] },
  { name: 'setInterval with a fractional interval (issue 8)', lines: ['setInterval(function(){}, 0.001)'] },
  { name: 'a timeout that renews itself at 0 ms (issue 8)', lines: ['function t(){ setTimeout(t, 0) } t()'] },
  { name: 'a negative timeout that renews itself (issue 8)', lines: ['function t(){ setTimeout(t, -5) } t()'] },
  { name: 'a huge allocation in the host heap (issue 8, issue 9: Espruino\'s "Out of Memory")', lines: ['var big = new Array(2e8).fill(1)'] },
  { name: 'allocation without end, a little at a time', lines: ['var grow = []; setInterval(function(){ for (var i = 0; i < 100; i++) grow.push({ i: i, s: "text " + i }) }, 1)'] },
  { name: 'a string doubled without end', lines: ['var s = "x"; while (true) s += s'] },
  { name: 'E.toString and JSON.stringify of huge', lines: ['E.toString({ data: 0, count: 1e9 })', 'var a = [1,2,3,4,5,6,7,8,9,10]; for (var i = 0; i < 7; i++) a = [a,a,a,a,a,a,a,a,a,a]; JSON.stringify(a)'] },
  { name: 'Function.prototype.call replaced, then a callback throws (fuzz hostile-js seed 333902189)', lines: ['Function.prototype.call = 1', 'setTimeout(function(){ throw new Error("x") }, 5)'] },
];
