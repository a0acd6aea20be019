/**
 * What each consumer of the strap draws in each of its states, with where the
 * figure comes from. Currents are increments on the cell (µA), so the load is
 * the sum over consumers. Every figure is a typical value at about 3 V.
 *
 * Sources (the short names used below):
 *  [PUCK]   Puck.js board documentation, espruino.com/Puck.js, "Power Consumption"
 *           (source: github.com/espruino/EspruinoDocs, boards/Puck.js.md; the same
 *           figures in every stored version read, e.g. commit 01b724e7 and the later
 *           one with the Puck.js v2 rows): "Not doing anything - 3uA"; "Not doing
 *           anything, watching the button for presses - 12uA"; "Advertising, 375ms
 *           0dBm (default mode) - 20uA"; "Advertising, 375ms 0dBm (default mode),
 *           watching the button - 25uA"; "Connected via BLE - 200uA"; "Connected via
 *           BLE, `NRF.setConnectionInterval(200)` - 50uA"; "One LED lit - 1000-2000uA";
 *           "100% CPU usage running JavaScript - 4000uA". No version read gives 40 µA
 *           advertising, 600 µA or 32 µA connected, or 22 µA non-connectable (figures
 *           once quoted for it; docs/espruino-subset.md keeps only the sourced ones).
 *  [E2635]  Espruino issue #2635 "nRF52: Better Bluetooth connection power saving"
 *           (github.com/espruino/Espruino/issues/2635, by the maintainer, gfwilliams):
 *           "In 'high power' 7.5ms interval mode it draws around 600uA, but in low
 *           power 200ms mode it's 40uA"; the link drops to the 200 ms interval after
 *           about 2 minutes idle. This is the current firmware's dynamic interval, so
 *           it is used for the connected states in preference to [PUCK]'s 200/50 µA,
 *           which name no interval and predate it.
 *  [EPWR]   Espruino "Power Consumption" page (espruino.com/Power+Consumption), nRF52
 *           table: "Sleep with HSE on | ~1mA | USART/Serial or high speed timer in use";
 *           "Sleep | 0.003mA | With bluetooth advertising disabled".
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
 *  [TRF]    Cross-check only, a different part: TI TRF7964A data sheet SLOS787J, 5.4
 *           Electrical Characteristics (ti.com/document-viewer/TRF7964A/datasheet): IPD1
 *           power down mode 1 (EN = 0, all blocks off) 0.5 µA typ, 5 µA max; ISTBY 1.9 mA;
 *           ION1 "Oscillator, regulators, RX and AGC active, TX is off" 10.5 mA typ.
 *           An NFC transceiver of the TRF7970A family, not an NCI controller with a
 *           low-power field detector: it brackets the NFCC estimates, it is not their source.
 *  [ECC608] Cross-check only, a different part: Microchip ATECC608B-TFLXTLS data sheet,
 *           9.4 DC Parameters (onlinedocs.microchip.com, GUID-70C61248…): ICC 2 mA typ
 *           "Waiting for I/O … or execution of non-ECC commands", 14 mA max "During ECC
 *           command execution"; IIDLE 800 µA; ISLEEP 30 nA typ (150 nA max). An I²C
 *           crypto secure element, not a JavaCard eSE: it brackets the SE estimates.
 *  [NFCC-EST] ESTIMATE, NOT CITED. The NFC controller is of the NXP PN7150 / PN7160 / SN1x0
 *           class (NCI over I²C, VEN, RF field detector in standby). Searched without
 *           reaching a current table: the PN7150 data sheet (NXP 317435/317438/317440, Rev. 3.2,
 *           3.5, 3.8, 4.0 and 4.2: only its first pages are stored, searched again for "hard
 *           power down", "standby", "IBAT" in the pages, docs and code corpora), AN11757 "PN7150 Low Power Mode Configuration"
 *           (title page only), UM10936 PN7150 user manual (CORE_SET_POWER_MODE text, no
 *           currents), the PN7160/PN7161 data sheet and UM11495 (first pages only), AN13996
 *           (PN76), the NXPNFCLinux linux_libnfc-nci issues (#17, #117: configuration, no
 *           figures), and public driver/config sources (no current figures in comments).
 *           The figures are orders of magnitude, bracketed by [TRF] where it applies.
 *  [SHA204] Cross-check only, a different part: Microchip ATSHA204A data sheet DS40002025A,
 *           Table 7-5: active ≤ 2 mA at 3.3 V, idle 200 µA, sleep ≤ 2 µA over all conditions;
 *           Table 7-6 tWHI/tWLO: wake-up in 1.5-2.5 ms. A SHA-only I²C authenticator, a much
 *           smaller core than a JavaCard eSE: it brackets the SE estimates from below.
 *  [SE-EST] ESTIMATE, NOT CITED. An embedded secure element of the NXP SE050 / SE051 class.
 *           Searched without reaching a current table: the SE050 / SE051 data sheets (rev 3.3
 *           not reachable, not stored; searched again for "deep power down", "idle", "supply
 *           current" in the pages, docs and code corpora), UM11225 (T=1 over I2C: timing, no
 *           currents), AN12413 (APDU specification: no currents), AN13013 and AN12448
 *           (middleware: no currents), the OM-SE051ARD-H quick start guide (jumpers only),
 *           ST ST33/ST54 and Infineon SLx eSE pages (none stored). Bracketed by [ECC608] and
 *           [SHA204]. This table is the one statement of the SE's currents: sim/se
 *           (SecureElement.currentUa, sim/se/timing.ts) reads it too.
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
      sleep: { currentUa: 3, source: '[PUCK] "Not doing anything - 3uA"; [EPWR] sleep, advertising disabled 0.003 mA (cf. [N52SUM] System ON 2.0 µA)' },
      // Espruino interpreting JS; [N52SUM] gives 3.4 mA for the CPU from flash with the DC/DC.
      run: { currentUa: 4000, source: '[PUCK] "100% CPU usage running JavaScript - 4000uA" (cf. [EPWR] run 4–8 mA, [N52SUM] 3.4 mA DC/DC)' },
    },
  },
  gpiote: {
    label: 'GPIOTE (setWatch)',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      // [PUCK] gives two increments for a watched button: 12 − 3 = 9 µA with the radio off,
      // 25 − 20 = 5 µA while advertising. The larger one is kept (conservative).
      watching: { currentUa: 9, source: '[PUCK] "watching the button for presses - 12uA" − "Not doing anything - 3uA" (5 µA while advertising: 25 − 20)' },
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
      attached: { currentUa: 1000, source: '[EPWR] "Sleep with HSE on | ~1mA | USART/Serial … in use" ([PUCK] gives no figure: "increases power draw a huge amount")' },
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
      advertising: { currentUa: 17, source: '[PUCK] "Advertising, 375ms 0dBm (default mode) - 20uA" − 3 µA idle' },
      // Espruino's high-rate 7.5 ms interval; [PUCK] "Connected via BLE - 200uA" names no interval.
      connected: { currentUa: 597, source: '[E2635] "\'high power\' 7.5ms interval mode … around 600uA" − 3 µA idle' },
      // The 200 ms interval Espruino drops to after ~2 min idle; [PUCK] gives 50 µA with setConnectionInterval(200).
      'connected-idle': { currentUa: 37, source: '[E2635] "low power 200ms mode it\'s 40uA" − 3 µA idle (cf. [PUCK] 50 µA)' },
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
      // VEN low: only leakage and the PMU's wake-up logic. Cf. [TRF] IPD1 0.5 µA typ / 5 µA max.
      // The firmware holds VEN low while card emulation is off (off the wrist, locked, or refused by the
      // brownout guard): this is the figure the standby budget rests on. Sensitivity: at [TRF]'s 5 µA max
      // the energy bench's standby average would be ~4 µA higher (above its 15 µA goal).
      hpd: { currentUa: 1, source: '[NFCC-EST] hard power-down (VEN low), estimate ~1 µA (cf. [TRF] IPD1 0.5 µA typ, 5 µA max)' },
      // The listen state of an NCI controller: 13.56 MHz oscillator off, a Cortex-M0 core
      // asleep with RAM kept, the RF field detector (a comparator on the antenna) armed.
      // No figure reached. Reasoning: a sleeping Cortex-M SoC with RAM kept draws a few µA
      // (cf. [N52SUM] 2.0 µA), the comparator and its reference add µA to tens of µA;
      // 20 µA is kept as the pessimistic end. Far below [TRF] ISTBY 1.9 mA, a part that keeps
      // its oscillator running in standby. Sensitivity: 16 h a day in this state, so it is
      // ~13 µA of the bench's 24 h average. The firmware keeps it here only while card emulation is on
      // (worn and unlocked); off, VEN is low (hpd).
      standby: { currentUa: 20, source: '[NFCC-EST] standby, RF field detector armed (card emulation listen), estimate ~20 µA' },
      // Standby disabled by the DH (UM10936 9.6.1 CORE_SET_POWER_MODE 00, "should be restricted to
      // debug sessions"): the Cortex-M0 core and the host interface stay awake, RF off. A running
      // Cortex-M SoC draws ~1-4 mA (cf. [N52SUM] 3.4 mA); below [TRF] ISTBY 1.9 mA is not assumed.
      active: { currentUa: 2000, source: '[NFCC-EST] standby disabled, core awake, RF off, estimate ~2 mA (cf. [TRF] ISTBY 1.9 mA, [N52SUM] CPU 3.4 mA)' },
      // Receiver, demodulator and CPU running, no transmitter (load modulation only).
      // [TRF] ION1 (RX and AGC on, TX off) is 10.5 mA for that older transceiver; an
      // integrated controller is estimated lower. Sensitivity: 2.5 s a day in this state,
      // so doubling it moves the bench's 24 h average by ~0.14 µA.
      'ce-active': { currentUa: 5000, source: '[NFCC-EST] card emulation with a reader field, estimate ~5 mA (cf. [TRF] ION1 RX on, TX off 10.5 mA)' },
    },
  },
  se: {
    label: 'Secure element',
    onRail: true,
    initial: 'off',
    off: 'off',
    states: {
      off: ZERO,
      // After the host's S(end of APDU session) or 50 ms without traffic (sim/se/timing.ts): clock stopped,
      // state kept, woken by the host's address. Above [ECC608] sleep (30 nA, state lost) and [SHA204] sleep (≤ 2 µA).
      'deep-power-down': { currentUa: 5, source: '[SE-EST] deep power-down, estimate ~5 µA (cf. [SHA204] sleep ≤ 2 µA, [ECC608] ISLEEP 30 nA typ)' },
      // Awake between commands for at most 50 ms (the model then drops to deep power-down): clock running,
      // waiting for the host's next frame, as [SHA204] idle (200 µA) and [ECC608] IIDLE (800 µA) are. The
      // figure once kept here (10 µA, "clock stopped") described deep power-down, not this state.
      idle: { currentUa: 300, source: '[SE-EST] awake between commands, clock running, estimate ~300 µA (cf. [SHA204] idle 200 µA, [ECC608] IIDLE 800 µA)' },
      // APDU processing with crypto (the cryptogram's ECC / AES). [ECC608] brackets it on both sides with the
      // same kind of work (2 mA typ for I/O and non-ECC commands, 14 mA max during ECC); [SHA204]'s ≤ 2 mA,
      // scaled up for a JavaCard core (the 6 mA once in sim/se/timing.ts), has no upper end and no ECC.
      active: { currentUa: 8000, source: '[SE-EST] APDU processing with crypto, estimate ~8 mA (cf. [ECC608] ICC 2 mA typ, 14 mA max during ECC; [SHA204] ≤ 2 mA)' },
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
    states: { off: ZERO, on: { currentUa: 1500, source: '[PUCK] "One LED lit - 1000-2000uA" (midpoint)' } },
  };
}

/** The current of `consumer` in `state`; throws naming both when the state is unknown. */
export function currentOf(catalogue: CurrentCatalogue, consumer: ConsumerName, state: string): number {
  const spec = catalogue[consumer].states[state];
  if (!spec) throw new Error(`power: ${consumer} has no state '${state}' (states: ${Object.keys(catalogue[consumer].states).join(', ')})`);
  return spec.currentUa;
}
