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
 */
import type { GattAccess } from './phone-gatt';
import type { PhoneDriver } from './phone-driver';
import type { PhoneLog } from './phone-log';

export const WALLET_SERVICE = '5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11';
export const CONTROL_POINT = '5a7e0002-3c4f-4e9a-9b1d-2f6e8a0c7d11';

export const WalletOp = { STATUS: 0x01 } as const;
export const WalletResult = { OK: 0, UNKNOWN_OP: 1, MALFORMED: 2 } as const;
const RESULT_TEXT: Record<number, string> = { 1: 'unknown op', 2: 'malformed request' };

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
    if (result !== WalletResult.OK) throw this.log.fail('wallet', `request ${seq} (op 0x${hexByte(op)}) refused: ${RESULT_TEXT[result] ?? 'result ' + result}`, result);
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
