import { describe, expect, it } from 'vitest';
import { WireScanner, type WireEvent } from './wire-scanner';

const scan = (s: WireScanner, text: string): WireEvent[] => s.push(Buffer.from(text, 'latin1'));
const kinds = (events: WireEvent[]) => events.map((e) => (e.kind === 'line' ? `line:${e.raw}` : e.kind === 'frame' ? `frame:${e.id}${e.tag}${e.payload}` : e.kind));

describe('wire scanner', () => {
  it('takes frames out of lines, in order, across chunk boundaries', () => {
    const s = new WireScanner();
    const events = [...scan(s, 'log 1\r\n>\x02abc123=[1,'), ...scan(s, '2]\x03abc1'), ...scan(s, '23\r\nlog 2\r\n')];
    expect(kinds(events)).toEqual(['line:log 1\r', 'frame:abc123=[1,2]', 'line:>\r', 'line:log 2\r']);
  });

  it('a frame broken by a newline is dropped and scanning resumes at the newline', () => {
    const s = new WireScanner();
    expect(kinds(scan(s, '\x02abc123="ab\r\ntick\r\n'))).toEqual(['dropped', 'line:\r', 'line:tick\r']);
  });

  it('a second STX inside a frame starts the next frame', () => {
    const s = new WireScanner();
    expect(kinds(scan(s, '\x02abc123="x\x02def456=1\x03def456'))).toEqual(['dropped', 'frame:def456=1']);
  });

  it('an ETX without a frame drops the half line and its id', () => {
    const s = new WireScanner();
    expect(kinds(scan(s, 'ab=3\x03abc123\r\nok\r\n'))).toEqual(['dropped', 'line:\r', 'line:ok\r']);
  });

  it('packets, ACK and NAK only in packet mode', () => {
    const text = new WireScanner();
    expect(kinds(scan(text, 'a\x06\x15\r\n'))).toEqual(['line:a\x06\x15\r']);
    const s = new WireScanner({ packets: true });
    const events = scan(s, 'x\x10\x01\x00\x03abc\x06y\x15\n\x10\x01\x80\x00');
    expect(kinds(events)).toEqual(['packet', 'ack', 'nak', 'line:xy', 'packet']);
    expect(events[0]).toMatchObject({ type: 0, data: Buffer.from('abc') });
    expect(events[4]).toMatchObject({ type: 0x8000, data: Buffer.alloc(0) });
  });

  it('an abandoned half packet is reported and text scanning goes on', () => {
    const s = new WireScanner({ packets: true });
    expect(scan(s, '\x10\x01\x00\x09abc')).toEqual([]);
    expect(s.inPacket).toBe(true);
    expect(kinds(s.abandonPacket())).toEqual(['dropped']);
    expect(kinds(scan(s, 'ok\n'))).toEqual(['line:ok']);
  });

  it('XON/XOFF are flow control, not text, also inside a frame; inside a packet they are data', () => {
    const s = new WireScanner({ packets: true });
    expect(kinds(scan(s, 'a\x13b\x11\n'))).toEqual(['xoff', 'xon', 'line:ab']);
    expect(kinds(scan(s, '\x02abc123=[1,\x132]\x03abc\x11123'))).toEqual(['xoff', 'xon', 'frame:abc123=[1,2]']);
    const events = scan(s, '\x10\x01\x80\x02\x11\x13');
    expect(kinds(events)).toEqual(['packet']);
    expect(events[0]).toMatchObject({ data: Buffer.from([0x11, 0x13]) });
  });
});
