/**
 * The simulator reads what firmware made — it formats a line's result, reports
 * an uncaught error, looks up 'uncaughtException' and 'init' listeners and
 * onInit, estimates memory for save() — and firmware can make those reads run
 * its code (a custom toString, a getter). Each read runs under the busy-loop
 * limit (ProgramRunner.guardHost): code that never returns is interrupted as
 * on Espruino ("Execution Interrupted"), instead of hanging the host for good.
 */
import { describe, expect, it } from 'vitest';
import { printed, startBoard } from '../board-test-kit';

describe('a read of a firmware value that runs code which never returns', () => {
  it.each([
    ['a result whose toString never returns', 'function K(){}; K.prototype.toString = function(){ while(1); }; new K()'],
    ['a thrown object whose toString never returns', 'throw { toString: function(){ while(1); } }'],
    ['a thrown error whose name getter never returns', 'var e = new Error("x"); Object.defineProperty(e, "name", { get: function(){ while(1); } }); throw e'],
    [
      "process's uncaughtException listeners behind a getter",
      'Object.defineProperty(process, "#onuncaughtException", { get: function(){ while(1); } }); setTimeout(function(){ throw 1; }, 1)',
    ],
    ['onInit behind a getter, read by save()', 'Object.defineProperty(global, "onInit", { get: function(){ while(1); }, configurable: true }); save()'],
  ])('%s is interrupted and the board answers again', (_what, line) => {
    const t = startBoard({ busyLoopLimitMs: 50 });
    expect(t.type(line, 20)).toContain('Execution Interrupted\r\n');
    expect(printed(t.type('print(1+1)'))).toContain('2');
  });

  it("save()'s memory estimate does not use the typed arrays' byteLength getter firmware replaced", () => {
    const t = startBoard({ busyLoopLimitMs: 50 });
    const out = t.type('Object.defineProperty(Object.getPrototypeOf(Uint8Array.prototype), "byteLength", { get: function(){ while(1); } }); var a = new Uint8Array(3); save()', 20);
    expect(out).toContain('Compressed ');
    expect(out).not.toContain('Execution Interrupted');
  });
});
