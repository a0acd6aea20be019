import { describe, expect, it } from 'vitest';
import { frameCrc, parseFrame } from '../../protocols/strap-rpc/frame';
import { scanLine } from './board-frames';

const frame = (body: string) => `\x1e${body}|${frameCrc(body)}`;

describe('frames the strap prints, found among its log lines', () => {
  it('reads a reply frame: id, ok flag and JSON result', () => {
    expect(scanLine(frame('R|h1|1|{"mode":"normal"}'))).toEqual({ text: '', frames: [{ kind: 'reply', id: 'h1', ok: true, value: { mode: 'normal' } }] });
  });

  it('reads an error reply and an event frame', () => {
    expect(parseFrame(frame('R|h2|0|{"code":"unknown-method","message":"x"}').slice(1))).toEqual({ kind: 'reply', id: 'h2', ok: false, value: { code: 'unknown-method', message: 'x' } });
    expect(parseFrame(frame('E|3|7|btn|{"long":false}').slice(1))).toEqual({ kind: 'event', boots: 3, seq: 7, name: 'btn', data: { long: false } });
  });

  it('keeps "|" inside the JSON part', () => {
    expect(parseFrame(frame('R|h3|1|{"s":"a|b"}').slice(1))).toMatchObject({ kind: 'reply', value: { s: 'a|b' } });
  });

  it('finds a frame behind a prompt, an ANSI redraw or noise, and reports the log text before it', () => {
    expect(scanLine('>' + frame('R|h1|1|1')).frames[0]).toMatchObject({ kind: 'reply', id: 'h1' });
    expect(scanLine('\r\x1b[J' + frame('R|h1|1|1')).frames[0]).toMatchObject({ kind: 'reply' });
    expect(scanLine('\r\x1b[J[btn] press 93ms')).toEqual({ text: '[btn] press 93ms', frames: [] });
  });

  it('ignores trailing CR and spaces after the CRC', () => {
    expect(scanLine(frame('R|h1|1|true') + '\r').frames[0]).toMatchObject({ kind: 'reply', value: true });
  });

  it('refuses a frame whose CRC does not match, keeping the id as a hint only', () => {
    const damaged = frame('R|h9|1|{"battPct":100}').replace('100', '180');
    expect(scanLine(damaged).frames[0]).toEqual({ kind: 'corrupt', reason: 'crc', text: damaged.slice(1), idHint: 'h9' });
  });

  it('refuses half a frame (the line was cut) and resyncs on the next STX of the same line', () => {
    const half = frame('R|h1|1|{"fw":"strap 0.1.0"}').slice(0, 12);
    const scanned = scanLine(half + frame('E|1|4|hb|{"upS":60}'));
    expect(scanned.frames.map((f) => f.kind)).toEqual(['corrupt', 'event']);
    expect(scanned.frames[0]).toMatchObject({ reason: 'layout' });
  });

  it('refuses a frame with a valid CRC but an unknown layout or bad JSON', () => {
    expect(parseFrame(frame('X|1|2').slice(1))).toMatchObject({ kind: 'corrupt', reason: 'layout' });
    expect(parseFrame(frame('E|x|1|hb|{}').slice(1))).toMatchObject({ kind: 'corrupt', reason: 'layout' });
    expect(parseFrame(frame('R|h1|1|{oops').slice(1))).toMatchObject({ kind: 'corrupt', reason: 'json', idHint: 'h1' });
  });

  it("accepts Espruino's \\xHH string escapes in the JSON", () => {
    expect(parseFrame(frame('R|h1|1|{"name":"caf\\xE9"}').slice(1))).toMatchObject({ value: { name: 'caf\u00e9' } });
    expect(parseFrame(frame('R|h1|1|"a\\\\xE9"').slice(1))).toMatchObject({ value: 'a\\xE9' });
  });

  it('finds a frame whose RS a console client stripped, by its layout and CRC, anywhere on the line', () => {
    const bare = frame('E|2|5|btn|{"long":false}').slice(1);
    expect(scanLine(bare)).toEqual({ text: '', frames: [{ kind: 'event', boots: 2, seq: 5, name: 'btn', data: { long: false } }] });
    expect(scanLine('noise R|x ' + frame('R|h1|1|"ok"').slice(1))).toMatchObject({ text: 'noise R|x ', frames: [{ kind: 'reply', id: 'h1', value: 'ok' }] });
  });

  it('keeps a line that only looks like a frame (no RS, CRC does not match) as a log line', () => {
    expect(scanLine('R|h1|1|"ok"|00000000')).toEqual({ text: 'R|h1|1|"ok"|00000000', frames: [] });
    expect(scanLine('E|rror: something')).toEqual({ text: 'E|rror: something', frames: [] });
  });

  it('leaves ordinary log lines alone', () => {
    expect(scanLine('[hb] up=60s batt=100% 4.20V mode=normal')).toEqual({ text: '[hb] up=60s batt=100% 4.20V mode=normal', frames: [] });
  });
});
