/**
 * Espruino 2v25+ packets on the whole virtual board: EVAL in the firmware's
 * realm, FILE_SEND/DATA into the board's Storage (flash), EVENT to
 * E.on('packet'), the 1 s timeout on the board's clock.
 */
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board-test-kit';
import { PacketType } from '../../../protocols/espruino/packet';
import { encodePacket } from '../repl/packet-text';

function send(t: ReturnType<typeof startBoard>, bytes: string, ms = 1): string {
  t.take();
  t.board.console.input(bytes);
  t.board.run(ms);
  return t.take();
}

describe('packet protocol on the virtual board', () => {
  it('EVAL sees the firmware globals and answers in E.toJS form', () => {
    const t = startBoard();
    t.value('var strap = { status: function () { return { ok: true, mv: 3912 }; } }');
    expect(send(t, encodePacket(PacketType.EVAL, 'strap.status()'))).toBe(encodePacket(PacketType.RESPONSE, '{ok:true,mv:3912}') + '\x06');
    expect(send(t, encodePacket(PacketType.EVAL, 'process.env.VERSION'))).toBe(encodePacket(PacketType.RESPONSE, '"2v29"') + '\x06');
  });

  it('FILE_SEND and DATA write a Storage file that survives a power cycle', () => {
    const t = startBoard();
    const code = 'print("hi from storage")';
    expect(send(t, encodePacket(PacketType.FILE_SEND, JSON.stringify({ fn: 'app.js', s: code.length })))).toBe('\x06');
    expect(send(t, encodePacket(PacketType.DATA, code.slice(0, 10)))).toBe('\x06');
    expect(send(t, encodePacket(PacketType.DATA, code.slice(10)))).toBe('\x06');
    t.board.powerCycle(10);
    t.board.run(100);
    expect(t.board.readFile('app.js')).toBe(code);
    expect(t.type('load("app.js")', 10)).toContain('hi from storage');
  });

  it('a Storage failure during DATA is a NAK and Espruino\'s error text', () => {
    const t = startBoard();
    send(t, encodePacket(PacketType.FILE_SEND, '{"fn":"big","s":100000}'));
    const out = send(t, encodePacket(PacketType.DATA, 'x'));
    expect(out.startsWith('\x15')).toBe(true);
    expect(out).toContain('Uncaught Error:');
  });

  it('EVENT reaches E.on("packet") handlers with the parsed JSON', () => {
    const t = startBoard();
    t.value('E.on("packet", function (d) { print("got", d.t, d.n); })');
    const out = send(t, encodePacket(PacketType.EVENT, '{"t":"tap","n":2}'), 5);
    expect(out.startsWith('\x06')).toBe(true);
    expect(out).toContain('got tap 2');
  });

  it('an incomplete packet is NAKed after 1 s of board time', () => {
    const t = startBoard();
    expect(send(t, encodePacket(PacketType.EVAL, '1+1').slice(0, 5), 999)).toBe('');
    expect(send(t, '', 2)).toBe('\x15');
    expect(t.type('1+1')).toContain('=2');
  });
});
