/**
 * A regular expression that backtracks exponentially ("catastrophic
 * backtracking": /(a+)+$/ on "aaaa…!") runs inside one built-in call, where
 * the busy-loop guard (loop-guard.ts) never gets a turn: it would hang the
 * simulator for hours. V8 can switch such a match to its linear-time engine
 * after a number of backtracks (V8 flag
 * --enable-experimental-regexp-engine-on-excessive-backtracks, default
 * threshold --regexp-backtracks-before-fallback=50000); the result is the
 * same, only the time changes. The linear engine has no backreferences or
 * lookaround, which Espruino's matcher does not have either (regex-subset.ts;
 * the syntax gate refuses them in literals, the realm in `new RegExp`).
 *
 * The flag is process-wide and must be set before the patterns compile, so it
 * is set when the realm module loads.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
