/**
 * The wallet client: requests to the strap's wallet control point, written
 * against `GattAccess` only (firmware/ble/README.md, "Control point framing").
 * A request is a write `[seq, op, args…]`; the answer a notification
 * `[seq, op | 0x80, result, data…]`. The client numbers its requests (0–255,
 * wrapping), one at a time, waits for the answer up to a limit, and refuses an
 * answer that carries another sequence number or operation.
 *
 *   const wallet = phone.wallet();
 *   const { windowOpen, bonds, batteryPercent } = await wallet.status();
 *   await wallet.unlock();                        // the worn strap's card emulation comes on
 *   const kept = await wallet.transactions();     // newest first
 *   await wallet.suspend(); await wallet.resume(); // the token's state in the SE
 *   wallet.onStatus((s) => …);                    // after each tap and each change of card emulation
 *   const responses = await wallet.runScript([apdu, …]); // the chunked transfer: CRC-32, resumable
 *
 * The transfer characteristic has no sequence numbers: one exchange at a
 * time, the answer matched by its op ([op | 0x80, result, hi, lo, data…]).
 * `runScript` begins with the script's size and CRC-32: the strap answers
 * the offset it expects (0, or where an interrupted transfer of the same
 * script stopped), so calling it again after a reconnect resumes.
 */
import { crc32 } from '../../protocols/crc32';
import type { GattAccess } from './phone-gatt';
import type { PhoneDriver } from './phone-driver';
import type { PhoneLog } from './phone-log';

export const WALLET_SERVICE = '5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11';
export const CONTROL_POINT = '5a7e0002-3c4f-4e9a-9b1d-2f6e8a0c7d11';
export const TRANSFER = '5a7e0003-3c4f-4e9a-9b1d-2f6e8a0c7d11';
export const STATUS = '5a7e0004-3c4f-4e9a-9b1d-2f6e8a0c7d11';

export const WalletOp = { STATUS: 0x01, UNLOCK: 0x02, LOCK: 0x03, TRANSACTION: 0x04, SUSPEND: 0x05, RESUME: 0x06 } as const;
export const TransferOp = { BEGIN: 0x01, CHUNK: 0x02, READ: 0x03, DONE: 0x04 } as const;
export const WalletResult = { OK: 0, UNKNOWN_OP: 1, MALFORMED: 2, REFUSED: 3, BUSY: 4, SE: 5, OFFSET: 6, CRC: 7, TOO_LARGE: 8 } as const;
const RESULT_TEXT: Record<number, string> = {
  1: 'unknown op',
  2: 'malformed request',
  3: 'refused',
  4: 'busy, try again',
  5: 'the secure element refused',
  6: 'not the offset expected',
  7: 'CRC-32 mismatch, nothing run',
  8: 'too large',
};
/** The strap's longest script (firmware/ble/transfer.ts MAX_SCRIPT) and the data a chunk carries in a 20-octet write. */
export const MAX_SCRIPT = 1024;
const CHUNK_DATA = 17;

export interface WearerFlags {
  worn: boolean;
  unlocked: boolean;
  /** Card emulation is on: a terminal finds the card. */
  cardEmulation: boolean;
}

export interface WalletTransaction {
  atc: number;
  outcome: 'online' | 'declined';
  /** ISO 4217 numeric. */
  currency: number;
  /** Minor units, as the terminal sent it (0 when it did not). */
  amount: number;
}

export interface WalletStatusNotice extends WearerFlags {
  /** How many transactions the strap keeps. */
  kept: number;
  newest?: WalletTransaction;
}

/** Each command APDU as [length hi, lo, APDU] (firmware/ble/README.md, "Transfer"). */
export function encodeScript(apdus: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(apdus.flatMap((a) => [a.length >> 8, a.length & 0xff, ...a]));
}

/** The responses, [length hi, lo, response APDU] each; throws on a length that runs past the end. */
export function decodeResponses(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = (bytes[i]! << 8) | (bytes[i + 1] ?? 0);
    if (i + 2 + n > bytes.length) throw new Error(`a response of ${n} octets runs past the end (${bytes.length})`);
    out.push(bytes.slice(i + 2, i + 2 + n));
    i += n + 2;
  }
  return out;
}

const flagsOf = (b: number): WearerFlags => ({ worn: (b & 1) !== 0, unlocked: (b & 2) !== 0, cardEmulation: (b & 4) !== 0 });
const transactionOf = (d: Uint8Array, at: number): WalletTransaction | undefined =>
  d.length < at + 9
    ? undefined
    : {
        atc: (d[at]! << 8) | d[at + 1]!,
        outcome: d[at + 2] === 0 ? 'online' : 'declined',
        currency: (d[at + 3]! << 8) | d[at + 4]!,
        amount: ((d[at + 5]! << 24) | (d[at + 6]! << 16) | (d[at + 7]! << 8) | d[at + 8]!) >>> 0,
      };

/** The status characteristic's value: [flags, kept, newest transaction (9)]. */
export function decodeStatus(value: Uint8Array): WalletStatusNotice {
  const newest = transactionOf(value, 2);
  return { ...flagsOf(value[0] ?? 0), kept: value[1] ?? 0, ...(newest ? { newest } : {}) };
}

export interface WalletStatus {
  windowOpen: boolean;
  bonds: number;
  batteryPercent: number;
}

export interface WalletClientOptions {
  /** How long to wait for an answer (default 5 s). */
  timeoutMs?: number;
  /** The first sequence number (default 0). */
  firstSeq?: number;
}

export class WalletClient {
  private seq: number;
  private subscribed = false;
  private readonly heard: Uint8Array[] = [];
  private waiting: ((value: Uint8Array) => void) | undefined;
  private transferSubscribed = false;
  private readonly transferHeard: Uint8Array[] = [];
  private transferWaiting: ((value: Uint8Array) => void) | undefined;
  private readonly timeoutMs: number;

  constructor(
    private readonly gatt: GattAccess,
    private readonly driver: PhoneDriver,
    private readonly log: PhoneLog,
    options: WalletClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.seq = (options.firstSeq ?? 0) & 0xff;
  }

  /** op 0x01: the pairing window, the strap's bond count, its battery. */
  async status(): Promise<WalletStatus> {
    const data = await this.request(WalletOp.STATUS);
    const [window, bonds, battery] = data;
    if (window === undefined || bonds === undefined || battery === undefined) throw this.log.fail('wallet', `status answer too short: ${hex(data)}`);
    const status = { windowOpen: window === 1, bonds, batteryPercent: battery };
    this.log.ok('wallet', `status: window ${status.windowOpen ? 'open' : 'shut'}, ${bonds} bond${bonds === 1 ? '' : 's'}, battery ${battery} %`);
    return status;
  }

  /** op 0x02: unlocks the worn strap (card emulation comes on shortly); refused (3) while the clasp is open. */
  async unlock(): Promise<WearerFlags> {
    const flags = flagsOf((await this.request(WalletOp.UNLOCK))[0] ?? 0);
    this.log.ok('wallet', 'unlocked');
    return flags;
  }

  /** op 0x03: locks the strap (card emulation goes off). */
  async lock(): Promise<WearerFlags> {
    const flags = flagsOf((await this.request(WalletOp.LOCK))[0] ?? 0);
    this.log.ok('wallet', 'locked');
    return flags;
  }

  /** op 0x04: the kept transactions, newest first (one request for the count, one per transaction). */
  async transactions(): Promise<WalletTransaction[]> {
    const count = (await this.request(WalletOp.TRANSACTION))[0] ?? 0;
    const list: WalletTransaction[] = [];
    for (let i = 0; i < count; i++) {
      const tx = transactionOf(await this.request(WalletOp.TRANSACTION, Uint8Array.of(i)), 1);
      if (!tx) throw this.log.fail('wallet', `transaction ${i} of ${count}: answer too short`);
      list.push(tx);
    }
    this.log.ok('wallet', `${list.length} transaction${list.length === 1 ? '' : 's'}`);
    return list;
  }

  /** op 0x05: the SE's token suspended (a tap is then declined at the card). */
  async suspend(): Promise<void> {
    await this.request(WalletOp.SUSPEND);
    this.log.ok('wallet', 'token suspended');
  }

  /** op 0x06: the SE's token active again. */
  async resume(): Promise<void> {
    await this.request(WalletOp.RESUME);
    this.log.ok('wallet', 'token active');
  }

  /** The status characteristic: `listener` hears each notification (after each tap, each change of card emulation). */
  async onStatus(listener: (status: WalletStatusNotice) => void): Promise<void> {
    await this.gatt.subscribe(WALLET_SERVICE, STATUS, (value) => listener(decodeStatus(value)));
  }

  /** The status characteristic's current value. */
  async readStatus(): Promise<WalletStatusNotice> {
    return decodeStatus(await this.gatt.read(WALLET_SERVICE, STATUS));
  }

  /**
   * Sends an APDU script over the transfer characteristic and returns the SE's responses (the strap stops after
   * the first that is not 9000). Resumes where the strap stopped receiving this same script (size and CRC-32).
   * `stopAfterChunks` ends the call early (a PhoneError) after that many chunks: for tests of an interrupted transfer.
   */
  async runScript(apdus: readonly Uint8Array[], options: { stopAfterChunks?: number } = {}): Promise<Uint8Array[]> {
    const script = encodeScript(apdus);
    const crc = crc32(script);
    const begun = await this.transfer(TransferOp.BEGIN, Uint8Array.of(script.length >> 8, script.length & 0xff, crc >>> 24, (crc >> 16) & 0xff, (crc >> 8) & 0xff, crc & 0xff));
    let at = begun.n;
    if (at > 0) this.log.ok('wallet', `transfer resumed at ${at} of ${script.length}`);
    let chunks = 0;
    let last = begun;
    while (at < script.length) {
      if (options.stopAfterChunks !== undefined && chunks === options.stopAfterChunks) throw this.log.fail('wallet', `transfer stopped at ${at} of ${script.length}`);
      const data = script.subarray(at, at + CHUNK_DATA);
      last = await this.transfer(TransferOp.CHUNK, Uint8Array.of(at >> 8, at & 0xff, ...data), true);
      if (last.result === WalletResult.OFFSET) {
        at = last.n;
        continue;
      }
      at = last.n;
      chunks++;
    }
    const done = await this.heardTransfer(TransferOp.DONE);
    this.check(TransferOp.DONE, done.result);
    const out: number[] = [];
    while (out.length < done.n) {
      const read = await this.transfer(TransferOp.READ, Uint8Array.of(out.length >> 8, out.length & 0xff));
      if (read.data.length === 0) throw this.log.fail('wallet', `responses: nothing at ${out.length} of ${done.n}`);
      out.push(...read.data);
    }
    const responses = decodeResponses(Uint8Array.from(out));
    this.log.ok('wallet', `script of ${apdus.length} APDU${apdus.length === 1 ? '' : 's'} (${script.length} octets) run: ${responses.length} response${responses.length === 1 ? '' : 's'}`);
    return responses;
  }

  /** One write to the transfer characteristic and its answer [op | 0x80, result, n hi, lo, data…]; `offsetOk`: an OFFSET answer is returned, not thrown. */
  async transfer(op: number, args: Uint8Array, offsetOk = false): Promise<{ result: number; n: number; data: Uint8Array }> {
    if (!this.transferSubscribed) {
      await this.gatt.subscribe(WALLET_SERVICE, TRANSFER, (value) => this.heardTransferValue(value));
      this.transferSubscribed = true;
    }
    this.transferHeard.length = 0;
    await this.gatt.write(WALLET_SERVICE, TRANSFER, Uint8Array.of(op, ...args));
    const answer = await this.heardTransfer(op);
    if (!(offsetOk && answer.result === WalletResult.OFFSET)) this.check(op, answer.result);
    return answer;
  }

  private async heardTransfer(op: number): Promise<{ result: number; n: number; data: Uint8Array }> {
    const answer = await this.driver
      .wait<Uint8Array>(`the transfer's answer to op ${op}`, this.timeoutMs, (done) => {
        const early = this.transferHeard.shift();
        if (early) return done(early);
        this.transferWaiting = done;
      })
      .catch(() => {
        throw this.log.fail('wallet', `no transfer answer to op 0x${hexByte(op)} within ${this.timeoutMs / 1000} s`);
      })
      .finally(() => (this.transferWaiting = undefined));
    if (answer.length < 4 || answer[0] !== (op | 0x80)) throw this.log.fail('wallet', `transfer: expected the answer to op 0x${hexByte(op)}, heard ${hex(answer)}`);
    return { result: answer[1]!, n: (answer[2]! << 8) | answer[3]!, data: answer.subarray(4) };
  }

  private check(op: number, result: number): void {
    if (result !== WalletResult.OK) throw this.log.fail('wallet', `transfer op 0x${hexByte(op)} refused: ${RESULT_TEXT[result] ?? 'result ' + result}`, result);
  }

  private heardTransferValue(value: Uint8Array): void {
    const waiting = this.transferWaiting;
    this.transferWaiting = undefined;
    if (waiting) waiting(value);
    else this.transferHeard.push(value);
  }

  /** One request; the answer's data when its result is ok, else a PhoneError naming the result. */
  async request(op: number, args: Uint8Array = new Uint8Array(0)): Promise<Uint8Array> {
    if (!this.subscribed) {
      await this.gatt.subscribe(WALLET_SERVICE, CONTROL_POINT, (value) => this.heardValue(value));
      this.subscribed = true;
    }
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xff;
    this.heard.length = 0;
    await this.gatt.write(WALLET_SERVICE, CONTROL_POINT, Uint8Array.of(seq, op, ...args));
    const answer = await this.driver
      .wait<Uint8Array>(`the wallet's answer to request ${seq}`, this.timeoutMs, (done) => {
        const early = this.heard.shift();
        if (early) return done(early);
        this.waiting = done;
      })
      .catch(() => {
        throw this.log.fail('wallet', `no answer to request ${seq} (op 0x${hexByte(op)}) within ${this.timeoutMs / 1000} s`);
      })
      .finally(() => (this.waiting = undefined));
    if (answer.length < 3) throw this.log.fail('wallet', `answer too short (${answer.length} octets): ${hex(answer)}`);
    if (answer[0] !== seq) throw this.log.fail('wallet', `answer with sequence ${answer[0]} to request ${seq}: not this request's answer`);
    if (answer[1] !== (op | 0x80)) throw this.log.fail('wallet', `answer to op 0x${hexByte(answer[1]! & 0x7f)} for request ${seq} (op 0x${hexByte(op)})`);
    const result = answer[2]!;
    if (result !== WalletResult.OK) {
      const why = op === WalletOp.UNLOCK && result === WalletResult.REFUSED ? 'the strap is not worn (clasp open)' : (RESULT_TEXT[result] ?? 'result ' + result);
      throw this.log.fail('wallet', `request ${seq} (op 0x${hexByte(op)}) refused: ${why}`, result);
    }
    return answer.subarray(3);
  }

  private heardValue(value: Uint8Array): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting(value);
    else this.heard.push(value);
  }
}

const hexByte = (n: number) => n.toString(16).padStart(2, '0');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
