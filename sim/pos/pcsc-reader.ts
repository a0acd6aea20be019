/**
 * A real PC/SC contactless reader as the terminal kernel's transport: the
 * kernel (terminal.ts) sends its APDUs through a `ReaderLink`
 * (sim/nfc/contactless.ts); on the virtual field that is the ISO-DEP link of
 * field.ts, here it is the PC/SC card handle of a reader the host drives
 * (an ACR122U / ACR1252U, an Identiv uTrust, … or vsmartcard's virtual reader
 * vpcd), through pcscd with the `@pokusew/pcsclite` bindings.
 *
 * The reader polls for the card itself and reports it present with the ATR it
 * builds from the card's ATS (protocols/pcsc/contactless-atr.ts); the
 * ISO-DEP blocks, chaining and WTX are the reader's business, so the kernel
 * sees whole APDUs as it does on the virtual field. A card that leaves the
 * field (SCARD_W_REMOVED_CARD and its kin, or an answer without a status
 * word) rejects the APDU in flight with FieldLost, as the virtual field's
 * link does.
 *
 * `@pokusew/pcsclite` is a native addon built against libpcsclite at
 * `npm install`; it is an optional dependency, loaded when a reader is
 * opened: without it (or without pcscd) `open` throws PcscUnavailable with
 * what is missing.
 */
import { createRequire } from 'node:module';
import { REAL_TIMERS } from '../clock/paced-driver';
import { FieldLost, type ReaderLink } from '../nfc/contactless';

/** The part of @pokusew/pcsclite's API (its index.d.ts) used here; typed here because the package is optional. */
interface PcscStatus {
  state: number;
  atr?: Buffer;
}
interface PcscCardReader {
  readonly name: string;
  readonly connected: boolean;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_UNPOWER_CARD: number;
  on(event: 'status', listener: (status: PcscStatus) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  on(event: 'end', listener: () => void): this;
  connect(options: { share_mode?: number; protocol?: number }, callback: (error: Error | null | undefined, protocol: number) => void): void;
  disconnect(disposition: number, callback: (error: Error | null | undefined) => void): void;
  transmit(data: Buffer, responseLength: number, protocol: number, callback: (error: Error | null | undefined, response: Buffer) => void): void;
  close(): void;
}
interface PcscLite {
  on(event: 'reader', listener: (reader: PcscCardReader) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  close(): void;
}

/** PC/SC is not there: the bindings are not installed or did not build, or pcscd does not answer. */
export class PcscUnavailable extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'PcscUnavailable';
  }
}

/** PC/SC return codes (pcsc-lite's pcsclite.h) that mean the card is no longer in the reader's field. */
const CARD_GONE = [
  0x8010000c, // SCARD_E_NO_SMARTCARD
  0x80100016, // SCARD_E_NOT_TRANSACTED
  0x80100066, // SCARD_W_UNRESPONSIVE_CARD
  0x80100067, // SCARD_W_UNPOWERED_CARD
  0x80100068, // SCARD_W_RESET_CARD
  0x80100069, // SCARD_W_REMOVED_CARD
];
/** A short APDU's longest answer: 256 data bytes and the status word. */
const MAX_RESPONSE = 258;

/** The bindings, or PcscUnavailable saying why not. */
export function loadPcsclite(): () => PcscLite {
  try {
    return createRequire(import.meta.url)('@pokusew/pcsclite') as () => PcscLite;
  } catch (error) {
    throw new PcscUnavailable(
      `the PC/SC bindings (@pokusew/pcsclite, an optional dependency) are not installed or did not build: ${(error as Error).message.split('\n')[0]} ` +
      '(they build at npm install with libpcsclite-dev, g++, make and python3 present)',
    );
  }
}

export interface PcscReaderOptions {
  /** A part of the reader's name to pick it by (PC/SC names, e.g. "ACR122", "Virtual PCD 00 00"); default the first reader. */
  name?: string;
  /** How long to wait for pcscd to list a matching reader (ms, default 5000). */
  readerTimeoutMs?: number;
}

export class PcscReader {
  private state = 0;
  private atr: Uint8Array | undefined;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(private readonly pcsc: PcscLite, private readonly reader: PcscCardReader, private readonly others: PcscCardReader[]) {
    reader.on('status', (status) => {
      this.state = status.state;
      this.atr = status.atr && status.atr.length > 0 ? Uint8Array.from(status.atr) : undefined;
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** The reader's PC/SC name. */
  get name(): string {
    return this.reader.name;
  }

  /** Opens the PC/SC context and waits for a reader whose name contains `options.name`. */
  static async open(options: PcscReaderOptions = {}): Promise<PcscReader> {
    const pcsc = loadPcsclite()();
    const timeoutMs = options.readerTimeoutMs ?? 5000;
    const seen: PcscCardReader[] = [];
    try {
      const reader = await new Promise<PcscCardReader>((resolve, reject) => {
        const timer = REAL_TIMERS.setTimeout(() => reject(new PcscUnavailable(
          `no PC/SC reader${options.name ? ` named like "${options.name}"` : ''} within ${timeoutMs} ms (readers: ${seen.length ? seen.map((r) => r.name).join(', ') : 'none'})`,
        )), timeoutMs);
        pcsc.on('error', (error) => {
          REAL_TIMERS.clearTimeout(timer);
          reject(new PcscUnavailable(`pcscd: ${error.message}`));
        });
        pcsc.on('reader', (r) => {
          seen.push(r);
          r.on('error', () => undefined); // every reader's status loop fails when pcscd goes; the one in use reports it on its next call
          if (options.name !== undefined && !r.name.includes(options.name)) return;
          REAL_TIMERS.clearTimeout(timer);
          resolve(r);
        });
      });
      return new PcscReader(pcsc, reader, seen);
    } catch (error) {
      for (const r of seen) r.close();
      pcsc.close();
      throw error;
    }
  }

  /** Whether the reader reports a card in its field now. */
  cardPresent(): boolean {
    return (this.state & this.reader.SCARD_STATE_PRESENT) !== 0 && (this.state & this.reader.SCARD_STATE_MUTE) === 0;
  }

  /** Waits up to `timeoutMs` for a card and connects to it: the card's link, or undefined when none came. */
  async waitForCard(timeoutMs: number): Promise<PcscCard | undefined> {
    if (!(await this.until(() => this.cardPresent(), timeoutMs))) return undefined;
    const reader = this.reader;
    try {
      const protocol = await new Promise<number>((resolve, reject) => {
        reader.connect({ share_mode: reader.SCARD_SHARE_EXCLUSIVE, protocol: reader.SCARD_PROTOCOL_T0 | reader.SCARD_PROTOCOL_T1 }, (error, p) => (error ? reject(error) : resolve(p)));
      });
      return new PcscCard(reader, protocol, this.atr ?? new Uint8Array(0));
    } catch (error) {
      if (cardGone(error)) return undefined; // it left between the status and the connect
      throw error;
    }
  }

  /** Waits up to `timeoutMs` until the reader reports no card; whether it did. */
  waitForNoCard(timeoutMs: number): Promise<boolean> {
    return this.until(() => !this.cardPresent(), timeoutMs);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const wake of [...this.waiters]) wake();
    for (const r of new Set([this.reader, ...this.others])) r.close();
    this.pcsc.close();
  }

  private until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        REAL_TIMERS.clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(result);
      };
      const wake = () => {
        if (this.closed) done(false);
        else if (check()) done(true);
      };
      const timer = REAL_TIMERS.setTimeout(() => done(check()), timeoutMs);
      this.waiters.add(wake);
    });
  }
}

/** A card connected in a PC/SC reader: the kernel's ReaderLink. */
export class PcscCard implements ReaderLink {
  private released = false;

  constructor(private readonly reader: PcscCardReader, private readonly protocol: number, readonly atr: Uint8Array) {}

  async transceive(apdu: Uint8Array): Promise<Uint8Array> {
    if (this.released) throw new FieldLost('the reader let go of the card');
    try {
      const response = await new Promise<Buffer>((resolve, reject) => {
        this.reader.transmit(Buffer.from(apdu), MAX_RESPONSE, this.protocol, (error, data) => (error ? reject(error) : resolve(data)));
      });
      // Every answer carries SW1 SW2 (ISO/IEC 7816-4 5.1); a reader returning less got none from the card (vpcd
      // returns an empty answer when its card has gone): the card left.
      if (response.length < 2) throw new FieldLost(`the card did not answer (the reader returned ${response.length} bytes)`);
      return Uint8Array.from(response);
    } catch (error) {
      if (error instanceof FieldLost) throw error;
      if (cardGone(error)) throw new FieldLost(`the card left the reader's field (${(error as Error).message})`);
      throw error;
    }
  }

  /** SCardDisconnect with SCARD_UNPOWER_CARD: the reader powers the card down (a contactless reader drops its field to it). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await new Promise<void>((resolve) => {
      this.reader.disconnect(this.reader.SCARD_UNPOWER_CARD, () => resolve()); // a card already gone is released too
    });
  }
}

function cardGone(error: unknown): boolean {
  const code = /\(0x([0-9a-f]{8})\)/i.exec(String((error as Error)?.message ?? ''))?.[1];
  return code !== undefined && CARD_GONE.includes(parseInt(code, 16));
}
