/**
 * Frames the strap prints, strap → host, found among its log lines. The
 * frame layout and its codec: protocols/strap-rpc/frame.ts.
 *
 * A line may carry other bytes before the RS (a prompt, an ANSI redraw,
 * noise) and, when a line end was lost, several frames: each RS starts a new
 * candidate, so one bad frame never hides the next.
 *
 * A console client may hand over lines with control bytes removed (cleaned
 * for people, host-bridge/console): then a frame is recognised by its layout
 * and a matching CRC alone, wherever it starts on the line. Damage to such a
 * frame makes it look like a log line, so it costs a timeout, not a retry at once.
 */
import { FRAME_START, parseFrame, type BoardFrame, type EventFrame, type ReplyFrame } from '../../protocols/strap-rpc/frame';

export interface ScannedLine {
  /** Text before the first RS, with ANSI control sequences and CRs removed (a log line, or ''). */
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

function cleanLog(text: string): string {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
}
