/**
 * NOR flash as the nRF52 presents it to Espruino's Storage: erased bytes read
 * 0xFF, programming can only clear bits (new = old AND data), and only a whole
 * page erase sets bits back to 1 (nRF52832 Product Specification v1.4, 11.1
 * "NVMC": write turns 1s into 0s, erase is per 4 kB page).
 *
 * The object outlives any board context: pass the same instance to a new
 * VirtualBoard and the files are still there, as on a real chip.
 *
 * Fault injection: `cutPowerAfterBytes(n)` arms a power cut that fires when
 * the n-th byte from now is programmed. The NVMC writes whole 32-bit words
 * (nRF52832 PS v1.4, 11.1: "Only full 32-bit words can be written to Flash";
 * Espruino's jshFlashWrite pads partial words with 0xFF), so the word that
 * holds that byte is completed and the cut falls between two words: a power
 * cut never leaves half a word, e.g. half of a Storage header's size field.
 */
export interface FlashOptions {
  /** Bytes per erase page (nRF52: 4096). */
  pageSize?: number;
  /** Number of pages reserved for Storage (Puck.js 2v29: 10). */
  pageCount?: number;
  /** Address of the first byte, as Espruino sees it (only used in Storage.hash). */
  baseAddress?: number;
}

export type PowerCutListener = () => void;

/** The NVMC's unit of programming. */
const WORD_BYTES = 4;

export class FlashMemory {
  readonly pageSize: number;
  readonly pageCount: number;
  readonly baseAddress: number;
  private readonly bytes: Uint8Array;
  private cutCountdown: number | undefined;
  private cutListener: PowerCutListener | undefined;
  /** Totals for wear and tests. */
  programmedBytes = 0;
  pageErases = 0;

  constructor(options: FlashOptions = {}) {
    this.pageSize = options.pageSize ?? 4096;
    this.pageCount = options.pageCount ?? 10;
    // Puck.js: saved code starts at page 118-10 (boards/PUCKJS.py, 'saved_code').
    this.baseAddress = options.baseAddress ?? (118 - 10) * 4096;
    this.bytes = new Uint8Array(this.pageSize * this.pageCount).fill(0xff);
  }

  get sizeBytes(): number {
    return this.bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    this.checkRange(offset, length);
    return this.bytes.slice(offset, offset + length);
  }

  readByte(offset: number): number {
    this.checkRange(offset, 1);
    return this.bytes[offset]!;
  }

  /** Programs bytes: each stored byte becomes old AND new. May cut power part-way, between two words (see cutPowerAfterBytes). */
  program(offset: number, data: Uint8Array): void {
    this.checkRange(offset, data.length);
    let cutAt: number | undefined;
    for (let i = 0; i < data.length; i++) {
      this.bytes[offset + i] = this.bytes[offset + i]! & data[i]!;
      this.programmedBytes++;
      if (cutAt === undefined && this.cutCountdown !== undefined && --this.cutCountdown <= 0) {
        this.cutCountdown = undefined;
        cutAt = i;
      }
      // the word in progress is finished before the supply goes
      if (cutAt !== undefined && ((offset + i + 1) % WORD_BYTES === 0 || i === data.length - 1)) {
        const listener = this.cutListener;
        if (listener) listener();
        throw new PowerCut(`power cut after programming byte ${offset + i}`);
      }
    }
  }

  /** Erases the page that contains `offset` back to 0xFF. */
  erasePage(offset: number): void {
    this.checkRange(offset, 1);
    const start = offset - (offset % this.pageSize);
    this.bytes.fill(0xff, start, start + this.pageSize);
    this.pageErases++;
  }

  eraseAll(): void {
    for (let page = 0; page < this.pageCount; page++) this.erasePage(page * this.pageSize);
  }

  /** Arms a power cut: the n-th byte programmed from now is written with the rest of its word, then power goes. */
  cutPowerAfterBytes(n: number): void {
    if (!(n >= 1)) throw new Error('cutPowerAfterBytes: n must be >= 1');
    this.cutCountdown = Math.floor(n);
  }

  disarmPowerCut(): void {
    this.cutCountdown = undefined;
  }

  /** The board that owns this flash is told when the armed cut fires. */
  onPowerCut(listener: PowerCutListener | undefined): void {
    this.cutListener = listener;
  }

  /** A copy of the whole array (for tests and dumps). */
  snapshot(): Uint8Array {
    return this.bytes.slice();
  }

  private checkRange(offset: number, length: number): void {
    if (offset < 0 || length < 0 || offset + length > this.bytes.length || !Number.isInteger(offset)) {
      throw new RangeError(`flash access out of range: ${offset}+${length} of ${this.bytes.length}`);
    }
  }
}

/** Thrown through the firmware's stack when the supply disappears mid-write. */
export class PowerCut extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PowerCut';
  }
}
