// The PPK2 driver against synthetic byte streams built from the documented
// format (Nordic pc-nrfconnect-ppk src/constants.ts, src/device/
// abstractDevice.ts and serialDevice.ts; see ppk2-protocol.ts): command
// bytes, the metadata text, the 4-byte sample words, and a fake PPK2 on an
// in-memory serial link that answers GetMetadata and streams samples.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLink, type MemoryDevice } from '../../../host-bridge/transports/index';
import { until } from '../../../testing/until';
import { onPeriods } from '../../scenarios/button';
import { LogicProbe, parseLogicMap } from './logic-probe';
import { Ppk2 } from './ppk2';
import { Ppk2SampleDecoder, adcToMicroamps, defaultCalibration, parseMetadata, ppk2Commands } from './ppk2-protocol';

/** One sample word as the PPK2 sends it: adc bits 0–13, range 14–16, counter 18–23, logic 24–31, little-endian. */
function sampleWord(adc: number, range: number, counter: number, logic = 0): Buffer {
  const word = Buffer.alloc(4);
  word.writeUInt32LE((((logic & 0xff) << 24) | ((counter & 0x3f) << 18) | ((range & 0x7) << 14) | (adc & 0x3fff)) >>> 0);
  return word;
}

/** The ADC count a current gives on a range with the default calibration (V = I·R, 4·adc·1.8/163840 = V). */
const adcFor = (currentUa: number, range: number) => Math.round((currentUa * 1e-6 * defaultCalibration().r[range]! * 163840) / 1.8 / 4);
/** One ADC count on a range, in µA. */
const stepUa = (range: number) => ((4 * 1.8) / 163840 / defaultCalibration().r[range]!) * 1e6;

const METADATA = ['Calibrated: 1', 'R0: 1003.3580', 'R1: 101.8260', 'R2: 10.0430', 'R3: 0.9850', 'R4: 0', 'GS0: 0.0000', 'GI0: 1.0000', 'O0: -nan', 'UG2: 2.0000', 'S3: 0.0010', 'HW: 9173', 'mode: 2', 'END'].join('\n') + '\n';

describe('PPK2 commands', () => {
  it('encodes the mode, the VDD in big-endian mV, the DUT switch and sampling', () => {
    expect([...ppk2Commands.getMetadata()]).toEqual([0x19]);
    expect([...ppk2Commands.setMode('ampere')]).toEqual([0x11, 1]);
    expect([...ppk2Commands.setMode('source')]).toEqual([0x11, 2]);
    expect([...ppk2Commands.setVddMv(3300)]).toEqual([0x0d, 0x0c, 0xe4]);
    expect([...ppk2Commands.setVddMv(800)]).toEqual([0x0d, 3, 32]); // ppk2-api-python: "800mV is the lowest setting - [3,32]"
    expect([...ppk2Commands.setDutPower(true)]).toEqual([0x0c, 1]);
    expect([...ppk2Commands.setDutPower(false)]).toEqual([0x0c, 0]);
    expect([...ppk2Commands.startSampling()]).toEqual([0x06]);
    expect([...ppk2Commands.stopSampling()]).toEqual([0x07]);
  });

  it('refuses a VDD the PPK2 cannot supply', () => {
    expect(() => ppk2Commands.setVddMv(799)).toThrow(/800–5000 mV/);
    expect(() => ppk2Commands.setVddMv(5001)).toThrow(RangeError);
  });
});

describe('PPK2 metadata', () => {
  it('takes each range calibration it finds and keeps defaults for -nan, zero shunts and absent keys', () => {
    const c = parseMetadata(METADATA);
    const defaults = defaultCalibration();
    expect(c.calibrated).toBe(true);
    expect(c.hw).toBe('9173');
    expect(c.r).toEqual([1003.358, 101.826, 10.043, 0.985, defaults.r[4]]);
    expect(c.gs[0]).toBe(0);
    expect(c.o[0]).toBe(0);
    expect(c.ug).toEqual([1, 1, 2, 1, 1]);
    expect(c.s[3]).toBe(0.001);
  });

  it('says so when the END line never came', () => {
    expect(() => parseMetadata('Calibrated: 1\nR0: 1000\n')).toThrow(/incomplete/);
  });
});

describe('PPK2 samples', () => {
  it('decodes range, logic and current, and gives the same samples however the stream is cut', () => {
    const stream = Buffer.concat([sampleWord(adcFor(100, 1), 1, 0, 0x81), sampleWord(adcFor(5, 0), 0, 1), sampleWord(adcFor(20_000, 3), 3, 2, 0xff)]);
    // GS = 0: no quadratic term, so the current is exactly V/R of the shunt
    const linear = { ...defaultCalibration(), gs: [0, 0, 0, 0, 0] };
    const whole = new Ppk2SampleDecoder(linear, 3300).push(stream);
    expect(whole.map((s) => [s.range, s.logic])).toEqual([
      [1, 0x81],
      [0, 0],
      [3, 0xff],
    ]);
    expect(Math.abs(whole[0]!.currentUa - 100)).toBeLessThanOrEqual(stepUa(1));
    expect(Math.abs(whole[1]!.currentUa - 5)).toBeLessThanOrEqual(stepUa(0));
    expect(Math.abs(whole[2]!.currentUa - 20_000)).toBeLessThanOrEqual(stepUa(3));
    const pieces = new Ppk2SampleDecoder(linear, 3300);
    const cut = [...pieces.push(stream.subarray(0, 3)), ...pieces.push(stream.subarray(3, 9)), ...pieces.push(stream.subarray(9))];
    expect(cut).toEqual(whole);
  });

  it('counts samples lost on the way from jumps of the 6-bit counter, across its wrap', () => {
    const decoder = new Ppk2SampleDecoder(defaultCalibration(), 3300);
    decoder.push(Buffer.concat([62, 63, 0, 3, 4].map((n) => sampleWord(10, 0, n))));
    expect(decoder.lost).toBe(2);
  });

  it('applies the calibration: offset, user gain and the supply term', () => {
    const c = parseMetadata('O1: 40\nUG1: 2\nS1: 0.000001\nEND');
    const adc = adcFor(100, 1);
    const plain = adcToMicroamps(defaultCalibration(), 1, adc, 3000);
    const calibrated = adcToMicroamps(c, 1, adc, 3000);
    const offsetUa = (40 * 1.8) / 163840 / c.r[1]! * 1e6;
    // UG·(x(x+1) + S·VDD), x shifted down by the offset
    expect(calibrated).toBeCloseTo(2 * (plain - offsetUa + 1e-6 * 3 * 1e6), 1);
  });
});

describe('PPK2 driver on a serial link', () => {
  let ppk: Ppk2 | undefined;
  let stopStream: (() => void) | undefined;
  afterEach(async () => {
    stopStream?.();
    await ppk?.close();
    ppk = stopStream = undefined;
    vi.useRealTimers();
  });

  /** A PPK2: answers GetMetadata, streams a constant current from AverageStart (with one counter jump), stops at AverageStop. */
  function fakePpk2(device: MemoryDevice, currentUa: number, range: number) {
    const received: number[] = [];
    let counter = 0;
    let timer: NodeJS.Timeout | undefined;
    device.onData((bytes) => {
      received.push(...bytes);
      if (bytes[0] === 0x19) device.write(METADATA);
      if (bytes[0] === 0x06 && !timer) {
        let chunks = 0;
        timer = setInterval(() => {
          const words: Buffer[] = [];
          for (let i = 0; i < 1000; i++) words.push(sampleWord(adcFor(currentUa, range), range, counter++));
          if (++chunks === 3) counter += 5; // five samples lost on the way
          device.write(Buffer.concat(words));
        }, 10);
      }
      if (bytes[0] === 0x07) clearInterval(timer);
    });
    stopStream = () => clearInterval(timer);
    return received;
  }

  it('reads the calibration, sets the mode and voltage, powers the DUT in source mode, then samples', async () => {
    // The stream's 10 ms chunks and the 80 ms window on fake time: on a busy machine real timers would let the window close early.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
    const { host, device } = createMemoryLink('memory://ppk2');
    const received = fakePpk2(device, 1000, 2);
    ppk = await Ppk2.open(host, { mode: 'source', vddMv: 3700 });
    expect(ppk.calibration.r[0]).toBe(1003.358);
    expect(received).toEqual([0x19, 0x11, 2, 0x0d, 0x0e, 0x74, 0x0c, 1, 0x06]);
    const measuring = ppk.measure(80);
    await vi.advanceTimersByTimeAsync(80);
    const window = await measuring;
    // calibrated shunt of range 2 is 10.043 Ω, not the default 10.15 Ω the stream was built with, and UG2 = 2
    const expectedUa = 2 * adcToMicroamps({ ...defaultCalibration(), r: [0, 0, 10.043, 0, 0] }, 2, adcFor(1000, 2), 3700);
    expect(window.averageUa).toBeCloseTo(expectedUa, 3);
    expect(window.peakUa).toBeCloseTo(expectedUa, 3);
    expect(ppk.lostSamples).toBe(5);
  });

  it('switches DUT power only in source-meter mode', async () => {
    const { host, device } = createMemoryLink('memory://ppk2');
    fakePpk2(device, 10, 0);
    ppk = await Ppk2.open(host, { mode: 'ampere', vddMv: 3000 });
    await expect(ppk.setDutPower(false)).rejects.toThrow(/only in source-meter mode/);
  });

  it('names the port when nothing answers GetMetadata', async () => {
    const { host } = createMemoryLink('memory://not-a-ppk2');
    await expect(Ppk2.open(host, { mode: 'ampere', vddMv: 3000, metadataTimeoutMs: 100 })).rejects.toThrow('no PPK2 metadata on memory://not-a-ppk2 within 100 ms (nothing came back: is it a PPK2?)');
  });
});

describe("the bench rig's LED and haptic probes on the PPK2's digital inputs", () => {
  let ppk: Ppk2 | undefined;
  afterEach(async () => {
    await ppk?.close();
    ppk = undefined;
  });

  it('reads which input each line is on, and refuses what is not a line or an input', () => {
    expect(parseLogicMap('LED1=0, LED2=1,LED3=D2,HAPTIC=7')).toEqual({ LED1: 0, LED2: 1, LED3: 2, HAPTIC: 7 });
    expect(() => parseLogicMap('LED4=0')).toThrow(/"LED4=0" is not <line>=<input 0-7>/);
    expect(() => parseLogicMap('LED1=8')).toThrow(/not <line>=<input 0-7>/);
    expect(() => parseLogicMap('LED1=0,LED1=1')).toThrow(/LED1 is given twice/);
  });

  it('turns the sample stream into LED edges, levels and motor runs, on the samples own clock', async () => {
    const { host, device } = createMemoryLink('memory://ppk2');
    const LED2 = 1 << 1;
    const MOTOR = 1 << 3;
    // 10 µs samples: LED2 high from sample 100 to 2100 (20 ms), the motor from 3000 to 13000 (100 ms)
    const logicAt = (n: number) => (n >= 100 && n < 2100 ? LED2 : 0) | (n >= 3000 && n < 13_000 ? MOTOR : 0);
    device.onData((bytes) => {
      if (bytes[0] === 0x19) device.write(METADATA);
      if (bytes[0] === 0x06) device.write(Buffer.concat(Array.from({ length: 15_000 }, (_, n) => sampleWord(10, 0, n, logicAt(n)))));
    });
    ppk = await Ppk2.open(host, { mode: 'ampere', vddMv: 3000, nowMs: () => 0 });
    await until(() => ppk!.logicChanges().length >= 5);
    const probe = new LogicProbe(() => ppk!.logicChanges(), parseLogicMap('LED1=0,LED2=1,LED3=2,HAPTIC=3'));
    expect([probe.hasLeds, probe.hasHaptic]).toEqual([true, true]);
    expect(probe.edges(0)).toEqual([
      { led: 'LED2', on: true, timeMs: 1 },
      { led: 'LED2', on: false, timeMs: 21 },
    ]);
    expect(onPeriods(probe.edges(0), 'LED2')).toEqual([20]);
    expect(probe.edges(22)).toEqual([]);
    expect(probe.pulses(0)).toEqual([{ timeMs: 30, onMs: 100 }]);
    expect(probe.levels()).toEqual({ LED1: false, LED2: false, LED3: false });
    expect(new LogicProbe(() => ppk!.logicChanges(), { LED1: 0 }).hasLeds).toBe(false);
  });
});
