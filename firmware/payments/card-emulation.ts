/**
 * Card emulation: the NFC controller listens with the secure element as its
 * card only while the strap is worn (the clasp's contact closed), unlocked
 * by the wearer's phone (the wallet service, payments/wallet.ts; the console
 * RPC for the bench) and admitted
 * by the power policy (the brownout guard for the SE's peak). The firmware
 * only turns it on and off; a tap's APDUs go reader → controller → SE.
 *
 * On (each step waits for the last one's answer):
 *   SE_EN high; T=1 S(soft reset) and S(IFS) (NXP UM11225 2.2); SELECT the
 *   payment applet and its host command SET WEARER VERIFIED '80 C4 01 00';
 *   S(end of APDU session) so the SE may sleep between taps;
 *   VEN high (the controller out of hard power-down) and its boot;
 *   NCI CORE_RESET (keep nothing) and CORE_INIT; RF_FIELD_INFO = 01 (field
 *   notifications); NFCEE_DISCOVER and NFCEE_MODE_SET enable of the embedded
 *   SE ('C0'); listen-mode routing of the PPSE and the Visa AID to it; NXP
 *   standby on (the controller sleeps until a field); RF_DISCOVER listen NFC-A
 *   (NFC Forum NCI 2.0 4.1-4.3, 6.3, 7.1; UM10936 9.6.1).
 * Off: RF_DEACTIVATE to idle (discovery stops), the flag cleared
 *   ('80 C4 00 00'), S(end of APDU session), SE_EN and VEN low: the
 *   controller in hard power-down, its lowest state (its standby keeps the
 *   field detector armed for nothing while card emulation is off). A failed step turns everything off and locks the strap; the
 *   wearer unlocks again.
 * The clasp opening locks the strap.
 *
 * Host access (`host`): command APDUs from the wallet (the token's state, an
 * APDU script for the issuer security domain) go to the SE over T=1 between
 * card emulation's own steps, never during them: while it starts or stops
 * the answer is busy. With card emulation off the SE is powered for them
 * (SE_EN, S(soft reset), S(IFS)) and off again after; either way the
 * exchange ends with S(end of APDU session).
 */
import type { CeState, WearerState } from '../console/rpc-types';
import { concatBytes } from '../drivers/concat-bytes';
import { command } from '../drivers/nfc-nci';
import { request, transceive } from '../drivers/se-t1';

/** The pins; the SE and the controller are their drivers' (openSe, openNci: one of each per strap, opened by boot/). */
export interface CardEmulationParts {
  /** The SE's power enable (board/strap-pins.ts SE_EN). */
  sePower: Pin;
  /** The NFC controller's VEN (board/strap-pins.ts NFC_VEN): low is its hard power-down. */
  nfcPower: Pin;
  /** The clasp's contact: high while closed (board/strap-pins.ts CLASP). */
  clasp: Pin;
}

/** What card emulation's module answers to (wallet.ts, the RPC methods, boot/): its exported functions. */
export interface CardEmulation {
  unlock: typeof unlock;
  lock: typeof lock;
  wearerState: typeof wearerState;
  recheck: typeof recheck;
  host: typeof host;
}

/**
 * The operations, one after another in a latin1 string (Espruino keeps a string in a variable per ~9
 * characters, an array of numbers in one per number): each is its code, how many bytes follow, and those
 * bytes, its arguments.
 */
/** SE_EN and VEN [bits: 1 SE_EN, 2 VEN]. */
const POWER = 0;
/** Wait [ms]. */
const WAIT = 1;
/** A T=1 S request [type, INF…] (NXP UM11225 Table 10): '0F' S(soft reset), '01' S(IFS) with the IFSD, '05' S(end of APDU session) (2.2). */
const S_BLOCK = 2;
/** A command APDU to the SE [bytes…]; it must answer 9000. */
const APDU = 3;
/** An NCI command [GID, OID, payload…] (the driver frames it; nfc-nci.ts names each layout); it must answer STATUS_OK. */
const NCI = 4;

/** SELECT of the payment applet by its AID (ISO/IEC 7816-4 SELECT by DF name): '00 A4 04 00 07', Visa's AID A0000000031010, '00'. */
export const SELECT_PAYMENT = '\x00\xa4\x04\x00\x07\xa0\x00\x00\x00\x03\x10\x10\x00';

// One card emulation per strap (boot starts it once): its state is this module's, its functions sit at the
// bundle's top level, where Espruino links a function to its scope in one variable (src/jsparse.c
// jspeiGetScopesAsVar: nested deeper, a copy of the scope list).
// The parts (not the object boot passed: it would cost its own variables and names).
let sePower: Pin;
let nfcPower: Pin;
let clasp: Pin;
let admitted: () => boolean;
let changed: (state: WearerState) => void;
let unlocked = false;
let ce: CeState = 'off';
// A host exchange (`host`) holds the SE: card emulation waits for it.
let busy = false;

export function startCardEmulation(wiring: CardEmulationParts, admit: () => boolean, told: (state: WearerState) => void): void {
  sePower = wiring.sePower;
  nfcPower = wiring.nfcPower;
  clasp = wiring.clasp;
  admitted = admit;
  changed = told;
  unlocked = false;
  ce = 'off';
  busy = false;
  pinMode(clasp, 'input_pulldown');
  // No debounce: every opening edge locks (a bouncing contact only locks again); closing never unlocks.
  setWatch(clasped, clasp, { edge: 'both', repeat: true, debounce: 0 });
  // A reset of the strap alone (watchdog, E.reboot) leaves the controller as it was, maybe listening for an SE
  // now unpowered: VEN low stops it first.
  run('\x00\x01\x00', true, recheck);
}

export function wearerState(): WearerState {
  return { worn: clasp.read(), unlocked: unlocked, ce: ce };
}

function set(next: CeState): void {
  ce = next;
  if (next === 'on' || next === 'off') {
    print('[ce] ' + next);
    changed(wearerState());
  }
}

/** Runs the operations in order; done('') after the last, or done(error) at the first that fails (none fails when lenient). */
function run(ops: string, lenient: boolean, done: (error: string) => void): void {
  // The next operation's offset, and how many have been taken.
  let at = 0;
  let i = 0;
  let code = -1;
  const next = function (error?: string, data?: Uint8Array): void {
    const n = data ? data.length : 0;
    if (code === APDU && !error && (n < 2 || data![n - 2] !== 0x90 || data![n - 1] !== 0)) error = 'SW ' + (n > 1 ? data![n - 2]! * 256 + data![n - 1]! : '?');
    if (error && !lenient) return done('step ' + i + ': ' + error);
    if (at >= ops.length) return done('');
    code = ops.charCodeAt(at);
    const arg = ops.charCodeAt(at + 2);
    const end = at + 2 + ops.charCodeAt(at + 1);
    const from = at + 2;
    at = end;
    i++;
    if (code === POWER) {
      sePower.write(!!(arg & 1));
      nfcPower.write(arg > 1);
      next();
    } else if (code === WAIT) setTimeout(next, arg);
    else if (code === S_BLOCK) request(arg, E.toUint8Array(ops.substring(from + 1, end)), next);
    else if (code === APDU) transceive(E.toUint8Array(ops.substring(from, end)), next);
    else if (code === NCI) command(arg, ops.charCodeAt(from + 1), E.toUint8Array(ops.substring(from + 2, end)), next);
  };
  next();
}

// The sequences are literals where they run: made when run, not kept (a module constant would hold its
// variables all the time).

/** Looks at the conditions again (the power policy's report calls it). */
export function recheck(): void {
  if (busy) return;
  const want = unlocked && clasp.read() && admitted();
  // Off, every answer taken as it comes: RF_DEACTIVATE_CMD idle (discovery stops), the flag cleared
  // '80 C4 00 00', S(end of APDU session), SE_EN and VEN low.
  const off = '\x04\x03\x01\x06\x00' + '\x03\x04\x80\xc4\x00\x00' + '\x02\x01\x05' + '\x00\x01\x00';
  if (ce === 'off' && want) {
    set('starting');
    /*
     * On: SE_EN high; the SE's start-up (5 ms; the T=1 driver then polls while it NACKs); S(soft reset);
     * S(IFS) 250 (NXP UM11225 2.2); SELECT the payment applet and SET WEARER VERIFIED '80 C4 01 00'
     * (sim/se/payment/README.md, the applet's host commands); S(end of APDU session). VEN high and the
     * controller's boot (10 ms: it announces itself with a CORE_RESET_NTF, taken as any other notification);
     * CORE_RESET_CMD reset type 01 and 10 ms for its notification (NCI 2.0 4.1: CORE_RESET_NTF follows the
     * response); CORE_INIT_CMD '00 00'; CORE_SET_CONFIG_CMD RF_FIELD_INFO ('80') = 01; NFCEE_DISCOVER_CMD;
     * NFCEE_MODE_SET_CMD 'C0' enable (the embedded SE's NFCEE ID: NCI 2.0 Table 99, '80'-'FE' assigned by
     * the NFCC, 'C0' as SN1x0-class parts give it); RF_SET_LISTEN_MODE_ROUTING_CMD, last message, two AID
     * entries (type '02', route 'C0', power state switched on '01'): the PPSE '2PAY.SYS.DDF01' and Visa's
     * A0000000031010; NXP CORE_SET_POWER_MODE_CMD standby on; RF_DISCOVER_CMD listen NFC-A ('80') every
     * period (UM10936 9.6.1; NCI 2.0 4.1-4.3, 6.3, 7.1).
     */
    const on =
      '\x00\x01\x01' + '\x01\x01\x05' + '\x02\x01\x0f' + '\x02\x02\x01\xfa' +
      '\x03\x0d' + SELECT_PAYMENT +
      '\x03\x04\x80\xc4\x01\x00' +
      '\x02\x01\x05' +
      '\x00\x01\x03' +
      '\x01\x01\x0a' +
      '\x04\x03\x00\x00\x01' +
      '\x01\x01\x0a' +
      '\x04\x04\x00\x01\x00\x00' +
      '\x04\x06\x00\x02\x01\x80\x01\x01' +
      '\x04\x02\x02\x00' +
      '\x04\x04\x02\x01\xc0\x01' +
      '\x04\x21\x01\x01\x00\x02' + '\x02\x10\xc0\x01' + '2PAY.SYS.DDF01' + '\x02\x09\xc0\x01' + '\xa0\x00\x00\x00\x03\x10\x10' +
      '\x04\x03\x0f\x00\x01' +
      '\x04\x05\x01\x03\x01\x80\x01';
    run(on, false, function (error) {
      if (!error) {
        set('on');
        return recheck();
      }
      print('[ce] failed: ' + error);
      unlocked = false;
      set('stopping');
      run(off, true, function () {
        set('off');
      });
    });
  } else if (ce === 'on' && !want) {
    set('stopping');
    run(off, true, function () {
      set('off');
      recheck();
    });
  }
}

function clasped(e: { state: boolean }): void {
  if (!e.state) unlocked = false;
  print('[wear] ' + (e.state ? 'on' : 'off'));
  recheck();
}

/** Unlocks the worn strap; false (nothing changes) while the clasp is open. */
export function unlock(): boolean {
  if (!clasp.read()) return false;
  unlocked = true;
  recheck();
  return true;
}

export function lock(): void {
  unlocked = false;
  recheck();
}

/**
 * Sends the APDUs of `script` ([length hi, lo, command APDU]..., well formed; its bytes as a string, which
 * on Espruino may point into flash: the wallet's scripts come from Storage) to the SE one by one, stopping
 * after a failed exchange or a status word other than 9000; `done` gets the responses so far, framed the same
 * way in one array, and how many, or undefined when busy (card emulation starting or stopping, another
 * exchange, or a cell that cannot power the SE). One array each way, not one per APDU: an array costs
 * Espruino a few variables of its own beside its bytes, and a script holds up to 64 APDUs.
 */
export function host(script: string, done: (responses: Uint8Array | undefined, count: number) => void): void {
  // Busy as well when the SE would have to be powered on a cell the brownout guard refuses.
  if (busy || ce === 'starting' || ce === 'stopping' || (ce === 'off' && !admitted())) return done(undefined, 0);
  busy = true;
  const cold = ce === 'off';
  let out: Uint8Array = new Uint8Array(0);
  let count = 0;
  let at = 0;
  const ended = function () {
    busy = false;
    done(out, count);
    recheck();
  };
  // Each response, then the next APDU; after the last, a failed exchange or a status word other than 9000
  // (or the cold start's error: run gives its done the error, '' when none), the end.
  const next = function (error?: string, data?: Uint8Array): void {
    let n = 0;
    if (data) {
      n = data.length;
      out = concatBytes([out, new Uint8Array([n >> 8, n & 255]), data]);
      count++;
    }
    if (error || (data && (data[n - 2] !== 0x90 || data[n - 1])) || at >= script.length) {
      // S(end of APDU session); cold, SE_EN low.
      return run(cold ? '\x02\x01\x05\x00\x01\x00' : '\x02\x01\x05', true, ended);
    }
    n = (script.charCodeAt(at) << 8) | script.charCodeAt(at + 1);
    at += n + 2;
    transceive(E.toUint8Array(script.substr(at - n, n)), next);
  };
  // Cold: SE_EN high, the SE's start-up, S(soft reset), S(IFS) 250 first (as card emulation's on).
  run(cold ? '\x00\x01\x01\x01\x01\x05\x02\x01\x0f\x02\x02\x01\xfa' : '', false, next);
}
