/**
 * Frames the strap prints, strap → host, found among its log lines.
 *
 *   RS "R|" id "|" ("1" | "0") "|" json "|" crc8      a reply (1: result, 0: {code, message?})
 *   RS "E|" boots "|" seq "|" name "|" json "|" crc8  an event
 *
 * RS is 0x1E; crc8 is the CRC-32 (frame-crc.ts) of everything between RS and
 * the last "|". A line may carry other bytes before the RS (a prompt, an
 * ANSI redraw, noise) and, when a line end was lost, several frames: each RS
 * starts a new candidate, so one bad frame never hides the next.
 *
 * A console client may hand over lines with control bytes removed (cleaned
 * for people, host-bridge/console): then a frame is recognised by its layout
 * and a matching CRC alone, wherever it starts on the line. Damage to such a
 * frame makes it look like a log line, so it costs a timeout, not a retry at once.
 */
import { parseBoardJson } from './ascii-json';
import { crcHex } from './frame-crc';

export const FRAME_START = '\x1e';

export interface ReplyFrame {
  kind: 'reply';
  /** Empty when the strap could not read the request's id (bad-frame, too-long). */
  id: string;
  ok: boolean;
  /** The result, or the error object when !ok. */
  value: unknown;
}

export interface EventFrame {
  kind: 'event';
  boots: number;
  seq: number;
  name: string;
  data: unknown;
}

export interface CorruptFrame {
  kind: 'corrupt';
  reason: 'crc' | 'layout' | 'json';
  text: string;
  /** The reply id, when the damaged frame still shows one (not trustworthy, a hint). */
  idHint?: string;
}

export type BoardFrame = ReplyFrame | EventFrame | CorruptFrame;

export interface ScannedLine {
  /** Text before the first STX, with ANSI control sequences and CRs removed (a log line, or ''). */
  text: string;
  frames: BoardFrame[];
}

export function scanLine(line: string): ScannedLine {
  if (line.includes(FRAME_START)) {
    const parts = line.split(FRAME_START);
    return { text: cleanLog(parts[0]!), frames: parts.slice(1).map(parseFrame) };
  }
  const bare = findBareFrame(line);
  if (bare) return { text: cleanLog(line.slice(0, bare.at)), frames: [bare.frame] };
  return { text: cleanLog(line), frames: [] };
}

/** One frame's text (after STX); trailing whitespace is ignored. */
export function parseFrame(raw: string): BoardFrame {
  const text = raw.replace(/\s+$/, '');
  const bar = text.lastIndexOf('|');
  const body = text.slice(0, bar);
  const crc = text.slice(bar + 1);
  if (bar < 0 || !/^[0-9a-f]{8}$/.test(crc)) return corrupt('layout', text);
  if (crcHex(body) !== crc) return corrupt('crc', text);
  const fields = body.split('|');
  if (fields[0] === 'R' && fields.length >= 4 && (fields[2] === '1' || fields[2] === '0')) {
    const value = json(fields.slice(3).join('|'));
    if (value === FAILED) return corrupt('json', text);
    return { kind: 'reply', id: fields[1]!, ok: fields[2] === '1', value };
  }
  if (fields[0] === 'E' && fields.length >= 5 && /^\d+$/.test(fields[1]!) && /^\d+$/.test(fields[2]!)) {
    const data = json(fields.slice(4).join('|'));
    if (data === FAILED) return corrupt('json', text);
    return { kind: 'event', boots: Number(fields[1]), seq: Number(fields[2]), name: fields[3]!, data };
  }
  return corrupt('layout', text);
}

/** The first "R|" or "E|" from which the rest of the line is a frame with a matching CRC. */
function findBareFrame(line: string): { at: number; frame: ReplyFrame | EventFrame } | undefined {
  for (let at = line.search(/[RE]\|/); at >= 0; ) {
    const frame = parseFrame(line.slice(at));
    if (frame.kind !== 'corrupt') return { at, frame };
    const next = line.slice(at + 1).search(/[RE]\|/);
    at = next < 0 ? -1 : at + 1 + next;
  }
  return undefined;
}

const FAILED = Symbol('not json');

function json(text: string): unknown {
  try {
    return parseBoardJson(text);
  } catch {
    return FAILED;
  }
}

function corrupt(reason: CorruptFrame['reason'], text: string): CorruptFrame {
  const hint = /^R\|(\w+)\|/.exec(text);
  return hint ? { kind: 'corrupt', reason, text, idHint: hint[1] } : { kind: 'corrupt', reason, text };
}

function cleanLog(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
}
