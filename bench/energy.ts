/**
 * The energy part of issue 3's benchmark: a simulated day of a virtual strap
 * (the real dist/strap.js on the virtual board, with the power model under
 * it), a discharge to cut-off, and the figures issue 3 asks for, each with
 * its goal beside it.
 *
 * The day (virtual t = 0 is midnight; the strap boots then):
 *  - the firmware as it is: the scheduler, a heartbeat that samples the cell
 *    (every minute while the wearer is around, LED2 flash; every 10 minutes
 *    and dark once the power mode sleeps), the button and the reader's field
 *    watched, LED feedback on presses;
 *  - 10 button presses between 07:00 and 22:00 (one of them long);
 *  - 5 payment taps: a reader's field for 500 ms on the NFC controller's IRQ
 *    line; the firmware runs each as a payment task (brownout guard, SE_EN
 *    high while the field lasts, a 100 ms haptic buzz and LED2 after);
 *  - 8 phone notifications: two 120 ms haptic buzzes 100 ms apart;
 *  - the radio as the firmware drives it: the board runs the SoftDevice model
 *    (sim/softdevice) on a virtual air, and every advertising event it sends
 *    is charged from the radio model's own activity (sim/radio/radio-activity.ts:
 *    ramp-up, each PDU's air time at the cited TX / RX currents). The firmware
 *    advertises while its power mode is awake (fast, then slow) and, asleep,
 *    only in its sync windows (firmware/ble/sync-window.ts: 1.5 s every
 *    3 min). No phone is on the air: the day is the strap's own policy, the
 *    phone away (bench/ble.ts measures a bonded phone's links);
 *  - off the wrist from 23:00 to 07:00 (clasp open, card emulation off), worn
 *    and unlocked from 07:00 to 23:00 (card emulation on, the NFC controller
 *    listening in its standby between taps).
 *
 * Firmware-driven (the firmware's pins, I2C traffic and JS runs become current
 * through sim/power/board-power.ts and the part models): CPU, LEDs, the
 * watches, the SE (SE_EN, sim/se), the NFC controller (VEN, NCI, the reader's
 * field: sim/nfc), the motor after a tap (HAPTIC), the radio (SoftDevice model).
 * Bench-driven: the notifications' buzzes (no phone sends them).
 *
 * Energy per event is measured by difference: the same day (same seed) is
 * run again without the presses, and without the taps; the extra charge
 * divided by the number of events is what one event costs, all its
 * consequences included (for a tap: the field, the SE, the buzz, the LEDs,
 * the CPU, and the heartbeat kept awake for the power mode's idle timeouts).
 *
 * The discharge: the same firmware from a nearly empty cell, a tap every
 * 10 minutes, until the supply supervisor cuts the rail (brownout). The
 * payments left before each tap, and how it ended (`paid, payments left N`,
 * `refused brownout, payments left N`), are asked of the firmware
 * (`strap.status()`, evaluated without a console host: a listener would keep
 * the UART on, 1 mA).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildFirmware } from '../firmware/build/build';
import { attachPowerModel } from '../sim/power/board-power';
import { CONSUMERS } from '../sim/power/current-catalogue';
import type { PowerModel, SequenceStep } from '../sim/power/power-model';
import { Air } from '../sim/radio/air';
import { runUntil } from '../sim/radio/run-until';
import { SoftDevice } from '../sim/softdevice/softdevice';
import { STRAP_ADDRESS } from '../sim/softdevice/testing/strap-and-phone';
import { renderTraceSvg } from '../sim/power/trace-svg';
import { advanceWithTaps } from '../sim/scenario/strap-payment';
import { STRAP_PINS } from '../sim/strap/wiring';
import { createVirtualStrap, type VirtualStrap } from '../sim/scenario/virtual-strap';
import { BUNDLE_PATH } from '../firmware/build/outputs';

export interface Figure {
  name: string;
  value: string;
  goal: string;
  met: boolean;
}

export interface EnergyDayOptions {
  seed?: number;
  presses?: boolean;
  taps?: boolean;
  notifications?: boolean;
  /** Keep the energy trace (default true). */
  trace?: boolean;
}

export interface EnergyDay {
  strap: VirtualStrap;
  power: PowerModel;
  wallMs: number;
  simulatedMs: number;
  /** Charge drawn by all consumers over the day (µAs). */
  chargeUas: number;
  energyUj: number;
  /** Average current over the standby window 01:00–06:00: off the wrist, card emulation off (µA). */
  standbyAverageUa: number;
  /** Average current over 22:00–23:00: worn and unlocked, card emulation on, no events (µA). */
  wornIdleAverageUa: number;
  pressCount: number;
  tapCount: number;
  /** Taps the firmware reported as paid. */
  paidCount: number;
}

export interface Discharge {
  wallMs: number;
  simulatedMs: number;
  taps: number;
  paid: number;
  /** Refused taps by the firmware's reason. */
  refused: Record<string, number>;
  /** Refused while the firmware's payments left (just before the tap, or with the refusal) was above zero. */
  refusedWithReserve: number;
  /** The payments left the firmware last reported (before a tap or with its outcome) before the cut-off. */
  payLeftAtCutOff: number | undefined;
  /** Virtual time of the brownout; undefined if the cell outlasted the run. */
  cutOffMs: number | undefined;
}

const HOUR_MS = 3_600_000;
const MIN_MS = 60_000;
const DAY_MS = 24 * HOUR_MS;
const STANDBY_FROM_MS = 1 * HOUR_MS;
const STANDBY_TO_MS = 6 * HOUR_MS;
/** Worn, unlocked and quiet: the last press is at 21:30, the last notification at 20:05. */
const WORN_IDLE_FROM_MS = 22 * HOUR_MS;
const WORN_IDLE_TO_MS = 23 * HOUR_MS;
const NIGHT_ENDS_MS = 7 * HOUR_MS;
const NIGHT_STARTS_MS = 23 * HOUR_MS;

const at = (h: number, m: number, s = 0) => h * HOUR_MS + m * MIN_MS + s * 1000;

/** Button presses: [time, hold ms]. */
const PRESSES: ReadonlyArray<readonly [number, number]> = [
  [at(7, 5), 150],
  [at(8, 30), 150],
  [at(9, 45), 150],
  [at(11, 10), 150],
  [at(12, 20), 150],
  [at(14, 0), 150],
  [at(15, 30), 1500],
  [at(17, 15), 150],
  [at(19, 40), 150],
  [at(21, 30), 150],
];
const TAPS = [at(8, 12, 20), at(12, 34, 41), at(13, 2, 7), at(17, 48, 33), at(19, 25, 52)];
/** How long the reader's field lasts for a tap. */
/** Each tap: a POS terminal for 12.50 (the token account's currency). */
const TAP_AMOUNT_MINOR = 1250;
/** The discharge starts from a nearly empty cell (an accelerated drain to cut-off). */
const DISCHARGE_START_PERCENT = 1.5;
/** A tap has ended by then, whatever happened: the payment task's deadline is 3 s. */
const TAP_OVER_MS = 3_500;
const NOTIFICATIONS = [at(9, 0, 12), at(10, 15, 40), at(11, 40, 3), at(13, 30, 27), at(15, 0, 45), at(16, 45, 9), at(18, 10, 30), at(20, 5, 18)];
const BUZZ_TWICE: SequenceStep[] = [
  { state: 'on', durationUs: 120_000 },
  { state: 'off', durationUs: 100_000 },
  { state: 'on', durationUs: 120_000 },
];

/** Runs the day on a fresh virtual strap and returns what it cost. */
export async function simulateDay(firmware: string, options: EnergyDayOptions = {}): Promise<EnergyDay> {
  const strap = createVirtualStrap({ firmware, seed: options.seed ?? 1, powerOn: false });
  const { power } = attachPowerModel(strap.board, { trace: options.trace ?? true });
  strap.payment.drivePower(power);
  const radio = attachRadio(strap, power, options.seed ?? 1);
  const { board, clock } = strap;
  const schedule = (ms: number, run: () => void) => clock.scheduleAt(ms, run, 'bench');
  // Off the wrist at night (clasp open: card emulation off), worn and unlocked by day (the controller in standby, listening, between taps).
  board.pins.drive(STRAP_PINS.CLASP, false);
  schedule(NIGHT_ENDS_MS, () => {
    strap.target.setClasp(true);
    clock.scheduleIn(100, () => board.evaluate('strap.unlock()'), 'bench:unlock');
  });
  schedule(NIGHT_STARTS_MS, () => strap.target.setClasp(false));
  const presses = options.presses ?? true ? PRESSES : [];
  for (const [t, holdMs] of presses) schedule(t, () => board.pressButton(holdMs));
  const taps = options.taps ?? true ? TAPS : [];
  for (const t of taps) schedule(t, () => strap.target.tap({ amountMinor: TAP_AMOUNT_MINOR }));
  if (options.notifications ?? true) for (const t of NOTIFICATIONS) schedule(t, () => power.playSequence('haptic', BUZZ_TWICE));
  const chargeAt = new Map<number, number>();
  for (const t of [STANDBY_FROM_MS, STANDBY_TO_MS, WORN_IDLE_FROM_MS, WORN_IDLE_TO_MS]) schedule(t, () => chargeAt.set(t, power.chargeUas()));
  const averageUa = (fromMs: number, toMs: number) => (chargeAt.get(toMs)! - chargeAt.get(fromMs)!) / ((toMs - fromMs) / 1000);

  const started = performance.now();
  board.powerOn();
  await advanceWithTaps(clock, strap.payment, DAY_MS);
  power.sync();
  const wallMs = performance.now() - started;
  radio.close();
  return {
    strap,
    power,
    wallMs,
    simulatedMs: DAY_MS,
    chargeUas: power.chargeUas(),
    energyUj: power.energyUjTotal(),
    standbyAverageUa: averageUa(STANDBY_FROM_MS, STANDBY_TO_MS),
    wornIdleAverageUa: averageUa(WORN_IDLE_FROM_MS, WORN_IDLE_TO_MS),
    pressCount: presses.length,
    tapCount: taps.length,
    paidCount: taps.length ? (firmwareValue(strap, 'strap.status().paid') as number) : 0,
  };
}

export interface DischargeOptions {
  seed?: number;
  /** The cell at power-on (default DISCHARGE_START_PERCENT). */
  startPercent?: number;
  tapEveryMs?: number;
  /** Gives up after this much virtual time (default 10 days). */
  limitMs?: number;
}

/** From a nearly empty cell, a tap every `tapEveryMs` until the supervisor cuts the rail. */
export async function simulateDischarge(firmware: string, options: DischargeOptions = {}): Promise<Discharge> {
  const strap = createVirtualStrap({ firmware, seed: options.seed ?? 1, powerOn: false });
  const { power } = attachPowerModel(strap.board, { trace: false });
  const radio = attachRadio(strap, power, options.seed ?? 1);
  const { board, clock } = strap;
  board.cell.setPercent(options.startPercent ?? DISCHARGE_START_PERCENT);
  strap.payment.drivePower(power);
  clock.scheduleAt(1000, () => board.evaluate('strap.unlock()'), 'bench:unlock');
  const tapEveryMs = options.tapEveryMs ?? 10 * MIN_MS;
  const limitMs = options.limitMs ?? 10 * DAY_MS;
  let cutOffMs: number | undefined;
  board.on('powerOff', (e) => {
    if (e.reason === 'brownout' && cutOffMs === undefined) cutOffMs = e.timeMs;
  });
  let taps = 0;
  const lines: TapLine[] = [];
  let lastPayLeft: number | undefined;
  const tapLater = (ms: number) =>
    clock.scheduleAt(
      ms,
      () => {
        if (cutOffMs !== undefined) return;
        taps++;
        // What the firmware reports just before the tap, then how the tap ended (its payment task's deadline is 3 s).
        const payLeftBefore = (lastPayLeft = firmwareValue(strap, 'strap.status().payLeft') as number);
        strap.target.tap({ amountMinor: TAP_AMOUNT_MINOR });
        clock.scheduleIn(TAP_OVER_MS, () => {
          if (!board.powered) return;
          const ended = parseTap(firmwareValue(strap, 'strap.status().lastTap'));
          lastPayLeft = ended.payLeft;
          lines.push({ ...ended, payLeftBefore });
        });
        tapLater(ms + tapEveryMs);
      },
      'bench:tap',
    );
  tapLater(tapEveryMs);

  const started = performance.now();
  board.powerOn();
  while (cutOffMs === undefined && clock.nowMs() < limitMs) await advanceWithTaps(clock, strap.payment, clock.nowMs() + HOUR_MS);
  const wallMs = performance.now() - started;
  radio.close();
  const refused: Record<string, number> = {};
  let refusedWithReserve = 0;
  for (const line of lines) {
    if (!line.outcome.startsWith('refused')) continue;
    refused[line.outcome] = (refused[line.outcome] ?? 0) + 1;
    if (line.payLeftBefore > 0 || line.payLeft > 0) refusedWithReserve++;
  }
  return {
    wallMs,
    simulatedMs: clock.nowMs(),
    taps,
    paid: lines.filter((line) => line.outcome === 'paid').length,
    refused,
    refusedWithReserve,
    payLeftAtCutOff: lastPayLeft,
    cutOffMs,
  };
}

/**
 * The SoftDevice model on the strap's board and a virtual air (no other device on it), each radio event it
 * reports charged to the power model's radio; ready (its host initialised) before the board powers on.
 */
function attachRadio(strap: VirtualStrap, power: PowerModel, seed: number): { close(): void } {
  const air = new Air({ clock: strap.clock, seed, lossRate: 0 });
  const root = mkdtempSync(join(tmpdir(), 'bench-energy-'));
  const softDevice = new SoftDevice({ air, board: strap.board, name: 'strap', address: STRAP_ADDRESS, bondDir: join(root, 'strap') });
  softDevice.device.controller.onActivity = (a) => {
    if (a.kind !== 'scanning') power.playSequence('radio', a.steps);
  };
  if (!runUntil(strap.clock, () => softDevice.ready, 1000)) throw new Error('bench: the SoftDevice model did not initialise');
  return { close: () => rmSync(root, { recursive: true, force: true }) };
}

interface TapEnd {
  /** 'paid', 'refused brownout', 'failed deadline', … */
  outcome: string;
  /** As the firmware reported it with the outcome. */
  payLeft: number;
}

interface TapLine extends TapEnd {
  /** strap.status().payLeft just before the tap. */
  payLeftBefore: number;
}

/** What the firmware answers, read with board.evaluate: a console listener would keep the UART on (1 mA). */
function firmwareValue(strap: VirtualStrap, expression: string): unknown {
  const outcome = strap.board.evaluate(expression);
  if (!outcome.ok) throw new Error(`bench: ${expression} failed on the strap: ${String(outcome.error)}`);
  return outcome.value;
}

/** The firmware's strap.status().lastTap, `<outcome>, payments left <n>`. */
function parseTap(lastTap: unknown): TapEnd {
  const m = /^(.+), payments left (\d+)$/.exec(String(lastTap));
  if (!m) throw new Error(`bench: the firmware reported no tap outcome (${String(lastTap)})`);
  return { outcome: m[1]!, payLeft: Number(m[2]) };
}

/** Issue 3's energy figures for a simulated day; writes the day's trace to artifacts/energy/. */
export async function runEnergyBench(): Promise<Figure[]> {
  const firmware = await loadFirmware();
  // the counterfactual days first: the timed day then runs warm, as it would in a long session
  const withoutPresses = await simulateDay(firmware, { presses: false, trace: false });
  const withoutTaps = await simulateDay(firmware, { taps: false, trace: false });
  const day = await simulateDay(firmware);
  writeArtifacts(day);
  const discharge = await simulateDischarge(firmware);

  const simPerWall = day.simulatedMs / day.wallMs;
  const averageUa = day.chargeUas / (day.simulatedMs / 1000);
  const pressUas = (day.chargeUas - withoutPresses.chargeUas) / day.pressCount;
  const pressUj = (day.energyUj - withoutPresses.energyUj) / day.pressCount;
  const tapUas = (day.chargeUas - withoutTaps.chargeUas) / day.tapCount;
  const tapUj = (day.energyUj - withoutTaps.energyUj) / day.tapCount;
  const capacityMah = day.strap.board.cell.capacityMah;
  const lifeDays = (capacityMah * 1000) / averageUa / 24;
  const info = 'no goal in issue 3';
  return [
    {
      name: 'energy day: simulated seconds per wall second',
      value: Math.round(simPerWall).toLocaleString('en'),
      goal: '≥ 86,400 (24 h in ≤ 1 s of wall time)',
      met: day.wallMs <= 1000,
    },
    {
      name: 'energy day: standby average (01:00–06:00; off the wrist, NFC controller in hard power-down, sync windows)',
      value: `${day.standbyAverageUa.toFixed(2)} µA`,
      goal: '≤ 15 µA modelled average',
      met: day.standbyAverageUa <= 15,
    },
    {
      name: 'energy day: worn idle (22:00–23:00; unlocked, the controller listening in standby, the SE asleep)',
      value: `${day.wornIdleAverageUa.toFixed(2)} µA`,
      goal: info,
      met: true,
    },
    {
      name: `energy day: a day with ${day.tapCount} taps, ${day.pressCount} presses, ${NOTIFICATIONS.length} buzzes (24 h average)`,
      value: `${averageUa.toFixed(2)} µA`,
      goal: info,
      met: true,
    },
    {
      name: 'energy per button press (firmware: LED3 while held)',
      value: `${pressUas.toFixed(0)} µAs = ${(pressUas / 3.6).toFixed(1)} nAh, ${(pressUj / 1000).toFixed(2)} mJ`,
      goal: info,
      met: true,
    },
    {
      name: `energy per payment (a POS tap of ${(TAP_AMOUNT_MINOR / 100).toFixed(2)} through the controller and SE; ${day.paidCount} of ${day.tapCount} paid)`,
      value: `${tapUas.toFixed(0)} µAs = ${(tapUas / 3.6).toFixed(1)} nAh, ${(tapUj / 1000).toFixed(2)} mJ`,
      goal: info,
      met: day.paidCount === day.tapCount,
    },
    {
      name: `projected battery life (${capacityMah} mAh at this day's average)`,
      value: `${lifeDays.toFixed(1)} days`,
      goal: info,
      met: true,
    },
    {
      name: 'discharge: taps refused while payments left > 0',
      value: String(discharge.refusedWithReserve),
      goal: '0 (zero payments refused while the reserve is above zero)',
      met: discharge.cutOffMs !== undefined && discharge.refusedWithReserve === 0,
    },
    {
      name: 'discharge: payments left reported at cut-off',
      value: discharge.payLeftAtCutOff === undefined ? 'none' : String(discharge.payLeftAtCutOff),
      goal: '0 (nothing promised that the cell could not pay)',
      met: discharge.payLeftAtCutOff === 0,
    },
    { name: `discharge from ${DISCHARGE_START_PERCENT} %, a tap every 10 min`, value: describeDischarge(discharge), goal: info, met: true },
  ];
}

function describeDischarge(d: Discharge): string {
  const refusals = Object.entries(d.refused).map(([why, n]) => `${n} ${why}`).join(', ') || 'none refused';
  const cutOff = d.cutOffMs === undefined ? 'no cut-off' : `cut-off after ${(d.cutOffMs / HOUR_MS).toFixed(1)} h`;
  return `${d.taps} taps: ${d.paid} paid, ${refusals}; ${cutOff} (${(d.wallMs / 1000).toFixed(2)} s wall)`;
}

async function loadFirmware(): Promise<string> {
  if (!existsSync(BUNDLE_PATH)) await buildFirmware({ write: true });
  return readFileSync(BUNDLE_PATH, 'latin1');
}

/** day.csv (the trace), day-ledger.csv (charge per consumer and state), day.svg and two close-ups. */
function writeArtifacts(day: EnergyDay): void {
  const trace = day.power.trace;
  if (!trace) return;
  const dir = new URL('../artifacts/energy/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('day.csv', dir), trace.toCsv());
  const nowUs = day.power.nowUs();
  const ledger = ['consumer,state,current_ua,dwell_s,charge_uas,share_pct'];
  const total = day.power.chargeUas();
  for (const e of day.power.ledger.entries(nowUs)) {
    ledger.push([e.consumer, e.state, e.currentUa, (e.dwellUs / 1e6).toFixed(6), e.chargeUas.toFixed(3), ((100 * e.chargeUas) / total).toFixed(3)].join(','));
  }
  writeFileSync(new URL('day-ledger.csv', dir), ledger.join('\n') + '\n');
  const catalogue = day.power.catalogue;
  writeFileSync(new URL('day.svg', dir), renderTraceSvg(trace.rows, catalogue, { title: 'Virtual strap, one simulated day', endUs: nowUs }));
  const tapUs = TAPS[0]! * 1000;
  writeFileSync(
    new URL('tap.svg', dir),
    renderTraceSvg(trace.rows, catalogue, { title: 'Close-up: a payment tap', fromUs: tapUs - 100_000, toUs: tapUs + 900_000 }),
  );
  // the first sync window after 02:00 (the firmware's power mode asleep, the strap off the wrist)
  const radioAt = CONSUMERS.indexOf('radio');
  const sync = trace.rows.find((r) => r.timeUs >= 2 * HOUR_MS * 1000 && r.states[radioAt] !== 'off');
  if (sync) {
    writeFileSync(
      new URL('sync.svg', dir),
      renderTraceSvg(trace.rows, catalogue, { title: 'Close-up: a sync window (advertising, the strap asleep)', fromUs: sync.timeUs - 20_000, toUs: sync.timeUs + 1_600_000 }),
    );
  }
}

// `tsx bench/energy.ts` prints the figures on their own.
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runEnergyBench();
  const width = Math.max(...figures.map((f) => f.name.length));
  for (const f of figures) console.log(`${f.met ? 'ok  ' : 'MISS'} ${f.name.padEnd(width)}  ${f.value.padStart(14)}   goal ${f.goal}`);
}
