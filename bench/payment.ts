/**
 * A contactless payment end to end (issue 11): a POS terminal's field at the
 * strap's antenna, the NFC controller (NCI 2.0, brought up to listen with the
 * SE as the route for the payment AIDs), the secure element's contactless
 * interface with its modelled processing times, the token applet, the
 * issuer. Figures: tap to outcome in virtual time, wall time per simulated
 * tap, the charge the controller and the SE draw during a tap, and the JS
 * variables the firmware's NCI and T=1 drivers take on the virtual board.
 *
 * Goals: the industry budget for a whole tap is about 500 ms; issue 11 asks
 * ≤ 300 ms from field on to the terminal's outcome. The drivers must leave
 * the board's 2,630 variables to the rest of the firmware: a few hundred.
 */
import { performance } from 'node:perf_hooks';
import { checkFirmwareSource } from '../firmware/build/build';
import { startBoard } from '../sim/board/board-test-kit';
import { I2CBus } from '../sim/board/buses/i2c-bus';
import { SeededRandom } from '../sim/clock/seeded-random';
import { VirtualClock } from '../sim/clock/virtual-clock';
import { IssuerHost } from '../sim/cloud/issuer-host';
import { deriveIccMasterKey } from '../sim/emv/key-derivation';
import { VirtualField } from '../sim/nfc/field';
import { EMBEDDED_SE_NFCEE_ID, NciController, PN7150_I2C_ADDRESS } from '../sim/nfc/nci-controller';
import { nfccCurrentUa } from '../sim/nfc/nfcc-power';
import { TestNciHost, bringUpToListen } from '../sim/nfc/testing/nci-test-host';
import { PosTerminal } from '../sim/pos/terminal';
import type { TapResult } from '../sim/pos/terminal';
import { PaymentApplet, VISA_AID } from '../sim/se/payment/payment-applet';
import { personalizationCommands } from '../sim/se/payment/personalization';
import { PpseApplet } from '../sim/se/payment/ppse-applet';
import { Scp03Host } from '../sim/se/scp03-host';
import { SecureElement } from '../sim/se/secure-element';
import type { Figure } from './energy';

const TAPS = 50;
const TAP_GOAL_MS = 300;
const BOARD_JSVARS = 2630;
const IMK = Uint8Array.from({ length: 16 }, (_, i) => (i * 17 + 1) & 0xff);
const ISD_KEYS = { enc: new Uint8Array(16).fill(0x41), mac: new Uint8Array(16).fill(0x42), dek: new Uint8Array(16).fill(0x43) };
const PAN = '4761739001010010';
const EUR = 978;
const EPOCH_MS = Date.UTC(2026, 11, 6, 12, 0, 0);

export async function runPaymentBench(): Promise<Figure[]> {
  return [...(await tapFigures()), ...(await driverFigures())];
}

/** The strap's payment side and a terminal, personalized over the SE's host interface (SCP03 at level 33). */
function paymentWorld(seed: number) {
  const clock = new VirtualClock();
  const random = new SeededRandom(seed);
  const se = new SecureElement({ clock, isdKeys: ISD_KEYS, powered: true });
  se.install(new PpseApplet([{ aid: VISA_AID, label: 'VISA', priority: 1 }]));
  se.install(new PaymentApplet());
  const factory = new Scp03Host((apdu) => se.hostRuntime.process(apdu), ISD_KEYS, () => Uint8Array.from({ length: 8 }, () => random.int(0, 255)));
  factory.open();
  const profile = { iccMasterKey: deriveIccMasterKey(IMK, PAN, '01'), pan: PAN, psn: '01', expiry: { year: 2029, month: 12 } };
  factory.personalize(VISA_AID, personalizationCommands(profile).map((c) => c.data));

  const bus = new I2CBus();
  const nfcc = new NciController({ clock, random: new SeededRandom(seed + 1) });
  bus.attach(PN7150_I2C_ADDRESS, nfcc);
  nfcc.attachNfcee(se.contactless);
  nfcc.setVen(true);
  const dh = new TestNciHost(bus, clock, () => nfcc.irqActive());
  bringUpToListen(dh, EMBEDDED_SE_NFCEE_ID);

  const issuer = new IssuerHost(IMK);
  issuer.enrol({ pan: PAN, psn: '01', currency: EUR, balanceMinor: 100_000_000, perTransactionLimitMinor: 50_000 });
  const terminal = new PosTerminal({ country: 276, currency: EUR, cvmLimitMinor: 5_000 }, { random: new SeededRandom(seed + 2), clock, epochMs: EPOCH_MS, issuer });
  const field = new VirtualField({ clock, controller: nfcc });
  // What the payment parts draw now (µA): the controller's state from the catalogue, the SE's own.
  const currentUa = () => nfccCurrentUa(nfcc.powerState()) + se.currentUa();
  return { clock, dh, terminal, field, currentUa };
}

type World = ReturnType<typeof paymentWorld>;

/**
 * As sim/nfc/settle.ts (the clock runs until the promise settles, continuations
 * between events), integrating the parts' current over each step: the states
 * change only at clock events, so the current before an event held since the last.
 */
async function settleMetered<T>(world: World, promise: Promise<T>, charge: { uAs: number }): Promise<T> {
  const { clock } = world;
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  for (;;) {
    for (let i = 0; i < 20 && !done; i++) await Promise.resolve();
    if (done) break;
    const next = clock.nextDeadlineMs();
    if (next === undefined || next > clock.nowMs() + 60_000) throw new Error('the tap stalled on the virtual clock');
    charge.uAs += (world.currentUa() * (next - clock.nowMs())) / 1000;
    clock.runNext();
  }
  return promise;
}

async function tap(world: World, amountMinor: number): Promise<{ result: TapResult | undefined; virtualMs: number; uAs: number }> {
  const charge = { uAs: 0 };
  const started = world.clock.nowMs();
  const reader = world.field.enter();
  const link = await settleMetered(world, reader.activate(), charge);
  const result = link ? await settleMetered(world, world.terminal.tap(link, { amountMinor }), charge) : undefined;
  const virtualMs = world.clock.nowMs() - started;
  await settleMetered(world, reader.deselect(), charge);
  reader.leave();
  world.dh.receive();
  world.clock.advanceBy(1000); // the reader's next customer: the SE back in deep power-down
  return { result, virtualMs, uAs: charge.uAs };
}

async function tapFigures(): Promise<Figure[]> {
  const world = paymentWorld(11);
  await tap(world, 100); // warm-up: first-call compilation in Node
  const virtualMs: number[] = [];
  const wallMs: number[] = [];
  const uAs: number[] = [];
  let approved = 0;
  for (let i = 0; i < TAPS; i++) {
    const began = performance.now();
    const t = await tap(world, 1250 + i);
    wallMs.push(performance.now() - began);
    virtualMs.push(t.virtualMs);
    uAs.push(t.uAs);
    if (t.result?.outcome === 'approved') approved++;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const tapMs = median(virtualMs);
  const wall = median(wallMs);
  return [
    { name: `tap approved end to end (field → NFCC → SE → issuer), of ${TAPS}`, value: `${approved}`, goal: `${TAPS}`, met: approved === TAPS },
    { name: 'tap to outcome, virtual time (median; field on → terminal outcome)', value: `${tapMs.toFixed(1)} ms`, goal: `≤ ${TAP_GOAL_MS} ms (industry ~500 ms)`, met: tapMs <= TAP_GOAL_MS },
    { name: `wall time per simulated tap (median of ${TAPS})`, value: `${wall.toFixed(1)} ms`, goal: '≤ 100 ms [ours: 10 taps a second]', met: wall <= 100 },
    {
      // The MCU's share (the firmware's NCI handling) is not in it: the DH here is a test host, not the board.
      name: 'charge per tap, NFCC + SE (field on → reader leaves)',
      value: `${median(uAs).toFixed(0)} µAs`,
      goal: '≤ 3,600 µAs [ours: 1 µAh]',
      met: median(uAs) <= 3600,
    },
  ];
}

/** The drivers bundled as the build bundles firmware, run on a virtual board; JsVars before and after constructing them. */
async function driverFigures(): Promise<Figure[]> {
  const source = [
    "import { openNci } from './nfc-nci';",
    "import { openSe } from './se-t1';",
    // opened inside the bundle: the build shortens the drivers' option names (private-names.ts)
    '(globalThis as any).makeDrivers = () => {',
    '  I2C1.setup({ scl: D5, sda: D4 });',
    '  openNci({ i2c: I2C1, irq: D7 });',
    '  openSe({ i2c: I2C1 });',
    '};',
  ].join('\n');
  const built = await checkFirmwareSource(source, { fileName: 'firmware/drivers/bench-drivers-bundle.ts' });
  const t = startBoard();
  const usage = () => (t.value('process.memory().usage') as number);
  const empty = usage();
  t.value(built.code);
  const loaded = usage();
  t.value('makeDrivers()');
  const opened = usage();
  const code = loaded - empty;
  const total = opened - empty;
  return [
    { name: 'NCI + T=1 drivers bundled alone (minified)', value: `${(built.bytes / 1024).toFixed(1)} KB`, goal: 'fits the 24 KB firmware budget', met: built.bytes <= 24 * 1024 },
    {
      // process.memory() counts no function code (code loaded from Storage stays in flash): the figure is the
      // drivers' functions, their module state and what opening them keeps (timers, watches), without the
      // buffers a transfer allocates.
      name: 'JsVars: the NCI and T=1 drivers loaded and opened (openNci, openSe)',
      value: `${total} (${code} loaded)`,
      goal: `≤ 400 of ${BOARD_JSVARS.toLocaleString('en')} [ours: "a few hundred"]`,
      met: total <= 400,
    },
  ];
}

// `tsx bench/payment.ts` prints the figures on their own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runPaymentBench();
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const f of figures) console.log(`${f.met ? 'ok  ' : 'MISS'} ${f.name.padEnd(width)}  ${f.value.padStart(10)}   goal ${f.goal}`);
  process.exit(0);
}
