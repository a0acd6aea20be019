/**
 * Reply frame ids: FRAME_ID_LENGTH chars of [0-9a-z], counting up from a
 * random start, so a late frame from an earlier command (or an earlier
 * session on the same board) is never taken for the current one.
 */
import { FRAME_ID_LENGTH } from './wire-format';

const SPACE = 36 ** FRAME_ID_LENGTH;

export class FrameIds {
  private n: number;

  constructor(start = Math.floor(Math.random() * SPACE)) {
    this.n = start % SPACE;
  }

  next(): string {
    this.n = (this.n + 1) % SPACE;
    return this.n.toString(36).padStart(FRAME_ID_LENGTH, '0');
  }
}
