/**
 * What each consumer of the strap draws in each of its states, with where the
 * figure comes from. Currents are increments on the cell (µA), so the load is
 * the sum over consumers. Every figure is a typical value at about 3 V.
 *
 * Sources (the short names used below):
 *  [PUCK]   Puck.js board documentation, as quoted in ../shared/espruino-subset.md
 *           ("Puck.js currents"): idle after NRF.sleep() 3 µA; watching the
 *           button 12 µA; default connectable advertising 40 µA; connected at
 *           the default interval 600 µA; connected and idle 32 µA; one LED
 *           1–2 mA; JS at 100 % CPU 4 mA; sleep with the UART active ~1 mA.
 *  [N52PS]  nRF52832 Product Specification v1.1, "Current consumption: Radio"
 *           (infocenter.nordicsemi.com/topic/com.nordic.infocenter.nrf52832.ps.v1.1/pmu.html):
 *           IRADIO_TX0 0 dBm TX @ 1 Mb/s BLE, HFXO: 7.1 mA; IRADIO_RX0 RX @ 1 Mb/s: 6.5 mA;
 *           IS0/IS1 CPU running CoreMark from flash + radio TX/RX: 9.2 mA.
 *  [N52SUM] nRF52 family current reference (embedwise.pages.dev/calculators/nrf52-power-profiler,
 *           "from datasheets", VDD 3.0 V): nRF52832 System ON sleep 2.0 µA, CPU 64 MHz
 *           DC/DC 3.4 mA. Used only to cross-check [PUCK].
 *  [NFCT]   Nordic DevZone 87403 "Current draw when NFCT is active" (Nordic engineer):
 *           "just calling TASKS_SENSE makes the NFC peripheral consume about 500 uA,
 *           when the tag is in the field, according to spec".
 *  [LDO]    Microchip MCP1700 data sheet DS21826B, DC characteristics: input quiescent
 *           current Iq 1.6 µA typ (IL = 0), dropout 178 mV typ @ 250 mA (VR = 2.8 V).
 *  [ERM]    Coin (10 mm × 3 mm) ERM vibration motor, generic data
 *           (docs.cirkitdesigner.com, "Vibration motor" component page): rated 3 V,
 *           operating current 70–120 mA at 3 V; a 3 V listing quoted on forum.arduino.cc
 *           ("Vibration motors characteristics"): 70 mA max @ 3 V.
 *  [NFCC?]  UNVERIFIED. An NFC controller with embedded SE of the NXP PN7150 / SN1x0
 *           class (NCI over I²C). The search corpus returned the PN7150 data sheet
 *           (NXP 317438) and AN11757 "PN7150 Low Power Mode Configuration" only as
 *           titles, not their current tables: the figures below are order-of-magnitude
 *           placeholders for that class, to be replaced from the data sheet.
 *  [SE?]    UNVERIFIED, as [NFCC?]: an embedded secure element of the same class
 *           (e.g. NXP SE050 data sheet 504933 names the modes; its table was not returned).
 */
export const CONSUMERS = ['regulator', 'mcu', 'gpiote', 'uart', 'led1', 'led2', 'led3', 'radio', 'nfct', 'nfcc', 'se', 'haptic'] as const;
export type ConsumerName = (typeof CONSUMERS)[number];

export interface CurrentState {
  currentUa: number;
  /** Where the figure comes from (a source name above and what it says). */
  source: string;
}

export interface ConsumerSpec {
  label: string;
  /** Behind the strap's regulator: cut when the supply supervisor cuts the rail. */
  onRail: boolean;
  /** The state it is in at power-up of the model. */
  initial: string;
  /** The state it is forced into when the rail is cut. */
  off: string;
  states: Readonly<Record<string, CurrentState>>;
}

export type CurrentCatalogue = Readonly<Record<ConsumerName, ConsumerSpec>>;

const ZERO: CurrentState = { currentUa: 0, source: 'off: no current' };

export const STRAP_CURRENTS: CurrentCatalogue = {
  regulator: {
    label: 'LDO (MCP1700-3002)',
    onRail: false,
    initial: 'on',
    off: 'on',
    states: { on: { currentUa: 1.6, source: '[LDO] Iq 1.6 µA typ' } },
  },
  mcu: {
    label: 'nRF52832 CPU',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      // System ON, RTC running, RAM retained; [N52SUM] gives 2.0 µA for the bare chip.
      sleep: { currentUa: 3, source: '[PUCK] idle after NRF.sleep() 3 µA (cf. [N52SUM] System ON 2.0 µA)' },
      // Espruino interpreting JS; [N52SUM] gives 3.4 mA for the CPU from flash with the DC/DC.
      run: { currentUa: 4000, source: '[PUCK] JS at 100 % CPU 4 mA (cf. [N52SUM] 3.4 mA DC/DC)' },
    },
  },
  gpiote: {
    label: 'GPIOTE (setWatch)',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      // Checked against the Puck.js page itself (espruino/EspruinoDocs boards/Puck.js.md, "Power Consumption"):
      // "Not doing anything, watching the button for presses - 12uA"; while advertising, 20 → 25 µA with the button watched.
      watching: { currentUa: 9, source: '[PUCK] watching the button 12 µA − idle 3 µA' },
    },
  },
  uart: {
    label: 'UART console',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      // The UART keeps the high-frequency clock running; the ~3 µA idle floor is inside the rounding.
      attached: { currentUa: 1000, source: '[PUCK] sleep with the UART active ~1 mA' },
    },
  },
  led1: ledSpec('LED1 red'),
  led2: ledSpec('LED2 green'),
  led3: ledSpec('LED3 blue'),
  radio: {
    label: 'BLE radio',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      tx: { currentUa: 7100, source: '[N52PS] IRADIO_TX0 0 dBm @ 1 Mb/s 7.1 mA' },
      rx: { currentUa: 6500, source: '[N52PS] IRADIO_RX0 @ 1 Mb/s 6.5 mA' },
      // Board-level averages (radio events + SoftDevice CPU), minus the 3 µA idle floor counted by 'mcu'.
      advertising: { currentUa: 37, source: '[PUCK] default connectable advertising 40 µA − 3 µA idle' },
      connected: { currentUa: 597, source: '[PUCK] connected, default interval 600 µA − 3 µA idle' },
      'connected-idle': { currentUa: 29, source: '[PUCK] connected and idle for a minute 32 µA − 3 µA idle' },
    },
  },
  nfct: {
    label: 'nRF52 NFC tag',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      // Field detection without a field: below the model's resolution (figure not retrieved).
      sense: { currentUa: 0, source: 'sense, no field: not retrieved, treated as negligible' },
      field: { currentUa: 500, source: '[NFCT] TASKS_SENSE with the tag in the field ~500 µA' },
    },
  },
  nfcc: {
    label: 'NFC controller (PN7150-class)',
    onRail: true,
    initial: 'hpd',
    off: 'unpowered',
    states: {
      unpowered: ZERO,
      hpd: { currentUa: 1, source: '[NFCC?] hard power-down (VEN low), placeholder' },
      standby: { currentUa: 20, source: '[NFCC?] standby, RF field detector armed (card emulation listen), placeholder' },
      'ce-active': { currentUa: 5000, source: '[NFCC?] card emulation with a reader field, placeholder' },
    },
  },
  se: {
    label: 'Secure element',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      idle: { currentUa: 10, source: '[SE?] powered, clock stopped, placeholder' },
      active: { currentUa: 8000, source: '[SE?] APDU processing with crypto, placeholder' },
    },
  },
  haptic: {
    label: 'Haptic motor (10 mm ERM)',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      on: { currentUa: 70_000, source: '[ERM] 70 mA at 3 V (low end of 70–120 mA)' },
    },
  },
};

function ledSpec(label: string): ConsumerSpec {
  return {
    label,
    onRail: true,
    initial: 'off',
    off: 'off',
    states: { off: ZERO, on: { currentUa: 1500, source: '[PUCK] one LED 1–2 mA (midpoint)' } },
  };
}

/** The current of `consumer` in `state`; throws naming both when the state is unknown. */
export function currentOf(catalogue: CurrentCatalogue, consumer: ConsumerName, state: string): number {
  const spec = catalogue[consumer].states[state];
  if (!spec) throw new Error(`power: ${consumer} has no state '${state}' (states: ${Object.keys(catalogue[consumer].states).join(', ')})`);
  return spec.currentUa;
}
