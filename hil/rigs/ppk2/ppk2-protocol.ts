/**
 * The Nordic Power Profiler Kit II's serial protocol, as bytes: the commands
 * we send, the calibration metadata it answers with, and the 4-byte samples
 * it streams. Written from Nordic's open-source nRF Connect Power Profiler
 * (github.com/NordicSemiconductor/pc-nrfconnect-ppk: src/constants.ts for the
 * opcodes; src/device/abstractDevice.ts and serialDevice.ts for the command
 * arguments, the metadata text, the sample layout and the ADC → current
 * formula), cross-checked with IRNAS/ppk2-api-python (src/ppk2_api/ppk2_api.py).
 *
 * The PPK2 is a USB CDC device: the baud rate is ignored. Samples come at
 * 100 kHz (one every 10 µs) between AverageStart and AverageStop.
 */

/** Opcodes (pc-nrfconnect-ppk src/constants.ts). */
export const Ppk2Command = {
  AverageStart: 0x06,
  AverageStop: 0x07,
  DeviceRunningSet: 0x0c,
  RegulatorSet: 0x0d,
  SetPowerMode: 0x11,
  GetMetadata: 0x19,
} as const;

export const PPK2_SAMPLE_PERIOD_US = 10;
export const PPK2_VDD_RANGE_MV = { min: 800, max: 5000 } as const;

export type Ppk2Mode = 'ampere' | 'source';

export const ppk2Commands = {
  getMetadata: () => Buffer.from([Ppk2Command.GetMetadata]),
  /** SetPowerMode: 1 = ampere meter (the PPK2 measures a supply it does not provide), 2 = source meter (SMU: it powers the DUT). */
  setMode: (mode: Ppk2Mode) => Buffer.from([Ppk2Command.SetPowerMode, mode === 'source' ? 2 : 1]),
  /** RegulatorSet: VDD in mV, big-endian (abstractDevice.ts ppkUpdateRegulator: `vdd >> 8, vdd & 0xff`). */
  setVddMv: (mv: number) => {
    if (!Number.isInteger(mv) || mv < PPK2_VDD_RANGE_MV.min || mv > PPK2_VDD_RANGE_MV.max) {
      throw new RangeError(`PPK2 VDD must be ${PPK2_VDD_RANGE_MV.min}–${PPK2_VDD_RANGE_MV.max} mV, got ${mv}`);
    }
    return Buffer.from([Ppk2Command.RegulatorSet, mv >> 8, mv & 0xff]);
  },
  /** DeviceRunningSet: the DUT power switch (1 on, 0 off). */
  setDutPower: (on: boolean) => Buffer.from([Ppk2Command.DeviceRunningSet, on ? 1 : 0]),
  startSampling: () => Buffer.from([Ppk2Command.AverageStart]),
  stopSampling: () => Buffer.from([Ppk2Command.AverageStop]),
};

/** Per measurement range (0 = most sensitive … 4), the factory calibration. */
export interface Ppk2Calibration {
  /** Shunt resistance per range (Ω). */
  r: number[];
  gs: number[];
  gi: number[];
  /** ADC offset per range (counts). */
  o: number[];
  s: number[];
  i: number[];
  /** User gain per range. */
  ug: number[];
  calibrated: boolean;
  hw?: string;
}

/** The app's defaults (serialDevice.ts `modifiers`), kept where the metadata lacks a value. */
export function defaultCalibration(): Ppk2Calibration {
  return {
    r: [1031.64, 101.65, 10.15, 0.94, 0.043],
    gs: [1, 1, 1, 1, 1],
    gi: [1, 1, 1, 1, 1],
    o: [0, 0, 0, 0, 0],
    s: [0, 0, 0, 0, 0],
    i: [0, 0, 0, 0, 0],
    ug: [1, 1, 1, 1, 1],
    calibrated: false,
  };
}

/** The metadata ends with this line (serialDevice.ts getMetadata waits for it). */
export const METADATA_END = 'END';

/**
 * GetMetadata's answer: `Key: value` lines (`Calibrated: 1`, `R0: 1031.64`,
 * `GS0: …`, `GI0`, `O0`, `S0`, `I0`, `UG0` for ranges 0–4, `HW: …`, …) and
 * a last line `END`. Values may read `-nan`; those, unknown keys and zero
 * shunt resistances keep the defaults.
 */
export function parseMetadata(text: string): Ppk2Calibration {
  const end = text.indexOf(METADATA_END);
  if (end < 0) throw new Error('PPK2 metadata is incomplete (no END line)');
  const calibration = defaultCalibration();
  for (const raw of text.slice(0, end).split(/\r?\n/)) {
    const match = /^\s*([A-Za-z]+?)([0-4])?\s*:\s*(\S+)\s*$/.exec(raw);
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    const range = match[2] === undefined ? undefined : Number(match[2]);
    const value = Number(match[3]);
    if (range === undefined) {
      if (key === 'calibrated') calibration.calibrated = value === 1;
      else if (key === 'hw') calibration.hw = match[3];
      continue;
    }
    const column = (calibration as unknown as Record<string, number[] | undefined>)[key];
    if (!Array.isArray(column) || !Number.isFinite(value) || (key === 'r' && value === 0)) continue;
    column[range] = value;
  }
  return calibration;
}

/** One sample as the PPK2 sends it. */
export interface Ppk2Sample {
  currentUa: number;
  range: number;
  /** The 8 digital inputs (D0–D7). */
  logic: number;
}

/**
 * Decodes the sample stream: 32-bit little-endian words (serialDevice.ts
 * generateMask / handleRawDataSet):
 *
 *   bits  0–13  ADC value (×4 before conversion)
 *   bits 14–16  measurement range (shunt), 0–4
 *   bits 18–23  counter, +1 per sample modulo 64 (a jump means samples were lost)
 *   bits 24–31  the digital inputs
 *
 * current (A) = UG·(x·(GS·x + GI) + S·VDD_V + I), x = (4·adc − O) · (1.8 / 163840) / R,
 * all per range. Nordic's app also smooths the 3 samples after a range switch
 * (its "spike filter"); we do not: window averages barely change.
 */
export class Ppk2SampleDecoder {
  /** Samples the counter says never arrived. */
  lost = 0;
  private remainder = Buffer.alloc(0);
  private expectedCounter: number | undefined;

  constructor(
    private readonly calibration: Ppk2Calibration,
    /** The DUT supply (mV): the S term depends on it. */
    private readonly vddMv: number,
  ) {}

  push(chunk: Buffer): Ppk2Sample[] {
    const bytes = this.remainder.length ? Buffer.concat([this.remainder, chunk]) : chunk;
    const samples: Ppk2Sample[] = [];
    let at = 0;
    for (; at + 4 <= bytes.length; at += 4) samples.push(this.decode(bytes.readUInt32LE(at)));
    this.remainder = Buffer.from(bytes.subarray(at));
    return samples;
  }

  private decode(word: number): Ppk2Sample {
    const adc = word & 0x3fff;
    const range = Math.min((word >>> 14) & 0x7, 4);
    const counter = (word >>> 18) & 0x3f;
    const logic = (word >>> 24) & 0xff;
    if (this.expectedCounter !== undefined && counter !== this.expectedCounter) this.lost += (counter - this.expectedCounter + 64) % 64;
    this.expectedCounter = (counter + 1) % 64;
    return { currentUa: adcToMicroamps(this.calibration, range, adc, this.vddMv), range, logic };
  }
}

export function adcToMicroamps(calibration: Ppk2Calibration, range: number, adc: number, vddMv: number): number {
  const c = calibration;
  const x = (adc * 4 - c.o[range]!) * (1.8 / 163840 / c.r[range]!);
  const amps = c.ug[range]! * (x * (c.gs[range]! * x + c.gi[range]!) + c.s[range]! * (vddMv / 1000) + c.i[range]!);
  return amps * 1e6;
}
