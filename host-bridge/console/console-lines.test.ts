import { describe, expect, it } from 'vitest';
import { cleanLine } from './console-lines';

describe('console lines as a terminal shows them', () => {
  it('firmware output after the prompt was erased', () => {
    expect(cleanLine('>\r\x1b[Jheartbeat 3912mV\r')).toBe('heartbeat 3912mV');
    expect(cleanLine('\r\x1b[JUncaught Error: x\r')).toBe('Uncaught Error: x');
  });

  it('the prompt left on screen by an echo-off line', () => {
    expect(cleanLine('>Uncaught ReferenceError: "a" is not defined\r')).toBe('Uncaught ReferenceError: "a" is not defined');
    expect(cleanLine('>\r')).toBeUndefined();
    expect(cleanLine('>>')).toBeUndefined();
    expect(cleanLine('\x1b[J')).toBeUndefined();
  });

  it('a log line that starts with ">" keeps it when the prompt was erased first', () => {
    expect(cleanLine('>\r\x1b[J>> 3 items\r')).toBe('>> 3 items');
  });

  it('control bytes go, tabs and text stay', () => {
    expect(cleanLine('a\x08\x10\x01b\tc\r')).toBe('ab\tc');
  });

  it('RS, which starts the strap\'s RPC frames, stays', () => {
    expect(cleanLine('>\r\x1b[J\x1eR|a1|1|true|0c2b5f4e\r')).toBe('\x1eR|a1|1|true|0c2b5f4e');
  });
});
