/**
 * The payments side of the wallet service (firmware/ble/README.md, "Wallet
 * ops"): the control point's unlock, lock, transaction, suspend and resume
 * ops, the status characteristic's bytes, and the transfer's APDU scripts,
 * all run here; ble/ carries the bytes.
 *
 *   wearer flags   b0 worn, b1 unlocked, b2 card emulation on
 *   transaction    ATC (2), outcome (0 online, 1 declined), currency (2,
 *                  ISO 4217 numeric), amount (4, minor units), big-endian
 *   status         [flags, kept transactions, the newest transaction]
 *
 * Suspend and resume send the payment applet its host command SET TOKEN
 * STATE ('80 C6 0S 00', S 02 suspended, 01 active; sim/se/payment/README.md)
 * after SELECT, over the SE's host interface. The SE takes host commands
 * from its host interface only (the contactless side answers 6D00): the
 * strap is trusted with the token's state, and a bonded, MITM-authenticated
 * phone is the one that may ask it. Nothing secret crosses BLE for it.
 *
 * A script is a sequence of [length hi, lo, command APDU]; its responses
 * come back the same way, stopping after the first that is not 9000. The
 * strap forwards the bytes: SCP03 wrapping and the SELECT of the ISD are the
 * script's (the SE's host side starts a session with the ISD selected).
 */
import type { WalletOp } from '../ble/wallet-protocol';
import type { Transaction } from '../console/rpc-types';
import { host, lock, SELECT_PAYMENT, unlock, wearerState } from './card-emulation';

// The wire's results (ble/wallet-protocol.ts Result; wallet.test.ts holds them equal).
const OK = 0;
const MALFORMED = 2;
const REFUSED = 3;
const BUSY = 4;
const SE = 5;

export interface Wallet {
  /** The ops but status (ble/ answers that one). */
  op: WalletOp;
  /** A script's bytes as a string (the transfer reads it from Storage: on Espruino a string pointing into flash). */
  script(script: string, done: (result: number, responses?: Uint8Array) => void): void;
  /** The status characteristic's value. */
  status(): number[];
}

// One wallet per strap (boot starts it once): what it reads is this module's, its functions sit at the
// bundle's top level, where Espruino links a function to its scope in one variable (src/jsparse.c
// jspeiGetScopesAsVar: nested deeper, a copy of the scope list).
// Card emulation is one per strap too: its functions are called directly.
let last: () => Transaction[];
/**
 * The running script's end, for `hosted`, a module function: a closure made per script would keep that call's
 * locals while the script runs and its responses grow (the busiest flow's peak).
 */
let ran: ((result: number, responses?: Uint8Array) => void) | undefined;

function hosted(r: Uint8Array | undefined): void {
  const done = ran!;
  ran = undefined;
  done(r ? OK : BUSY, r);
}

export function startWallet(kept: () => Transaction[]): Wallet {
  last = kept;
  ran = undefined;
  return WALLET;
}

function flags(): number {
  const s = wearerState();
  return (s.worn ? 1 : 0) | (s.unlocked ? 2 : 0) | (s.ce === 'on' ? 4 : 0);
}

function tx(t: Transaction | undefined): number[] {
  if (!t) return [];
  const a = t.amount;
  return [t.atc >> 8, t.atc & 255, t.outcome === 'online' ? 0 : 1, t.currency >> 8, t.currency & 255, a >>> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255];
}

/**
 * 2 unlock (refused while the clasp is open), 3 lock: both answer the flags. 4 [index]: how many are kept, and
 * that one (none past the end or without an index). 5 suspend (state 02), 6 resume (01): the answer carries the
 * applet's status word. One function for all: fewer kept functions (ble/wallet-protocol.ts WalletOp).
 */
function walletOp(op: number, args: Uint8Array, answer: (result: number, data?: number[]) => void): boolean {
  if (op === 2 || op === 3) {
    const result = op > 2 ? OK : unlock() ? OK : REFUSED;
    if (op > 2) lock();
    answer(result, [flags()]);
  } else if (op === 4) {
    const list = last();
    answer(OK, [list.length].concat(tx(list[args[0]!])));
  } else if (op === 5 || op === 6) {
    host('\x00' + String.fromCharCode(SELECT_PAYMENT.length) + SELECT_PAYMENT + '\x00\x04\x80\xc6' + String.fromCharCode(7 - op) + '\x00', function (r, count) {
      if (!r) return answer(BUSY);
      // The last response's status word ends the responses.
      const n = r.length;
      answer(count === 2 && r[n - 2] === 0x90 && !r[n - 1] ? OK : SE, [r[n - 2] || 0, r[n - 1] || 0]);
    });
  } else return false;
  return true;
}

const WALLET: Wallet = {
  op: walletOp,
  script: function (s, done) {
    let i = 0;
    while (i + 6 <= s.length) {
      const n = (s.charCodeAt(i) << 8) | s.charCodeAt(i + 1);
      // A command APDU has at least its 4-octet header.
      if (n < 4) break;
      i += n + 2;
    }
    if (i !== s.length) return done(MALFORMED);
    // One script at a time (the transfer holds one): another while it runs is busy, as card emulation says.
    if (ran) return done(BUSY);
    // The script as it came and its responses as they go back: framed alike, by card emulation.
    ran = done;
    host(s, hosted);
  },
  status: function () {
    const list = last();
    return [flags(), list.length].concat(tx(list[0]));
  },
};
