/**
 * A Nordic PPK2 as the bench rig's current probe (and, in source-meter mode,
 * its supply): reads the calibration, sets the mode and voltage, streams
 * samples and keeps them as 1 ms bins (average and peak) on the rig's clock.
 * Protocol bytes: ppk2-protocol.ts. The port is any Transport: a
 * SerialTransport on /dev/ttyACM1 on a bench, an in-memory link in tests.
 */
import type { Transport } from '../../../host-bridge/contracts';
import { SerialTransport } from '../../../host-bridge/transports/index';
import type { CurrentWindow } from '../../rig/rig';
import { METADATA_END, PPK2_SAMPLE_PERIOD_US, Ppk2SampleDecoder, parseMetadata, ppk2Commands, type Ppk2Calibration, type Ppk2Mode } from './ppk2-protocol';

export interface Ppk2Options {
  mode: Ppk2Mode;
  /** Source mode: the voltage it supplies. Ampere mode: the DUT's supply voltage (the calibration's S term needs it). */
  vddMv: number;
  /** The rig's clock (ms); bins are stamped with it. Default: performance.now(). */
  nowMs?: () => number;
  metadataTimeoutMs?: number;
}

export interface CurrentBin {
  timeMs: number;
  averageUa: number;
  peakUa: number;
}

/** The PPK2's eight digital inputs (D0–D7, bit n = Dn) took `logic` at `timeMs` (sample-accurate, on the rig's clock). */
export interface LogicChange {
  timeMs: number;
  logic: number;
}

const SAMPLES_PER_BIN = 1000 / PPK2_SAMPLE_PERIOD_US;
/** Ten minutes of 1 ms bins. */
const MAX_BINS = 600_000;

export class Ppk2 {
  private readonly bins: CurrentBin[] = [];
  private decoder: Ppk2SampleDecoder | undefined;
  private binStartMs = 0;
  private binSum = 0;
  private binPeak = 0;
  private binCount = 0;
  private readonly changes: LogicChange[] = [];
  private logic: number | undefined;
  private readonly nowMs: () => number;

  private constructor(
    readonly transport: Transport,
    readonly calibration: Ppk2Calibration,
    readonly options: Ppk2Options,
  ) {
    this.nowMs = options.nowMs ?? (() => performance.now());
  }

  /** Opens the PPK2 at a serial device path. */
  static openPath(path: string, options: Ppk2Options): Promise<Ppk2> {
    return Ppk2.open(new SerialTransport(path, { baudRate: 115200 }), options);
  }

  /** Reads the calibration, sets mode and voltage, powers the DUT in source mode, starts sampling. */
  static async open(transport: Transport, options: Ppk2Options): Promise<Ppk2> {
    if (!transport.isOpen) await transport.open();
    const calibration = parseMetadata(await readMetadata(transport, options.metadataTimeoutMs ?? 3000));
    const ppk = new Ppk2(transport, calibration, options);
    await transport.write(ppk2Commands.setMode(options.mode));
    await transport.write(ppk2Commands.setVddMv(options.vddMv));
    if (options.mode === 'source') await ppk.setDutPower(true);
    await ppk.start();
    return ppk;
  }

  /** Samples the counter says were lost on the way. */
  get lostSamples(): number {
    return this.decoder?.lost ?? 0;
  }

  /** Source mode: switches the DUT's supply. */
  async setDutPower(on: boolean): Promise<void> {
    if (this.options.mode !== 'source') throw new Error('the PPK2 switches DUT power only in source-meter mode');
    await this.transport.write(ppk2Commands.setDutPower(on));
  }

  /** Waits `windowMs` on the rig's clock and reports the average and peak of the bins in it. */
  async measure(windowMs: number): Promise<CurrentWindow> {
    const fromMs = this.nowMs();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    return this.window(fromMs, this.nowMs());
  }

  window(fromMs: number, toMs: number): CurrentWindow {
    const bins = this.binsBetween(fromMs, toMs);
    if (bins.length === 0) throw new Error(`the PPK2 sent no samples between ${fromMs.toFixed(0)} and ${toMs.toFixed(0)} ms (lost ${this.lostSamples})`);
    const averageUa = bins.reduce((sum, b) => sum + b.averageUa, 0) / bins.length;
    return { fromMs, toMs, averageUa, peakUa: Math.max(...bins.map((b) => b.peakUa)) };
  }

  binsBetween(fromMs: number, toMs: number): CurrentBin[] {
    return this.bins.filter((b) => b.timeMs >= fromMs && b.timeMs < toMs);
  }

  /** Each change of the digital inputs, the first sample's level included. */
  logicChanges(): readonly LogicChange[] {
    return this.changes;
  }

  async close(): Promise<void> {
    await this.transport.write(ppk2Commands.stopSampling()).catch(() => undefined);
    await this.transport.close();
  }

  private async start(): Promise<void> {
    this.decoder = new Ppk2SampleDecoder(this.calibration, this.options.vddMv);
    this.transport.on('data', (chunk) => this.take(chunk));
    this.binStartMs = this.nowMs();
    await this.transport.write(ppk2Commands.startSampling());
  }

  private take(chunk: Buffer): void {
    const lostBefore = this.decoder!.lost;
    const samples = this.decoder!.push(chunk);
    // lost samples still took their 10 µs: keep the bins' time base on the PPK2's own sample clock
    this.advanceBin(this.decoder!.lost - lostBefore);
    for (const s of samples) {
      if (s.logic !== this.logic) {
        this.logic = s.logic;
        this.changes.push({ timeMs: this.binStartMs + (this.binCount * PPK2_SAMPLE_PERIOD_US) / 1000, logic: s.logic });
        if (this.changes.length > MAX_BINS * 1.1) this.changes.splice(0, this.changes.length - MAX_BINS);
      }
      this.binSum += s.currentUa;
      this.binPeak = Math.max(this.binPeak, s.currentUa);
      this.binCount++;
      if (this.binCount === SAMPLES_PER_BIN) this.closeBin();
    }
  }

  private advanceBin(lostSamples: number): void {
    this.binStartMs += (lostSamples * PPK2_SAMPLE_PERIOD_US) / 1000;
  }

  private closeBin(): void {
    this.bins.push({ timeMs: this.binStartMs, averageUa: this.binSum / this.binCount, peakUa: this.binPeak });
    if (this.bins.length > MAX_BINS * 1.1) this.bins.splice(0, this.bins.length - MAX_BINS);
    this.binStartMs += (this.binCount * PPK2_SAMPLE_PERIOD_US) / 1000;
    this.binSum = this.binPeak = this.binCount = 0;
  }
}

/** Sends GetMetadata and collects the text up to its END line. */
function readMetadata(transport: Transport, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!text.includes(METADATA_END)) return;
      finish();
      resolve(text);
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`no PPK2 metadata on ${transport.port} within ${timeoutMs} ms${text ? ` (got ${JSON.stringify(text.slice(0, 80))})` : ' (nothing came back: is it a PPK2?)'}`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      transport.off('data', onData);
    };
    transport.on('data', onData);
    transport.write(ppk2Commands.getMetadata()).catch((error: Error) => {
      finish();
      reject(error);
    });
  });
}
