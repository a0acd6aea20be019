/**
 * Espruino's 2v25+ packet protocol on the REPL (README_Protocol.md "Packet
 * Transfer"; host side as EspruinoWebTools uart.js and EspruinoTools 0.1.67
 * core/serial.js send it).
 */
import { describe, expect, it } from 'vitest';
import type { PacketHost } from './packet-handler';
import { PacketType } from '../../../protocols/espruino/packet';
import { encodePacket } from './packet-text';
import { connectedRepl } from './test-harness';

interface TestPacketHost extends PacketHost {
  files: Map<string, string>;
  events: string[];
  /** Fires the pending packet timeout, as 1 s of board time passing. */
  fireTimer(): void;
  readonly timerPending: boolean;
}

function packetHost(): TestPacketHost {
  const files = new Map<string, string>();
  const events: string[] = [];
  let timer: (() => void) | undefined;
  return {
    files,
    events,
    writeFile(name, data, offset, size) {
      // Storage.write semantics (src/jswrap_storage.c): offset 0 creates a file of `size` (or data.length) bytes of 0xFF
      let file = files.get(name);
      if (offset === 0) {
        const length = size || data.length;
        if (!length) throw new Error("Can't create zero length file");
        file = '\xff'.repeat(length);
      }
      if (file === undefined) throw new Error('Unable to find or create file');
      if (offset + data.length > file.length) throw new Error('Too much data for file size');
      files.set(name, file.slice(0, offset) + data + file.slice(offset + data.length));
    },
    readFile: (name) => files.get(name),
    emitPacketEvent: (json) => void events.push(json),
    setTimer(_ms, callback) {
      timer = callback;
      return () => (timer = undefined);
    },
    fireTimer() {
      const t = timer;
      timer = undefined;
      t?.();
    },
    get timerPending() {
      return timer !== undefined;
    },
  };
}

function board() {
  const host = packetHost();
  const h = connectedRepl({ packets: host });
  return { ...h, host };
}

/** Splits board output into packets, ACK/NAK and text, as a host parser would. */
function parse(out: string): Array<{ packet: number; data: string } | 'ACK' | 'NAK' | string> {
  const items: Array<{ packet: number; data: string } | 'ACK' | 'NAK' | string> = [];
  let i = 0;
  let text = '';
  const flush = () => {
    if (text) items.push(text);
    text = '';
  };
  while (i < out.length) {
    if (out[i] === '\x10' && out[i + 1] === '\x01') {
      flush();
      const word = (out.charCodeAt(i + 2) << 8) | out.charCodeAt(i + 3);
      const len = word & 0x1fff;
      items.push({ packet: word & 0xe000, data: out.slice(i + 4, i + 4 + len) });
      i += 4 + len;
    } else if (out[i] === '\x06' || out[i] === '\x15') {
      flush();
      items.push(out[i] === '\x06' ? 'ACK' : 'NAK');
      i++;
    } else {
      text += out[i++];
    }
  }
  flush();
  return items;
}

describe('packet protocol (2v25+) on the console', () => {
  it('header is DLE SOH then type|length as a big-endian word', () => {
    expect(encodePacket(PacketType.EVAL, '1+2')).toBe('\x10\x01\x20\x03' + '1+2');
    expect(encodePacket(PacketType.FILE_SEND, '{"fn":"hello.txt","s":11}')).toBe('\x10\x01\x60\x19{"fn":"hello.txt","s":11}');
    expect(encodePacket(PacketType.DATA, 'Hello World').slice(0, 4)).toBe('\x10\x01\x80\x0b');
    expect(encodePacket(PacketType.DATA, 'x'.repeat(8191)).slice(2, 4)).toBe('\x9f\xff');
    expect(() => encodePacket(PacketType.DATA, 'x'.repeat(8192))).toThrow(/at most 8191/);
  });

  it('EVAL answers a RESPONSE packet with the value as E.toJS text, then ACK, and prints nothing else', () => {
    const b = board();
    expect(parse(b.type(encodePacket(PacketType.EVAL, '1+2')))).toEqual([{ packet: PacketType.RESPONSE, data: '3' }, 'ACK']);
    expect(parse(b.type(encodePacket(PacketType.EVAL, '({a:1,"b c":[true,null],s:"x\\ny"})')))).toEqual([
      { packet: PacketType.RESPONSE, data: '{a:1,"b c":[true,null],s:"x\\ny"}' },
      'ACK',
    ]);
    expect(parse(b.type(encodePacket(PacketType.EVAL, 'undefined')))).toEqual([{ packet: 0, data: 'undefined' }, 'ACK']);
  });

  it('EVAL runs at global scope, like a console line', () => {
    const b = board();
    b.type(encodePacket(PacketType.EVAL, 'var counter = 41'));
    expect(b.type('counter+1\n')).toBe('counter+1\r\n=42\r\n>');
  });

  it('an EVAL that throws still ACKs, answers undefined, then reports Uncaught', () => {
    const b = board();
    const items = parse(b.type(encodePacket(PacketType.EVAL, 'nope()')));
    expect(items.slice(0, 2)).toEqual([{ packet: 0, data: 'undefined' }, 'ACK']);
    expect(items[2]).toMatch(/^\r\x1b\[JUncaught ReferenceError: "nope" is not defined\r\n {4}at REPL \(:1:1\)\r\nnope\(\)\r\n\^\r\n>$/);
  });

  it('code Espruino cannot parse is refused in EVAL as on a line', () => {
    const b = board();
    const items = parse(b.type(encodePacket(PacketType.EVAL, 'var {a} = {a:1}')));
    expect(items[1]).toBe('ACK');
    expect(items[2]).toContain('Uncaught SyntaxError: Destructuring is not supported by Espruino 2v29');
  });

  it('after a packet the echo is on again (the DLE was the packet\'s, not a line\'s)', () => {
    const b = board();
    expect(parse(b.type(encodePacket(PacketType.EVAL, '5')))).toEqual([{ packet: 0, data: '5' }, 'ACK']);
    expect(b.type('1+1\n')).toBe('1+1\r\n=2\r\n>');
  });

  it('every byte inside a packet is data: Ctrl-C, CR, DLE do not act', () => {
    const b = board();
    const code = '"a\x03b\x10c\x1bd".length';
    expect(parse(b.type(encodePacket(PacketType.EVAL, code)))).toEqual([{ packet: 0, data: '7' }, 'ACK']);
    expect(b.type('1\n')).toBe('1\r\n=1\r\n>');
  });

  it('a packet split across reads is assembled', () => {
    const b = board();
    const bytes = encodePacket(PacketType.EVAL, '6*7');
    let out = '';
    for (const ch of bytes) out += b.type(ch);
    expect(parse(out)).toEqual([{ packet: 0, data: '42' }, 'ACK']);
  });

  it('an incomplete packet is dropped with a NAK after the 1 s timeout, and the console carries on', () => {
    const b = board();
    expect(b.type(encodePacket(PacketType.EVAL, '1+2').slice(0, 5))).toBe('');
    expect(b.host.timerPending).toBe(true);
    b.host.fireTimer();
    expect(b.take()).toBe('\x15');
    expect(b.type('2+2\n')).toBe('2+2\r\n=4\r\n>');
  });

  it('FILE_SEND then DATA blocks write a Storage file, each packet ACKed', () => {
    const b = board();
    const content = 'Hello World';
    expect(parse(b.type(encodePacket(PacketType.FILE_SEND, JSON.stringify({ fn: 'hello.txt', s: content.length }))))).toEqual(['ACK']);
    expect(b.host.files.has('hello.txt')).toBe(false);
    expect(parse(b.type(encodePacket(PacketType.DATA, 'Hello ')))).toEqual(['ACK']);
    expect(parse(b.type(encodePacket(PacketType.DATA, 'World')))).toEqual(['ACK']);
    expect(b.host.files.get('hello.txt')).toBe(content);
  });

  it('binary file data passes unchanged (all 256 byte values)', () => {
    const b = board();
    const all = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    b.type(encodePacket(PacketType.FILE_SEND, `{fn:"bin",s:256}`));
    expect(parse(b.type(encodePacket(PacketType.DATA, all)))).toEqual(['ACK']);
    expect(b.host.files.get('bin')).toBe(all);
  });

  it('DATA without FILE_SEND, past the declared size, or after the file is complete is NAKed', () => {
    const b = board();
    expect(parse(b.type(encodePacket(PacketType.DATA, 'x')))).toEqual(['NAK']);
    b.type(encodePacket(PacketType.FILE_SEND, '{"fn":"f","s":3}'));
    expect(parse(b.type(encodePacket(PacketType.DATA, 'abcd')))[0]).toBe('NAK');
    b.type(encodePacket(PacketType.FILE_SEND, '{"fn":"g","s":2}'));
    expect(parse(b.type(encodePacket(PacketType.DATA, 'ab')))).toEqual(['ACK']);
    expect(parse(b.type(encodePacket(PacketType.DATA, 'c')))).toEqual(['NAK']);
  });

  it('FILE_SEND with bad JSON or without a name is NAKed; SD card and compression are not modelled', () => {
    const b = board();
    expect(parse(b.type(encodePacket(PacketType.FILE_SEND, '{fn:')))).toEqual(['NAK']);
    expect(parse(b.type(encodePacket(PacketType.FILE_SEND, '{"s":3}')))).toEqual(['NAK']);
    const sd = parse(b.type(encodePacket(PacketType.FILE_SEND, '{"fn":"a","s":1,"fs":1}')));
    expect(sd[0]).toBe('NAK');
    expect(sd[1]).toContain('Uncaught Error: not modelled by the virtual board: FILE_SEND with fs:1');
    expect(parse(b.type(encodePacket(PacketType.FILE_SEND, '{"fn":"a","s":1,"c":1}')))[1]).toContain('heatshrink');
  });

  it('FILE_RECV answers DATA packets and an empty DATA, then ACK; a missing file is NAKed', () => {
    const b = board();
    b.host.files.set('log.txt', 'x'.repeat(1500));
    expect(parse(b.type(encodePacket(PacketType.FILE_RECV, '{"fn":"log.txt"}')))).toEqual([
      { packet: PacketType.DATA, data: 'x'.repeat(1024) },
      { packet: PacketType.DATA, data: 'x'.repeat(476) },
      { packet: PacketType.DATA, data: '' },
      'ACK',
    ]);
    expect(parse(b.type(encodePacket(PacketType.FILE_RECV, '{"fn":"none"}')))).toEqual(['NAK']);
  });

  it('EVENT hands its JSON to E.on("packet") and ACKs', () => {
    const b = board();
    expect(parse(b.type(encodePacket(PacketType.EVENT, '{"t":"ping"}')))).toEqual(['ACK']);
    expect(b.host.events).toEqual(['{"t":"ping"}']);
  });

  it('a RESPONSE or an unused type from the host is NAKed', () => {
    const b = board();
    expect(parse(b.type(encodePacket(PacketType.RESPONSE, '1')))).toEqual(['NAK']);
    expect(parse(b.type(encodePacket(0xc000, '1')))).toEqual(['NAK']);
  });

  it('a zero-length packet is complete at its header', () => {
    const b = board();
    expect(parse(b.type(encodePacket(PacketType.EVAL, '')))).toEqual([{ packet: 0, data: 'undefined' }, 'ACK']);
  });

  it('DLE SOH only starts a packet at the start of an empty line', () => {
    const b = board();
    // mid-line, DLE is ignored and SOH is Ctrl-A (home); Ctrl-E goes back to the end
    const out = b.type('1\x10\x01\x05+1\n');
    expect(out).toContain('=2\r\n');
    expect(out).not.toMatch(/[\x06\x15]/);
  });

  it('without a packet host, DLE SOH is an echo-off line starting with Ctrl-A (before 2v25)', () => {
    const h = connectedRepl();
    expect(h.type('\x10\x01print(1)\n')).toBe('1\r\n>');
  });

  it('reset() forgets a packet half received', () => {
    const b = board();
    b.type(encodePacket(PacketType.EVAL, 'abc').slice(0, 4));
    b.repl.resetConsoleState();
    expect(b.host.timerPending).toBe(false);
    b.repl.showPrompt();
    b.take();
    expect(b.type('3\n')).toBe('3\r\n=3\r\n>');
  });
});
