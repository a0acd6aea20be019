import { describe, expect, it } from 'vitest';
import { consoleCode, evalPacketCode, evaluateCommand, statementCommand } from './console-commands';

describe('console commands', () => {
  it('evaluate is Ctrl-U and two echo-off lines: the framed value, then the sync frame', () => {
    expect(evaluateCommand('a.b()', 'abc123')).toBe(
      '\x15\x10print("\\x02abc123="+JSON.stringify((a.b()))+"\\x03abc123")\n\x10print("\\x02abc123.\\x03abc123")\n',
    );
  });

  it('code goes out 7-bit: newlines as ESC LF, non-ASCII as \\u escapes', () => {
    expect(consoleCode('f(1,\n2)')).toBe('f(1,\x1b\n2)');
    expect(consoleCode('f(1,\r\n2)')).toBe('f(1,\x1b\n2)');
    expect(consoleCode('"°C"')).toBe('"\\u00b0C"');
    expect(statementCommand('load()')).toBe('\x10load()\n');
    expect(statementCommand('load()', true)).toBe('\x15\x10load()\n');
    expect(() => consoleCode('  ')).toThrow(/empty code/);
  });

  it('the EVAL packet code returns "=json" or "!error" and catches syntax errors through eval', () => {
    const code = evalPacketCode('1+"\\n"');
    expect(code).toBe('(function(){try{return "="+JSON.stringify(eval("1+\\"\\\\n\\""))}catch(e){return "!"+e}})()');
    const f = new Function(`return ${code}`) as () => string;
    expect(f()).toBe('="1\\n"');
    expect((new Function(`return ${evalPacketCode('1 +* 2')}`) as () => string)()).toMatch(/^!SyntaxError/);
  });
});
