/**
 * The rig interface: what a HIL scenario can do to a board and see of it,
 * whichever board it is (the virtual board in this process, the virtual board
 * in another process behind a pseudo-terminal, a real board on a bench).
 *
 * Every rig has a console target (the host bridge's console client and an
 * RPC client on it) and board time. Everything else is an instrument behind
 * a capability: a scenario lists the capabilities it needs in its tags, and
 * the runner skips it, with the rig's reason, when one is missing.
 */
import type { EspruinoConsoleClient } from '../../host-bridge/console/index';
import type { RpcClient } from '../../host-bridge/rpc/rpc-client';

export type RigKind = 'in-process' | 'pty' | 'realtime' | 'bench';

export const CAPABILITIES = [
  'button',
  'supply',
  'battery',
  'pos-reader',
  'clasp',
  'current',
  'led',
  'haptic',
  'reset-line',
  'wire-noise',
  'link-drop',
  'flash',
  'ble-central',
  'nfc-tag-reader',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export type LedName = 'LED1' | 'LED2' | 'LED3';

/** One change of an LED, in board time. */
export interface LedEdge {
  led: LedName;
  on: boolean;
  timeMs: number;
}

export interface CurrentWindow {
  fromMs: number;
  toMs: number;
  averageUa: number;
  peakUa: number;
}

/** What standby should draw on this rig, and why. */
export interface StandbyExpectation {
  minUa: number;
  maxUa: number;
  basis: string;
}

/** A POS terminal's tap as the rig's reader reports it. */
export interface PosTap {
  /** The terminal's outcome: approved, declined, field-lost, …; 'no-card' when nothing answered in its field. */
  outcome: string;
  /** Why, when not approved (the issuer's reason, 'card-declined', a status word). */
  reason?: string;
  /** The card's ATC and cryptogram (hex), once it answered GET PROCESSING OPTIONS. */
  atc?: number;
  cryptogram?: string;
  /** The issuer's response code, when the terminal asked it. */
  arc?: string;
  /** Field on to outcome, board ms. */
  tapMs: number;
}

/** What the terminal is asked for: an amount (minor units) in a currency (ISO 4217 numeric; default the rig's). */
export interface PosPurchase {
  amountMinor: number;
  currency?: number;
  /** The reader leaves the field while its Nth APDU is on the air (1-based): a field lost mid-tap. */
  loseFieldAtApdu?: number;
}

/** A phone step's outcome: ok, or the step that failed and why (an SMP reason, HCI status or ATT error in `code`). */
export type BleOutcome = { ok: true } | { ok: false; step: string; reason: string; code?: number };

/** A wallet op the phone asks of the strap (firmware/ble/README.md, control point). */
export type BleWalletOp = 'unlock' | 'lock' | 'suspend' | 'resume';

/** The wallet control point's status as the phone reads it. */
export interface BleWalletStatus {
  windowOpen: boolean;
  bonds: number;
  batteryPercent: number;
}

/** Where the HCI traces stood: btsnoop(mark) returns what came after. */
export interface BleTraceMark {
  strap: number;
  phone: number;
}

/**
 * The phone's radio lent to a host stack in the runner's process (the host bridge's BLE transport): its HCI
 * controller as `--hci` takes it, the phone's bond folder, and the strap's address (`ble:<address>` is its port).
 */
export interface BleHostLink {
  hci: string;
  bondDir: string;
  address: string;
}

/** One NDEF record as the reader decoded it (type as text, payload hex). */
export interface NfcRecord {
  tnf: number;
  type: string;
  payloadHex: string;
}

/** What a reader held to the strap's NFC tag read. */
export type NfcTagRead =
  | { ok: true; uid: string; records: NfcRecord[]; pairing?: { address: string; addressType: 'public' | 'random'; passkey: string } }
  | { ok: false; error: string };

export interface EnergyExport {
  csv: string;
  svg: string;
}

export interface Instruments {
  /** The strap's button. press() resolves once it has been released. */
  button: { press(holdMs: number): Promise<void> };
  /** The board's supply. powerCycle() resolves once power is back. */
  supply: { powerCycle(offMs: number): Promise<void>; cut(): Promise<void>; restore(): Promise<void> };
  /** The cell's state of charge as the firmware will read it. */
  battery: { setPercent(percent: number): Promise<void> };
  /** A POS terminal held to the strap with a purchase; resolves with its outcome once it has left the field. */
  'pos-reader': { tap(purchase: PosPurchase): Promise<PosTap> };
  /** The clasp's contact: closed is the strap on a wrist. */
  clasp: { set(closed: boolean): Promise<void> };
  /** Current into the board. */
  current: {
    readonly expectedStandby: StandbyExpectation;
    /** Waits `windowMs` of board time and reports what flowed. */
    measure(windowMs: number): Promise<CurrentWindow>;
    /** The energy trace between two board times, as CSV and a plot. */
    export(fromMs: number, toMs: number): Promise<EnergyExport>;
  };
  /** LED pin levels over time. */
  led: { edges(sinceMs: number): Promise<LedEdge[]>; levels(): Promise<Record<LedName, boolean>> };
  /** The haptic motor's drive: each time it ran since `sinceMs`, and for how long. */
  haptic: { pulses(sinceMs: number): Promise<{ onMs: number; timeMs: number }[]> };
  /** The chip's reset pin. */
  'reset-line': { pulse(): Promise<void> };
  /** Bytes put on the board → host wire as if the board had sent them. */
  'wire-noise': { boardSends(bytes: string): Promise<void> };
  /** The console port vanishing under the host and coming back after `downMs` of wall time. */
  'link-drop': { drop(downMs: number): Promise<void> };
  /** The firmware bundle the rig may write to the board. */
  flash: { bundle: Buffer };
  /**
   * A phone (sim/phone's Phone, a BLE central): pair() taps the strap's tag for its address and types the tag's
   * passkey, or `passkey` instead (a rig without an NFC reader, the bench, knows the address and needs `passkey`); a pairing that ends encrypted hands the strap's console to Bluetooth until
   * disconnect(). forgetBond() drops the phone's own keys. btsnoop(mark): both HCI traces since the mark.
   */
  'ble-central': {
    pair(options?: { passkey?: string }): Promise<BleOutcome>;
    reconnect(): Promise<BleOutcome>;
    readBattery(): Promise<number>;
    walletStatus(): Promise<BleWalletStatus>;
    /** Unlock or lock card emulation, suspend or resume the token: the strap's answer (not ok with the result as `code`). */
    wallet(op: BleWalletOp): Promise<BleOutcome>;
    disconnect(): Promise<void>;
    forgetBond(): Promise<void>;
    traceMark(): Promise<BleTraceMark>;
    btsnoop(since: BleTraceMark): Promise<{ strap: Buffer; phone: Buffer }>;
    /** The phone's radio for the host bridge (its BLE transport) until takeRadioBack(); the phone's own steps wait. */
    lendRadio(): Promise<BleHostLink>;
    takeRadioBack(): Promise<void>;
  };
  /** An NFC reader held to the strap's own (nRF52 NFCT) tag: its NDEF records, and the tap-to-pair info when there. */
  'nfc-tag-reader': { read(): Promise<NfcTagRead> };
}

export interface WaitOptions {
  /** Board time to wait at most. */
  timeoutMs: number;
  /** Only lines from this index of `rig.lines()` on (default: lines that arrive from now on). */
  since?: number;
}

export interface Rig {
  readonly kind: RigKind;
  /** One line about what the board is. */
  readonly description: string;
  /**
   * Board time passes at the wall clock's pace and nothing skips it ahead (a
   * bench board, the real-time rig): waiting a minute of board time takes a
   * minute, so the runner budgets scenarios by the board time they declare.
   */
  readonly realTime: boolean;
  readonly capabilities: ReadonlySet<Capability>;
  readonly console: EspruinoConsoleClient;
  readonly rpc: RpcClient;
  /** Why this rig lacks `capability` (the skip reason). */
  lacking(capability: Capability): string;
  /** An instrument; throws MissingCapability when the rig lacks it. */
  instrument<K extends Capability>(capability: K): Instruments[K];
  /** Board time in ms: virtual for virtual boards, wall time since the rig opened on a bench. */
  nowMs(): Promise<number>;
  /** Lets `ms` of board time pass (virtual boards skip ahead; a bench waits). */
  waitMs(ms: number): Promise<void>;
  /** Lets board time pass until `check` returns something; rejects with `what` after `timeoutMs` of board time. */
  waitUntil<T>(check: () => T | undefined, options: { timeoutMs: number; what: string }): Promise<T>;
  /** The first console line matching `pattern` (see WaitOptions.since). */
  waitForLine(pattern: RegExp, options: WaitOptions): Promise<RegExpMatchArray>;
  /** Every console line the host has seen (firmware logs; replies are not lines). */
  lines(): readonly string[];
  /** Everything the console received, for the report: control bytes escaped, rig notes as `# ` lines. */
  readonly transcript: Transcript;
  /** Ready for a scenario: powered, console answering, the strap firmware running. */
  prepare(): Promise<void>;
  /** Takes instruments away, as a poorer rig would lack them: scenarios that need them skip with `reason`. */
  withhold(capabilities: readonly Capability[], reason: string): void;
  close(): Promise<void>;
}

export interface Transcript {
  readonly length: number;
  note(text: string): void;
  slice(from: number): string;
}

/** A scenario needs something the rig does not have. */
export class MissingCapability extends Error {
  constructor(
    readonly capability: Capability,
    reason: string,
  ) {
    super(`needs ${capability}: ${reason}`);
    this.name = 'MissingCapability';
  }
}

