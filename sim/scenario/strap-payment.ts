/**
 * The strap's payment parts in the virtual world, wired as
 * sim/strap/wiring.ts says: the secure element (sim/se, PPSE and Visa
 * payment applets) on I2C1 at '48' powered by SE_EN, the NFC controller
 * (sim/nfc) on I2C1 at '28' with its IRQ on NFC_IRQ and its VEN on
 * NFC_VEN, the SE behind the controller as its NFCEE; the virtual
 * field the POS terminal (sim/pos) taps in; the issuer (sim/cloud) it asks.
 *
 * The SE leaves the factory personalized: `factoryPersonalize` opens SCP03 to
 * the ISD over T=1 on the factory jig's I2C bus (its own clock, so the
 * strap's timeline starts at 0 as before) and sends INSTALL [for
 * personalization] and the token's STORE DATA; the strap's SE is the same
 * part (its non-volatile memory) on the strap's bus.
 *
 * A tap runs the terminal's async kernel on the shared virtual clock: while it
 * is in flight it drives the clock itself (settle), and the synchronous
 * drivers (the paced driver, `--once`) hold (`inFlight()`), so promise
 * continuations run between clock events and the air timings stay exact.
 */
import { mkdirSync } from 'node:fs';
import type { VirtualBoard } from '../board/virtual-board';
import type { LiPoCell } from '../power/cell';
import { I2CBus } from '../board/buses/i2c-bus';
import type { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import type { AuthorizationResponse } from '../cloud/authorization';
import { seededIssuer, type SeededIssuer } from '../cloud/seeded-issuer';
import { VirtualField, type Reader } from '../nfc/field';
import { NciController } from '../nfc/nci-controller';
import { drivePowerModel } from '../nfc/nfcc-power';
import { settle } from '../nfc/settle';
import type { ReaderLink } from '../nfc/contactless';
import { PosTerminal, type TapResult } from '../pos/terminal';
import type { PowerModel } from '../power/power-model';
import type { StaticKeys } from '../../protocols/globalplatform/scp03';
import { NonVolatileMemory } from '../se/nvm';
import { PaymentApplet, VISA_AID } from '../se/payment/payment-applet';
import { personalizationCommands } from '../se/payment/personalization';
import { PpseApplet } from '../se/payment/ppse-applet';
import { Scp03Host } from '../se/scp03-host';
import { SecureElement } from '../se/secure-element';
import { T1HostDriver } from '../se/t1-host-driver';
import { STRAP_I2C, STRAP_PINS } from '../strap/wiring';

/** The terminal's date: a fixed day (the simulator reads no wall clock); virtual time is added to it. */
export const TERMINAL_EPOCH_MS = Date.UTC(2026, 11, 7, 12, 0, 0);
/** How long after the reader leaves the tap's traces keep recording (virtual ms). */
const TRACE_TAIL_MS = 50;
/** The terminal's country (ISO 3166-1 numeric, 276 Germany) and its CVM limit (minor units); a bench's PC/SC terminal uses it too. */
export const TERMINAL = { country: 276, cvmLimitMinor: 5_000 };

export interface TapRequest {
  amountMinor: number;
  /** ISO 4217 numeric; default the token account's (978, EUR). */
  currency?: number;
  /** The reader leaves the field while its Nth APDU (1-based) is on the air: a field lost mid-tap. */
  loseFieldAtApdu?: number;
}

export interface StrapTap {
  /** The terminal's outcome, or 'no-card' when nothing answered in the field (card emulation off). */
  outcome: TapResult['outcome'] | 'no-card';
  result?: TapResult;
  /** The issuer's answer to this tap's authorization, when the terminal asked. */
  issuer?: AuthorizationResponse;
  /** Field on to the terminal's outcome (virtual ms). */
  tapMs: number;
  /** Where the tap's ISO 14443 pcap and NCI log went (when the parts were given a trace directory). */
  traces?: { pcap: string; nciLog: string };
}

export interface StrapPayment {
  se: SecureElement;
  /** The ISD's SCP03 static keys, as the factory put them: what the issuer's cloud holds to script the SE. */
  isdKeys: StaticKeys;
  nfcc: NciController;
  field: VirtualField;
  world: SeededIssuer;
  /** Every tap so far. */
  readonly taps: StrapTap[];
  /** A POS terminal comes into the field with this purchase; resolves with the outcome (drives the clock meanwhile). */
  tap(request: TapRequest): Promise<StrapTap>;
  /** Hears each tap's outcome as it ends. */
  onTap(listener: (tap: StrapTap) => void): () => void;
  /** The tap in flight: synchronous drivers hold the clock while it runs. */
  inFlight(): Promise<StrapTap> | undefined;
  /** The SE and controller currents into the power model; returns the unsubscribe. */
  drivePower(power: PowerModel): () => void;
}

export interface StrapPaymentOptions {
  random: SeededRandom;
  /** Writes each tap's pcap and NCI log here (tap-<n>.pcap, tap-<n>.nci.log). */
  traceDir?: string;
}

export function createStrapPayment(board: VirtualBoard<LiPoCell>, options: StrapPaymentOptions): StrapPayment {
  const clock = board.clock;
  const world = strapWorld(options.random);
  const isdKeys = keys(options.random.fork('isd-keys'));
  const nvm = factoryPersonalize(world, isdKeys, options.random.fork('factory'));

  const se = new SecureElement({ clock, isdKeys, nvm });
  installPaymentApplets(se);
  se.attachTo(board.i2c1, STRAP_I2C.SE);
  board.pins.onChange((change) => {
    if (change.pin === STRAP_PINS.SE_EN) se.setPowered(change.level);
  });
  const nfcc = new NciController({ clock, random: options.random.fork('nfcc'), pins: board.pins, irqPin: STRAP_PINS.NFC_IRQ, venPin: STRAP_PINS.NFC_VEN });
  board.i2c1.attach(STRAP_I2C.NFCC, nfcc);
  nfcc.attachNfcee(se.contactless);
  board.on('powerOff', () => {
    nfcc.setVen(false);
    se.setPowered(false);
  });
  const field = new VirtualField({ clock, controller: nfcc });
  const taps: StrapTap[] = [];
  const listeners = new Set<(tap: StrapTap) => void>();
  const terminalRandom = options.random.fork('terminal');
  let current: Promise<StrapTap> | undefined;

  const run = async (request: TapRequest): Promise<StrapTap> => {
    const startMs = clock.nowMs();
    const issuerLogAt = world.issuer.log.length;
    const reader = field.enter();
    const terminal = new PosTerminal(
      { ...TERMINAL, currency: request.currency ?? world.currency },
      { random: terminalRandom, clock, epochMs: TERMINAL_EPOCH_MS, issuer: world.issuer },
    );
    let tap: StrapTap;
    const link = await reader.activate();
    if (!link) {
      tap = { outcome: 'no-card', tapMs: clock.nowMs() - startMs };
    } else {
      const result = await terminal.tap(losingField(link, reader, request.loseFieldAtApdu), { amountMinor: request.amountMinor });
      const tapMs = clock.nowMs() - startMs;
      if (reader.inField()) await reader.deselect();
      tap = { outcome: result.outcome, result, tapMs, issuer: world.issuer.log[issuerLogAt]?.response };
    }
    reader.leave();
    // The controller's last notifications (deactivation, field off) reach the firmware just after: in the NCI log too.
    await new Promise<void>((resolve) => clock.scheduleIn(TRACE_TAIL_MS, resolve, 'tap:trace-tail'));
    taps.push(tap);
    if (options.traceDir) {
      mkdirSync(options.traceDir, { recursive: true });
      tap.traces = reader.trace.save(options.traceDir, `tap-${taps.length}`);
    }
    for (const listener of [...listeners]) listener(tap);
    return tap;
  };

  return {
    se,
    isdKeys, nfcc, field, world, taps,
    tap(request) {
      if (current) return Promise.reject(new Error('a tap is already in flight'));
      const settled = settle(clock, run(request), 30_000);
      current = settled;
      const clear = () => {
        current = undefined;
      };
      settled.then(clear, clear);
      return settled;
    },
    inFlight: () => current,
    onTap(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    drivePower(power) {
      const showSe = () => power.setState('se', se.powerState());
      showSe();
      const offSe = se.onPowerStateChange(showSe);
      const offNfcc = drivePowerModel(nfcc, power);
      return () => {
        offSe();
        offNfcc();
      };
    },
  };
}

/** The issuer and token of the strap whose payment parts come from `random` (a bench's terminal asks the same issuer). */
export function strapWorld(random: SeededRandom): SeededIssuer {
  return seededIssuer(random.fork('issuer'));
}

/** The factory step: a blank SE with the payment applets, personalized over its host interface (T=1 + SCP03 + STORE DATA). */
export function factoryPersonalize(world: SeededIssuer, isdKeys: StaticKeys, random: SeededRandom): NonVolatileMemory {
  const clock = new VirtualClock();
  const jig = new I2CBus();
  const nvm = new NonVolatileMemory();
  const se = new SecureElement({ clock, isdKeys, nvm });
  installPaymentApplets(se);
  se.attachTo(jig, STRAP_I2C.SE);
  se.setPowered(true);
  clock.advanceBy(se.timing.wakeUpMs);
  const driver = new T1HostDriver(jig, clock);
  const host = new Scp03Host((apdu) => driver.transceive(apdu), isdKeys, () => Uint8Array.from({ length: 8 }, () => random.int(0, 255)));
  host.open();
  host.personalize(VISA_AID, personalizationCommands(world.token).map((command) => command.data));
  se.setPowered(false);
  return nvm;
}

function installPaymentApplets(se: SecureElement): void {
  se.install(new PpseApplet([{ aid: VISA_AID, label: 'VISA', priority: 1 }]));
  se.install(new PaymentApplet({ aid: VISA_AID }));
}

function keys(random: SeededRandom): StaticKeys {
  const key = () => Uint8Array.from({ length: 16 }, () => random.int(0, 255));
  return { enc: key(), mac: key(), dek: key() };
}

/** The reader's link, leaving the field while the Nth APDU is on the air. */
function losingField(link: ReaderLink, reader: Reader, atApdu: number | undefined): ReaderLink {
  if (!atApdu) return link;
  let n = 0;
  return {
    transceive(apdu) {
      const answer = link.transceive(apdu);
      if (++n === atApdu) reader.leave();
      return answer;
    },
  };
}


/**
 * Runs the clock to `toMs` as a synchronous driver would, but holding while a
 * tap is in flight (the tap drives the clock then); for benches and scripts.
 */
export async function advanceWithTaps(clock: { advanceToWhile(targetMs: number, keepGoing: () => boolean): boolean; nowMs(): number }, payment: Pick<StrapPayment, 'inFlight'>, toMs: number): Promise<void> {
  while (clock.nowMs() < toMs || payment.inFlight()) {
    clock.advanceToWhile(toMs, () => !payment.inFlight());
    const tap = payment.inFlight();
    if (tap) await tap.catch(() => undefined);
  }
}
