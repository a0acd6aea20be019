import { describe, expect, it } from 'vitest';
import { stackTraceText, uncaughtText } from './error-report';
import { connectedRepl } from './test-harness';

/**
 * The 2v29 report: `Uncaught %v` (src/jsinteractive.c jsiCheckErrors), then
 * src/jslex.c jslPrintStackTrace, one frame per lexer, innermost first:
 * `    at ` [name ` (`] jslPrintPosition (`:L:C`) [`)`], then
 * jslPrintTokenLineMarker's source line and `^`. Read from the single-file
 * build espruino_embedded.c; Espruino issue #2658 (2025) quotes
 * `    at :1:24` + the body line for a function E.emit called.
 *
 * The column in a frame is V8's where Espruino's lex->tokenLastStart cannot
 * be derived (see stack-frames.ts); the rows below say which.
 */
describe('error reports', () => {
  it('words a ReferenceError as Espruino does, at REPL with the line and a marker under the name', () => {
    const { type } = connectedRepl();
    // jsvCheckReferenceError fires with the name as the last token: its start.
    expect(type('foo\n')).toBe('foo\r\nUncaught ReferenceError: "foo" is not defined\r\n    at REPL (:1:1)\r\nfoo\r\n^\r\n>');
    expect(type('1 + bar\n')).toBe(
      '1 + bar\r\nUncaught ReferenceError: "bar" is not defined\r\n    at REPL (:1:5)\r\n1 + bar\r\n    ^\r\n>',
    );
  });

  it('puts a new Error at the `)` of its constructor call, where the trace is taken', () => {
    const { type } = connectedRepl();
    expect(type('throw new TypeError("bad")\n')).toBe(
      'throw new TypeError("bad")\r\nUncaught TypeError: bad\r\n    at REPL (:1:26)\r\nthrow new TypeError("bad")\r\n' + ' '.repeat(25) + '^\r\n>',
    );
    expect(type('throw new Error()\n')).toMatch(/\r\nUncaught Error\r\n {4}at REPL \(:1:17\)\r\n/);
  });

  it('prints thrown non-errors with %v and no location', () => {
    const { type } = connectedRepl();
    expect(type('throw "text"\n')).toBe('throw "text"\r\nUncaught text\r\n>');
    expect(type('throw 42\n')).toBe('throw 42\r\nUncaught 42\r\n>');
    expect(type('throw {a:1}\n')).toBe('throw {a:1}\r\nUncaught [object Object]\r\n>');
  });

  it('shows a function frame inside its body text, named as called, then the REPL frame at the call`s `)`', () => {
    const { type } = connectedRepl();
    type('function f() { return missing; }\n');
    // f's code starts at its first body token (jspeFunctionDefinitionInternal); jsvSkipName raises at the
    // undefined name (V8 points at `return`); the caller stands after `)` (jspeFunctionCall).
    expect(type('f()\n')).toBe(
      'f()\r\nUncaught ReferenceError: "missing" is not defined\r\n' +
        '    at f (:1:8)\r\nreturn missing;\r\n       ^\r\n' +
        '    at REPL (:1:3)\r\nf()\r\n  ^\r\n>',
    );
  });

  it('takes the trace where the Error was made, not where it is thrown; callers at their calls` `)`', () => {
    const { type } = connectedRepl();
    type('function asd() {var e = new Error(); throw e;}\n');
    type('function def() {asd();}\n');
    // The def and REPL frames read as a public fixture quoting Espruino's `new Error().stack` does.
    expect(type('def();\n')).toBe(
      'def();\r\nUncaught Error\r\n' +
        '    at asd (:1:19)\r\nvar e = new Error(); throw e;\r\n' + ' '.repeat(18) + '^\r\n' +
        '    at def (:1:5)\r\nasd();\r\n    ^\r\n' +
        '    at REPL (:1:5)\r\ndef();\r\n    ^\r\n>',
    );
  });

  it('names a method frame by the property it was called through (o.m() passes "m")', () => {
    const { type } = connectedRepl();
    type('var o = {m: function() { throw new Error("in m"); }}\n');
    expect(type('o.m()\n')).toBe(
      'o.m()\r\nUncaught Error: in m\r\n' +
        '    at m (:1:23)\r\nthrow new Error("in m");\r\n' + ' '.repeat(22) + '^\r\n' +
        '    at REPL (:1:5)\r\no.m()\r\n    ^\r\n>',
    );
  });

  it('leaves a callback a native function called unnamed (jspExecuteFunction passes no name), then its caller', () => {
    const { type } = connectedRepl();
    const line = '[1].forEach(function(x) { throw new Error("cb"); })';
    expect(type(line + '\n')).toBe(
      line + '\r\nUncaught Error: cb\r\n' +
        '    at :1:21\r\nthrow new Error("cb");\r\n' + ' '.repeat(20) + '^\r\n' +
        `    at REPL (:1:${line.length})\r\n${line}\r\n` + ' '.repeat(line.length - 1) + '^\r\n>',
    );
  });

  it('reports a function the system called as one unnamed frame in its body, as Espruino issue #2658 quotes', () => {
    const { type, repl, engine, take } = connectedRepl();
    type('var handler = function() {\n  throw new Error("Oh no");\n};\n');
    let thrown: unknown;
    try {
      // Not a console line: V8's caller is not board code, as for the board's idle loop (which has no lexer).
      engine.run('handler()');
    } catch (error) {
      thrown = error;
    }
    take();
    repl.reportUncaught(thrown);
    // #2658 quotes the first three lines; jslPrintTokenLineMarker always ends with the `^` line.
    expect(take()).toBe('\r\x1b[JUncaught Error: Oh no\r\n    at :1:24\r\nthrow new Error("Oh no");\r\n' + ' '.repeat(23) + '^\r\n>');
  });

  it('counts a function frame from the first token of the body, keeping the indentation of later lines', () => {
    const { type } = connectedRepl();
    type('function tick() {\n  var a = 1;\n  throw new Error("two");\n}\n');
    expect(type('tick()\n')).toContain('    at tick (:2:24)\r\n  throw new Error("two");\r\n' + ' '.repeat(23) + '^\r\n    at REPL (:1:6)\r\n');
  });

  it('keeps running after an error', () => {
    const { type } = connectedRepl();
    type('nope()\n');
    expect(type('2*3\n')).toBe('2*3\r\n=6\r\n>');
  });

  it('cuts long source lines around the marker as jslPrintTokenLineMarker does', () => {
    const source = 'var a = 1; '.repeat(8) + 'oops';
    const text = uncaughtText(new Error('x'), { source, line: 1, col: 89, functionName: 'REPL' });
    const skip = 88 - 30;
    expect(text).toBe(
      'Uncaught Error: x\n    at REPL (:1:89)\n...' + source.slice(3 + skip, 3 + skip + 60) + '\n' + ' '.repeat(30) + '^\n',
    );
  });

  it('prints frames innermost first, a name in brackets only when the lexer has one (jslPrintStackTrace)', () => {
    const text = stackTraceText([
      { source: 'x();', line: 1, col: 3, functionName: 'g' },
      { source: 'g()', line: 1, col: 1 },
    ]);
    expect(text).toBe('    at g (:1:3)\nx();\n  ^\n    at :1:1\ng()\n^\n');
  });

  it('counts leading "Modules.addCached" lines out of the line number, not out of the marker (jsvGetLineAndCol ignoredLines)', () => {
    const source = 'Modules.addCached("a",function(){});\nModules.addCached("b",function(){});\nboom();';
    expect(stackTraceText({ source, line: 3, col: 1 })).toBe('    at :1:1\nboom();\n^\n');
    // The letters are matched one by one along the line, so a line holding them in order counts too.
    expect(stackTraceText({ source: 'M o d u l e s . a d d C a c h e d\nx', line: 2, col: 1 })).toBe('    at :1:1\nx\n^\n');
    // Only lines before the error's line count; the error's own line does not.
    expect(stackTraceText({ source: 'Modules.addCached(1)', line: 1, col: 3 })).toBe('    at :1:3\nModules.addCached(1)\n  ^\n');
  });

  it('prints bytes from 128 up in the marker line as lexer tokens, moving the marker (jslPrintTokenisedChar)', () => {
    // 0xE9 is no token: jslTokenAsString gives `?[233]`, five characters wider, so the marker moves five along.
    expect(stackTraceText({ source: 'x = "\u00e9"; foo', line: 1, col: 10 })).toBe('    at :1:10\nx = "?[233]"; foo\n' + ' '.repeat(14) + '^\n');
    // The move applies wherever the token is, after the column too.
    expect(stackTraceText({ source: 'foo; "\u00e9"', line: 1, col: 1 })).toBe('    at :1:1\nfoo; "?[233]"\n' + ' '.repeat(5) + '^\n');
    // 0xA3 is LEX_R_IF: a reserved word next to a letter gets a space before it (jslNeedSpaceBetween).
    expect(stackTraceText({ source: 'a\u00a3(b)', line: 1, col: 1 })).toBe('    at :1:1\na if(b)\n' + ' '.repeat(2) + '^\n');
  });

  it('shifts the console line`s frame by an ESC [ <n> d hint', () => {
    expect(stackTraceText({ source: 'a\nb', line: 2, col: 1, functionName: 'REPL' }, 40)).toBe('    at REPL (:41:1)\nb\n^\n');
  });
});
