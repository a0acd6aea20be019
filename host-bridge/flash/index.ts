/**
 * Flashing the strap firmware through any ConsoleClient (serial, TCP, a
 * pseudo-terminal): identify, upload into the inactive A/B slot with the
 * `espruino` package's own packet upload, verify the stored CRC, switch the
 * slot record, reset, wait for the banner. A flash cut short at any point
 * leaves a board that boots the previous firmware (or the loader's safe
 * mode), never one without a console. Layout and reasons: README.md.
 */
import { crc32, crc32OfLatin1 } from '../../protocols/crc32.js';
import type { BoardIdentity, ConsoleClient, Transport } from '../contracts.js';
import { hasBaudRateControl } from '../console/baud-rate.js';
import { RpcClient, STRAP_BANNER } from '../rpc/rpc-client.js';
import { RpcRemoteError } from '../rpc/rpc-errors.js';
import { realTimers, sleep, type Timers } from '../timers.js';
import { FlashBootError, FlashInterruptedError, FlashVerifyError, NotStrapFirmwareError } from './flash-errors.js';
import type { FlashProgress } from './flash-progress.js';
import { uploadWithEspruinoPackage } from './package-upload.js';
import {
  LOADER_SOURCE,
  PROBE_EXPRESSION,
  activeSlot,
  hasLoader,
  nextRecord,
  recordFile,
  slotFile,
  type BoardProbe,
  type Slot,
} from './slot-layout.js';

export { FlashBootError, FlashInterruptedError, FlashVerifyError, NotStrapFirmwareError } from './flash-errors.js';
export type { FlashProgress } from './flash-progress.js';
export { renderProgressBar } from './progress-bar.js';
export { LOADER_SOURCE, PROBE_EXPRESSION, activeSlot, recordFile, slotFile, type BoardProbe, type Slot } from './slot-layout.js';

export interface FlashOptions {
  /** dist/strap.js text (one char per byte). */
  bundle: string;
  /** Flash a board that does not hold the strap firmware (it is replaced). */
  force?: boolean;
  onProgress?: (p: FlashProgress) => void;
  /** Wait for the banner after the reset. Default 10 000 ms. */
  bannerTimeoutMs?: number;
  /** Bytes per DATA packet. Default 1024, less on slow serial lines (at most ½ s of line time each, inside the board's 1 s packet timeout). */
  chunkBytes?: number;
  /** The clock of the banner wait, the pauses and the elapsed times (default the real one). */
  timers?: Timers;
}

export interface FlashResult {
  /** The Storage file the firmware now boots from (`strap.a` or `strap.b`). */
  slot: string;
  bytes: number;
  crc32: number;
  /** The banner line the new firmware printed. */
  banner: string;
  elapsedMs: number;
  /** Bundle bytes per second during the upload phase alone. */
  uploadBytesPerSecond: number;
  /** What was on the board. */
  previous: string;
  /**
   * Whether the previous firmware stayed in its slot as the fallback. False
   * when Storage had no room for both: an interrupted flash then leaves the
   * loader's safe mode (console up, reflashable) instead.
   */
  keptPrevious: boolean;
}

export async function flashFirmware(console: ConsoleClient, options: FlashOptions): Promise<FlashResult> {
  const timers = options.timers ?? realTimers;
  const startedMs = timers.now();
  const bytes = bundleBytes(options.bundle);
  const imageCrc32 = crc32(bytes);
  const progress = (phase: FlashProgress['phase'], sentBytes: number) => options.onProgress?.({ phase, sentBytes, totalBytes: bytes.length });

  progress('identify', 0);
  const identity = await console.identify();
  const probe = await console.evaluate<BoardProbe>(PROBE_EXPRESSION, { timeoutMs: 10_000 });
  const found = describeBoard(identity, probe);
  if (!found.ours && !options.force) throw new NotStrapFirmwareError(found.text);
  const active = activeSlot(probe);
  const slot: Slot = active === 'a' ? 'b' : 'a';
  const file = slotFile(slot);
  progress('identify', bytes.length);

  // The inactive slot goes first, record before data: from here until its new
  // record is complete the loader ignores it. When Storage cannot hold both,
  // the previous firmware makes room and the loader goes in first, so an
  // interruption leaves its safe mode (README.md "Room for two slots").
  progress('prepare', 0);
  const chunkBytes = options.chunkBytes ?? defaultChunkBytes(console.transport);
  const writesLoader = !loaderIsCurrent(probe);
  const stats = await console.evaluate<StorageStats>(eraseSlotThen(slot, 'require("Storage").getStats()'));
  const keptPrevious = hasRoomBeside(stats, bytes.length, writesLoader);
  let rpcAnswers = probe.rpc;
  if (!keptPrevious) {
    // The running firmware's functions live in its slot's flash: stop it before that space is reused.
    if (probe.status) await stopFirmware(console, timers);
    rpcAnswers = false;
    if (active) await console.evaluate(eraseSlotThen(active, 'true'));
    if (writesLoader) await writeLoader(console, chunkBytes);
  }
  const keeps = keptPrevious ? found.keeps : 'the loader in safe mode (no valid slot)';
  progress('prepare', bytes.length);

  progress('upload', 0);
  const uploadStartMs = timers.now();
  try {
    await uploadWithEspruinoPackage(console.transport, file, bytes, {
      chunkBytes,
      onProgress: (acked) => progress('upload', acked),
    });
  } catch (error) {
    throw new FlashInterruptedError(`${(error as Error).message}; the board keeps booting ${keeps}`, { cause: error });
  }
  const uploadMs = timers.now() - uploadStartMs;

  progress('verify', 0);
  const stored = await storedCrc32(console, file, rpcAnswers);
  if (stored.size !== bytes.length || stored.crc32 !== imageCrc32) throw new FlashVerifyError(file, { size: bytes.length, crc32: imageCrc32 }, stored, keeps);
  progress('verify', bytes.length);

  progress('activate', 0);
  const record = JSON.stringify(nextRecord(probe, slot, bytes.length, imageCrc32));
  await console.evaluate(`require("Storage").write(${JSON.stringify(recordFile(slot))},${JSON.stringify(record)})`);
  if (keptPrevious && writesLoader) await writeLoader(console, chunkBytes);
  progress('activate', bytes.length);

  progress('reset', 0);
  const banner = waitForBanner(console, options.bannerTimeoutMs ?? 10_000, timers);
  await console.send('load()');
  progress('reset', bytes.length);
  progress('banner', 0);
  const line = await banner;
  progress('banner', bytes.length);

  return {
    slot: file,
    bytes: bytes.length,
    crc32: imageCrc32,
    banner: line,
    elapsedMs: timers.now() - startedMs,
    uploadBytesPerSecond: bytes.length / (uploadMs / 1000),
    previous: found.text,
    keptPrevious,
  };
}

// ---------------------------------------------------------------------------

interface StorageStats {
  totalBytes: number;
  fileBytes: number;
}

/** Bytes Storage keeps for the files the firmware itself writes (boot counter, settings, saved state). */
const RESERVE_BYTES = 1024;
/** Espruino's Storage header before each file's data (jsflash.h JsfFileHeader, 2v29: 4-byte size and flags, 28-byte name). */
const FILE_HEADER_BYTES = 32;
const RECORD_BYTES = 64;

/** An expression that erases a slot's record, then its data, and is `value`. */
function eraseSlotThen(slot: Slot, value: string): string {
  return `(function(S){S.erase(${JSON.stringify(recordFile(slot))});S.erase(${JSON.stringify(slotFile(slot))});return ${value}})(require("Storage"))`;
}

/** reset(): RAM cleared, no boot code run; done once `strap` is gone. */
async function stopFirmware(console: ConsoleClient, timers: Timers): Promise<void> {
  await console.evaluate('reset()');
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await console.evaluate('typeof strap')) === 'undefined') return;
    await sleep(timers, 100);
  }
  throw new FlashInterruptedError(`${console.transport.port}: the firmware still runs 2 s after reset()`);
}

/** The loader goes up like a slot (an EVAL packet holding it would not reach a 9600 baud board within its 1 s packet timeout). */
async function writeLoader(console: ConsoleClient, chunkBytes: number): Promise<void> {
  try {
    await uploadWithEspruinoPackage(console.transport, '.bootcde', Buffer.from(LOADER_SOURCE, 'latin1'), { chunkBytes });
  } catch (error) {
    throw new FlashInterruptedError(`${(error as Error).message}; the board has no working boot code until the flash is repeated`, { cause: error });
  }
}

/** Whether the new slot (and the loader, if it must be written) fit beside the live files, trash compacted away. */
function hasRoomBeside(stats: StorageStats, bundleBytes: number, writesLoader: boolean): boolean {
  const file = (size: number) => FILE_HEADER_BYTES + Math.ceil(size / 4) * 4;
  const needed = file(bundleBytes) + RECORD_BYTES + (writesLoader ? file(LOADER_SOURCE.length) : 0) + RESERVE_BYTES;
  return stats.totalBytes - stats.fileBytes >= needed;
}

function loaderIsCurrent(probe: BoardProbe): boolean {
  return hasLoader(probe) && probe.boot!.crc === crc32OfLatin1(LOADER_SOURCE);
}

/** What the probe says is on the board, for messages and FlashResult.previous. */
function describeBoard(identity: BoardIdentity, probe: BoardProbe): { ours: boolean; text: string; keeps: string } {
  const active = activeSlot(probe);
  const loader = hasLoader(probe);
  const fw = probe.status?.fw;
  const running = typeof fw === 'string' && fw.startsWith('strap ');
  const where = active ? `slot ${active}` : loader ? 'the loader, no valid slot' : '.bootcde';
  const on = `${identity.board || 'unknown board'}, Espruino ${identity.version || 'unknown version'}`;
  if (running) {
    const safe = probe.status?.mode === 'safe' ? `, in safe mode${probe.status.safeReason ? ` (${probe.status.safeReason})` : ''}` : '';
    return { ours: true, text: `${fw} from ${where} on ${on}${safe}`, keeps: `${fw} (${where})` };
  }
  if (loader || active) {
    const what = active ? `the strap loader with slot ${active} valid, not running` : 'the strap loader in safe mode: no valid slot';
    return { ours: true, text: `${what} on ${on}`, keeps: active ? `slot ${active}` : 'the loader in safe mode' };
  }
  const boot = probe.boot ? `.bootcde of ${probe.boot.size} bytes starting ${JSON.stringify(probe.boot.head)}` : 'no boot code';
  const global = probe.strap !== 'undefined' ? `, a global strap of type ${probe.strap}` : '';
  return { ours: false, text: `${on}, ${boot}${global}`, keeps: probe.boot ? 'its previous .bootcde until the switch' : 'no firmware' };
}

/** The stored file's size and CRC: the strap's RPC when it runs, else an evaluation of E.CRC32. */
async function storedCrc32(console: ConsoleClient, file: string, rpcAnswers: boolean): Promise<{ size: number; crc32: number }> {
  if (rpcAnswers) {
    const rpc = new RpcClient(console);
    try {
      const reply = await rpc.storageCrc32(file);
      return { size: reply.size, crc32: reply.crc32 >>> 0 };
    } catch (error) {
      // Firmware from before storage.crc32: ask Espruino itself.
      if (!(error instanceof RpcRemoteError && error.code === 'unknown-method')) throw error;
    } finally {
      rpc.close();
    }
  }
  const reply = await console.evaluate<{ size: number; crc32: number } | null>(
    `(function(d){return d===undefined?null:{size:d.length,crc32:E.CRC32(d)>>>0}})(require("Storage").read(${JSON.stringify(file)}))`,
  );
  return reply ?? { size: 0, crc32: 0 };
}

function waitForBanner(console: ConsoleClient, timeoutMs: number, timers: Timers): Promise<string> {
  const seen: string[] = [];
  return new Promise((resolve, reject) => {
    const done = (error?: Error, line?: string) => {
      timers.clearTimeout(timer);
      console.off('line', onLine);
      console.transport.off('close', onClose);
      if (error) reject(error);
      else resolve(line!);
    };
    const onLine = (line: string) => {
      const banner = STRAP_BANNER.exec(line);
      if (banner) return done(undefined, banner[0]);
      seen.push(line);
    };
    const onClose = () => done(new FlashInterruptedError(`${console.transport.port} closed while waiting for the strap's banner after the reset`));
    const timer = timers.setTimeout(
      () => done(new FlashBootError(`no strap banner within ${timeoutMs} ms after the reset; the board printed: ${seen.slice(-8).join(' | ') || 'nothing'}`)),
      timeoutMs,
    );
    console.on('line', onLine);
    console.transport.on('close', onClose);
  });
}

/** ½ s of line time per DATA packet on a serial line (the board drops a packet not complete within 1 s), at most 1 KB. */
function defaultChunkBytes(transport: Transport): number {
  if (!hasBaudRateControl(transport)) return 1024;
  return Math.max(64, Math.min(1024, Math.floor(transport.baudRate / 10 / 2) - 8));
}

function bundleBytes(bundle: string): Buffer {
  if (bundle.length === 0) throw new Error('the bundle is empty');
  const wide = bundle.search(/[^\x00-\xff]/);
  if (wide >= 0) throw new Error(`the bundle holds a character above 0xFF at ${wide}: build it with ASCII output (Espruino strings are 8-bit)`);
  return Buffer.from(bundle, 'latin1');
}
