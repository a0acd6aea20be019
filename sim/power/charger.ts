/**
 * The strap's linear Li-Po charger, modelled on Microchip's MCP73831 (a
 * constant-current / constant-voltage charge controller with preconditioning,
 * charge termination and automatic recharge), and the supply supervisor that
 * cuts the rail (brownout) when the cell sags too far.
 *
 * Charger figures:
 *  - MCP73831/2 data sheet (DS20001984H), Features: "High-Accuracy Preset
 *    Voltage Regulation: ±0.75 %", regulation options 4.20/4.35/4.40/4.50 V,
 *    "Programmable Charge Current: 15 mA to 500 mA", "Selectable
 *    Preconditioning: 10 %, 20 %, 40 %, or Disable", "Selectable End-of-Charge
 *    Control: 5 %, 7.5 %, 10 %, or 20 %", constant-current/constant-voltage
 *    algorithm, automatic recharge.
 *  - The thresholds of that charge-control block as tabulated in the MCP73833/4
 *    data sheet (DS22005B, DC characteristics), assumed the same for the
 *    MCP73831: charge termination ITERM/IREG 7.5 % (one of 5/7.5/10/20 %),
 *    recharge threshold VRTH/VREG 96.5 % (or 94 %), precondition threshold
 *    VPTH/VREG 71.5 % (or 66.5 %) low-to-high with 100 mV hysteresis,
 *    precondition current IPREG/IREG 10 %.
 *  Chosen here: 4.20 V, 60 mA (0.5 C for the 120 mAh cell), 7.5 % end of charge.
 *  The charger feeds the battery node, and the strap's load hangs on the same
 *  node (no power path), so the charger's output current is the cell's charge
 *  current plus the load; termination compares that output with ITERM.
 *
 * Supervisor: the strap's rail is an MCP1700-3002 LDO (3.0 V out; data sheet
 * DS21826B: dropout 178 mV typ at 250 mA, input range 2.3–6.0 V). Below a
 * 3.0 V cell the rail is out of regulation and the cell is at its discharge
 * cut-off (the OCV table's 0 %), so the board is held off below 3.0 V at the
 * battery node and let on again at 3.3 V (design hysteresis, so a cell that
 * recovers when its load is removed does not chatter). The nRF52832's own
 * brownout reset (VDD below 1.7 V, Nordic DevZone 80560: "the minimum VDD
 * voltage to execute code is 1.7V, if the voltage fall below this the chip
 * will enter brown out reset") is never reached before that on a Li-Po.
 */
export type ChargerPhase = 'unplugged' | 'precondition' | 'cc' | 'cv' | 'done';

export interface ChargerOptions {
  /** IREG, fast-charge current (mA). */
  chargeCurrentMa?: number;
  /** VREG (V). */
  regulationVolts?: number;
  /** ITERM / IREG. */
  terminationRatio?: number;
  /** VRTH / VREG: recharge below this after a completed charge. */
  rechargeRatio?: number;
  /** IPREG / IREG. */
  preconditionCurrentRatio?: number;
  /** VPTH / VREG. */
  preconditionThresholdRatio?: number;
  preconditionHysteresisVolts?: number;
}

export interface ChargerSettings {
  chargeCurrentUa: number;
  regulationVolts: number;
  terminationCurrentUa: number;
  rechargeVolts: number;
  preconditionCurrentUa: number;
  preconditionVolts: number;
  preconditionHysteresisVolts: number;
}

export function chargerSettings(options: ChargerOptions = {}): ChargerSettings {
  const chargeCurrentUa = (options.chargeCurrentMa ?? 60) * 1000;
  const regulationVolts = options.regulationVolts ?? 4.2;
  return {
    chargeCurrentUa,
    regulationVolts,
    terminationCurrentUa: chargeCurrentUa * (options.terminationRatio ?? 0.075),
    rechargeVolts: regulationVolts * (options.rechargeRatio ?? 0.965),
    preconditionCurrentUa: chargeCurrentUa * (options.preconditionCurrentRatio ?? 0.1),
    preconditionVolts: regulationVolts * (options.preconditionThresholdRatio ?? 0.715),
    preconditionHysteresisVolts: options.preconditionHysteresisVolts ?? 0.1,
  };
}

export interface SupervisorOptions {
  /** The rail is cut when the battery node falls below this (V). */
  offBelowVolts?: number;
  /** ... and restored when it is back at or above this (V). */
  onAtVolts?: number;
}

export interface SupervisorSettings {
  offBelowVolts: number;
  onAtVolts: number;
}

export function supervisorSettings(options: SupervisorOptions = {}): SupervisorSettings {
  const offBelowVolts = options.offBelowVolts ?? 3.0;
  const onAtVolts = options.onAtVolts ?? 3.3;
  if (!(onAtVolts > offBelowVolts)) throw new Error('power: the supervisor needs onAtVolts > offBelowVolts (hysteresis)');
  return { offBelowVolts, onAtVolts };
}
