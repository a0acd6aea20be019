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
import type { NfcNci } from '../drivers/nfc-nci';
import type { SeT1 } from '../drivers/se-t1';

export interface CardEmulationParts {
  se: SeT1;
  nfc: NfcNci;
  /** The SE's power enable (board/strap-pins.ts SE_EN). */
  sePower: Pin;
  /** The NFC controller's VEN (board/strap-pins.ts NFC_VEN): low is its hard power-down. */
  nfcPower: Pin;
  /** The clasp's contact: high while closed (board/strap-pins.ts CLASP). */
  clasp: Pin;
}

export interface CardEmulation {
  /** Unlocks the worn strap; false (nothing changes) while the clasp is open. */
  unlock(): boolean;
  lock(): void;
  state(): WearerState;
  /** Looks at the conditions again (the power policy's report calls it). */
  recheck(): void;
  /**
   * Sends `apdus` to the SE one by one, stopping after a failed exchange or a status word other than 9000;
   * `done` gets the responses so far, or undefined when busy (card emulation starting or stopping, another
   * exchange, or a cell that cannot power the SE).
   */
  host(apdus: Uint8Array[], done: (responses: Uint8Array[] | undefined) => void): void;
}

/** The embedded SE's NFCEE ID (NCI 2.0 Table 99: '80'-'FE' assigned by the NFCC; 'C0' as SN1x0-class parts give it). */
const EE = 0xc0;
/** 2PAY.SYS.DDF01 and Visa's AID. */
const PPSE = [0x32, 0x50, 0x41, 0x59, 0x2e, 0x53, 0x59, 0x53, 0x2e, 0x44, 0x44, 0x46, 0x30, 0x31];
const VISA = [0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10];
/** SELECT of the payment applet by its AID (ISO/IEC 7816-4 SELECT by DF name). */
export const SELECT_PAYMENT = [0x00, 0xa4, 0x04, 0x00, VISA.length].concat(VISA, [0x00]);
/** The SE's start-up after SE_EN (ms); the T=1 driver then polls while it NACKs. */
const SE_WAKE_MS = 5;
/**
 * The controller answers CORE_RESET_RSP, then sends CORE_RESET_NTF (NCI 2.0 4.1): time for it before CORE_INIT (ms).
 * The same wait after VEN high lets it boot (it announces itself with a CORE_RESET_NTF, taken as any other notification).
 */
const RESET_NTF_MS = 10;

// Operations, each an array: its code, then its arguments.
/** SE_EN and VEN [bits: 1 SE_EN, 2 VEN]. */
const POWER = 0;
/** Wait [ms]. */
const WAIT = 1;
/** A T=1 S-block exchange [kind]: 1 S(soft reset), 2 S(IFS) 250, 0 S(end of APDU session) (NXP UM11225 2.2). */
const S_BLOCK = 2;
/** A command APDU to the SE [bytes…]; it must answer 9000. */
const APDU = 3;
/** An NCI command [GID, OID, payload…] (the driver frames it; nfc-nci.ts names each layout); it must answer STATUS_OK. */
const NCI = 4;

/**
 * On: SE_EN high; S(soft reset), S(IFS); SELECT the payment applet and SET
 * WEARER VERIFIED (sim/se/payment/README.md, the applet's host commands);
 * S(end of APDU session). VEN high and the controller's boot; CORE_RESET_CMD reset type 01 and its notification;
 * CORE_INIT_CMD '00 00'; CORE_SET_CONFIG_CMD RF_FIELD_INFO ('80') = 01;
 * NFCEE_DISCOVER_CMD; NFCEE_MODE_SET_CMD 'C0' enable;
 * RF_SET_LISTEN_MODE_ROUTING_CMD, last message, two AID entries (type '02',
 * route 'C0', power state switched on '01'); NXP CORE_SET_POWER_MODE_CMD
 * standby on; RF_DISCOVER_CMD listen NFC-A ('80') every period.
 */
const ON: number[][] = [
  [POWER, 1],
  [WAIT, SE_WAKE_MS],
  [S_BLOCK, 1],
  [S_BLOCK, 2],
  [APDU].concat(SELECT_PAYMENT),
  [APDU, 0x80, 0xc4, 0x01, 0x00],
  [S_BLOCK, 0],
  [POWER, 3],
  [WAIT, RESET_NTF_MS],
  [NCI, 0, 0, 1],
  [WAIT, RESET_NTF_MS],
  [NCI, 0, 1, 0, 0],
  [NCI, 0, 2, 1, 0x80, 1, 1],
  [NCI, 2, 0],
  [NCI, 2, 1, EE, 1],
  [NCI, 1, 1, 0, 2, 2, PPSE.length + 2, EE, 1].concat(PPSE, [2, VISA.length + 2, EE, 1], VISA),
  [NCI, 0xf, 0, 1],
  [NCI, 1, 3, 1, 0x80, 1],
];
/** Off, every answer taken as it comes: RF_DEACTIVATE_CMD idle (discovery stops), the flag cleared, S(end of APDU session), SE_EN and VEN low. */
const OFF: number[][] = [
  [NCI, 1, 6, 0],
  [APDU, 0x80, 0xc4, 0x00, 0x00],
  [S_BLOCK, 0],
  [POWER, 0],
];

export function startCardEmulation(parts: CardEmulationParts, admitted: () => boolean, changed: (state: WearerState) => void): CardEmulation {
  const se = parts.se;
  const nfc = parts.nfc;
  let unlocked = false;
  let ce: CeState = 'off';
  // A host exchange (`host`) holds the SE: card emulation waits for it.
  let busy = false;

  const state = function (): WearerState {
    return { worn: parts.clasp.read(), unlocked: unlocked, ce: ce };
  };
  const set = function (next: CeState): void {
    ce = next;
    if (next === 'on' || next === 'off') {
      print('[ce] ' + next);
      changed(state());
    }
  };

  /** Runs the operations in order; done('') after the last, or done(error) at the first that fails (none fails when lenient). */
  const run = function (ops: number[][], lenient: boolean, done: (error: string) => void): void {
    let i = 0;
    const next = function (error?: string, data?: Uint8Array): void {
      const last = ops[i - 1];
      const n = data ? data.length : 0;
      if (last && last[0] === APDU && !error && (n < 2 || data![n - 2] !== 0x90 || data![n - 1] !== 0)) error = 'SW ' + (n > 1 ? data![n - 2]! * 256 + data![n - 1]! : '?');
      if (error && !lenient) return done('step ' + i + ': ' + error);
      const op = ops[i++];
      if (!op) return done('');
      const code = op[0];
      const arg = op[1]!;
      if (code === POWER) {
        parts.sePower.write(!!(arg & 1));
        parts.nfcPower.write(arg > 1);
        next();
      } else if (code === WAIT) setTimeout(next, arg);
      else if (code === S_BLOCK) {
        if (arg === 1) se.softReset(next);
        else if (arg === 2) se.setIfsd(250, next);
        else se.endSession(next);
      } else if (code === APDU) se.transceive(new Uint8Array(op.slice(1)), next);
      else nfc.command(arg, op[2]!, new Uint8Array(op.slice(3)), next);
    };
    next();
  };

  const recheck = function (): void {
    if (busy) return;
    const want = unlocked && parts.clasp.read() && admitted();
    if (ce === 'off' && want) {
      set('starting');
      run(ON, false, function (error) {
        if (!error) {
          set('on');
          return recheck();
        }
        print('[ce] failed: ' + error);
        unlocked = false;
        set('stopping');
        run(OFF, true, function () {
          set('off');
        });
      });
    } else if (ce === 'on' && !want) {
      set('stopping');
      run(OFF, true, function () {
        set('off');
        recheck();
      });
    }
  };

  pinMode(parts.clasp, 'input_pulldown');
  setWatch(
    function (e) {
      if (!e.state) unlocked = false;
      print('[wear] ' + (e.state ? 'on' : 'off'));
      recheck();
    },
    parts.clasp,
    // No debounce: every opening edge locks (a bouncing contact only locks again); closing never unlocks.
    { edge: 'both', repeat: true, debounce: 0 },
  );

  // A reset of the strap alone (watchdog, E.reboot) leaves the controller as it was, maybe listening for an SE
  // now unpowered: VEN low stops it first.
  run([[POWER, 0]], true, recheck);

  return {
    unlock: function () {
      if (!parts.clasp.read()) return false;
      unlocked = true;
      recheck();
      return true;
    },
    lock: function () {
      unlocked = false;
      recheck();
    },
    state: state,
    recheck: recheck,
    host: function (apdus, done) {
      // Busy as well when the SE would have to be powered on a cell the brownout guard refuses.
      if (busy || ce === 'starting' || ce === 'stopping' || (ce === 'off' && !admitted())) return done(undefined);
      busy = true;
      const cold = ce === 'off';
      const got: Uint8Array[] = [];
      const end = function () {
        run(cold ? [[S_BLOCK, 0], [POWER, 0]] : [[S_BLOCK, 0]], true, function () {
          busy = false;
          done(got);
          recheck();
        });
      };
      const next = function (error?: string, data?: Uint8Array): void {
        let n = 0;
        if (data) {
          got.push(data);
          n = data.length;
        }
        if (error || (data && (data[n - 2] !== 0x90 || data[n - 1])) || got.length === apdus.length) return end();
        se.transceive(apdus[got.length]!, next);
      };
      // Cold: SE_EN, the start-up wait, S(soft reset), S(IFS) first.
      run(cold ? ON.slice(0, 4) : [], false, function (error) {
        if (error) end();
        else next();
      });
    },
  };
}
