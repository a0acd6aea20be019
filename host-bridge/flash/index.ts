/**
 * Flashing the strap firmware through any ConsoleClient (serial, TCP, a
 * pseudo-terminal): check the bundle, identify the board and plan the room,
 * upload into a Storage slot with the `espruino` package's own packet upload,
 * verify the stored CRC, write the slot record, reset, wait for the banner.
 * A flash cut short anywhere leaves a board that boots the previous firmware,
 * the loader's safe mode or (in two short windows) a bare prompt, never one
 * without a console; every error says which (BootClaim). Layout and reasons:
 * README.md.
 */
import { crc32 } from '../../protocols/crc32';
import type { ConsoleClient, Transport } from '../contracts';
import { hasBaudRateControl } from '../console/baud-rate';
import { RpcClient } from '../rpc/rpc-client';
import { RpcRemoteError } from '../rpc/rpc-errors';
import { realTimers, sleep, type Timers } from '../timers';
import { waitForBanner } from './banner-wait';
import { bootCode, bootOutcome, describeBoard, describeOutcome, describeOutcomes, storageModel, uniqueOutcomes, type BootOutcome, type StorageModel } from './boot-state';
import { identifyBundle } from './bundle-identity';
import { FlashAbortedError, FlashBootError, FlashInterruptedError, FlashVerifyError, NotStrapBundleError, NotStrapFirmwareError } from './flash-errors';
import type { FlashProgress } from './flash-progress';
import { UploadInterruptedError, uploadWithEspruinoPackage } from './package-upload';
import { LOADER_SOURCE, PROBE_EXPRESSION, activeSlot, nextRecord, recordFile, slotFile, type BoardProbe, type Slot } from './slot-layout';
import { FlashNoRoomError, OTHER_FILES_EXPRESSION, kb, planStorage, type StoragePlan } from './storage-plan';

export {
  FlashAbortedError,
  FlashBootError,
  FlashInterruptedError,
  FlashNoRoomError,
  FlashVerifyError,
  NotStrapBundleError,
  NotStrapFirmwareError,
  RollbackError,
  type BootClaim,
} from './flash-errors';
export type { FlashProgress } from './flash-progress';
export { renderProgressBar } from './progress-bar';
export { LOADER_SOURCE, PROBE_EXPRESSION, activeSlot, recordFile, slotFile, type BoardProbe, type Slot } from './slot-layout';
export { bootOutcome, describeOutcome, describeOutcomes, storageModel, type BootOutcome } from './boot-state';
export { identifyBundle, type BundleIdentity } from './bundle-identity';
export { rollbackFirmware, type RollbackResult } from './rollback';

export interface FlashOptions {
  /** dist/strap.js text (one char per byte). */
  bundle: string;
  /** Flash a board that does not hold the strap firmware (it is replaced), or a bundle that is not the strap firmware. */
  force?: boolean;
  onProgress?: (p: FlashProgress) => void;
  /** Wait for the banner after the reset. Default 10 000 ms. */
  bannerTimeoutMs?: number;
  /** Bytes per DATA packet. Default 1024, less on slow serial lines and BLE links (at most ½ s of line time each, inside the board's 1 s packet timeout). */
  chunkBytes?: number;
  /** The clock of the banner wait, the pauses and the elapsed times (default the real one). */
  timers?: Timers;
  /** Stops the flash at the next step or DATA packet (Ctrl-C): FlashAbortedError says what the board boots then. */
  signal?: AbortSignal;
}

export interface FlashResult {
  /** The Storage file the firmware now boots from (`strap.a` or `strap.b`). */
  slot: string;
  bytes: number;
  crc32: number;
  /** What the bundle is (`strap 0.2.0`), from its own banner literals; `not a strap firmware` when forced. */
  firmware: string;
  /** The banner line the new firmware printed ('' for a forced bundle that is not the strap firmware: none is awaited). */
  banner: string;
  elapsedMs: number;
  /** Bundle bytes per second during the upload phase alone. */
  uploadBytesPerSecond: number;
  /** What was on the board. */
  previous: string;
  /**
   * Whether the firmware the board booted before stays in the other slot as
   * the fallback. False when Storage had no room for both (an interrupted
   * flash then left the loader's safe mode) or it was not in a slot.
   */
  keptPrevious: boolean;
  /** What the other slot keeps (`strap 1.0.0 (slot a)`), which rollbackFirmware() boots again; absent when none. */
  fallback?: string;
}

export async function flashFirmware(console: ConsoleClient, options: FlashOptions): Promise<FlashResult> {
  const timers = options.timers ?? realTimers;
  const startedMs = timers.now();
  const bytes = bundleBytes(options.bundle);
  const identity = identifyBundle(options.bundle);
  if (!identity.ours && !options.force) throw new NotStrapBundleError(identity.reason);
  const firmware = identity.ours ? identity.firmware : undefined;
  const imageCrc32 = crc32(bytes);
  const progress = (phase: FlashProgress['phase'], sentBytes: number) => options.onProgress?.({ phase, sentBytes, totalBytes: bytes.length });
  const flash = new FlashSteps(console, options.signal);

  progress('identify', 0);
  const { board, probe } = await flash.look(async () => ({
    board: await console.identify(),
    probe: await console.evaluate<BoardProbe>(PROBE_EXPRESSION, { timeoutMs: 10_000 }),
  }));
  const found = describeBoard(board, probe);
  if (!found.ours && !options.force) throw new NotStrapFirmwareError(found.text);
  flash.model = storageModel(probe);
  const before = bootOutcome(flash.model);
  const active = activeSlot(probe);
  const writesLoader = bootCode(probe) !== 'loader';
  const record = JSON.stringify(nextRecord(probe, active === 'a' ? 'b' : 'a', bytes.length, imageCrc32, firmware));
  const plan = await flash.look(() => planRoom(console, probe, active, { bundleBytes: bytes.length, recordBytes: record.length, writesLoader }));
  const file = slotFile(plan.slot);
  progress('identify', bytes.length);

  // Room first: the slots the plan erases (record before data: a slot without
  // its record is ignored by the loader), the firmware stopped when files must
  // move, the loader when the old .bootcde must make room, then the
  // compaction (README.md "Room for two slots").
  progress('prepare', 0);
  const chunkBytes = options.chunkBytes ?? defaultChunkBytes(console.transport);
  for (const slot of plan.erases) {
    await flash.step(`erasing slot ${slot}`, (m) => withSlot(m, slot, { valid: false, seq: -1 }), () => console.evaluate(eraseSlot(slot)));
  }
  let rpcAnswers = probe.rpc;
  if (plan.compacts && (probe.status || probe.strap !== 'undefined')) {
    // The running firmware's functions live in flash that a compaction moves.
    await flash.step('stopping the firmware', undefined, () => stopFirmware(console, timers));
    rpcAnswers = false;
  }
  if (plan.loaderFirst && writesLoader) await writeLoader(flash, console, chunkBytes);
  if (plan.compacts) await flash.step('compacting Storage', undefined, () => console.evaluate('require("Storage").compact()', { timeoutMs: 30_000 }), [{ kind: 'prompt' }]);
  progress('prepare', bytes.length);

  progress('upload', 0);
  const uploadStartMs = timers.now();
  await flash.step(`uploading ${file}`, undefined, () =>
    uploadWithEspruinoPackage(console.transport, file, bytes, { chunkBytes, signal: options.signal, onProgress: (acked) => progress('upload', acked) }),
  );
  const uploadMs = timers.now() - uploadStartMs;

  progress('verify', 0);
  const stored = await flash.step(`verifying ${file}`, undefined, () => storedCrc32(console, file, rpcAnswers));
  if (stored.size !== bytes.length || stored.crc32 !== imageCrc32) {
    throw new FlashVerifyError(file, { size: bytes.length, crc32: imageCrc32 }, stored, describeOutcome(flash.outcome()), [flash.outcome()]);
  }
  progress('verify', bytes.length);

  progress('activate', 0);
  const seq = (JSON.parse(record) as { seq: number }).seq;
  await flash.step(
    `writing ${recordFile(plan.slot)}`,
    (m) => withSlot(m, plan.slot, { valid: true, seq, firmware }),
    () => console.evaluate(`require("Storage").write(${JSON.stringify(recordFile(plan.slot))},${JSON.stringify(record)})`),
  );
  if (!plan.loaderFirst && writesLoader) await writeLoader(flash, console, chunkBytes);
  progress('activate', bytes.length);

  const now = flash.outcome();
  const kept = plan.keeps && flash.model!.slots[plan.keeps].valid ? flash.model!.slots[plan.keeps] : undefined;
  const fallback = kept && plan.keeps ? describeOutcome({ kind: 'slot', slot: plan.keeps, firmware: kept.firmware }) : undefined;
  progress('reset', 0);
  const banner = identity.ours ? waitForBanner(console, { timeoutMs: options.bannerTimeoutMs ?? 10_000, timers, signal: options.signal }) : undefined;
  banner?.catch(() => undefined); // settled below; a failed send must not leave it unhandled
  await flash.step('resetting the board', undefined, () => console.send('load()'));
  progress('reset', bytes.length);
  progress('banner', 0);
  let line = '';
  if (banner) {
    try {
      line = await banner;
    } catch (error) {
      throw afterReset(error, now, plan, kept);
    }
  }
  progress('banner', bytes.length);

  return {
    slot: file,
    bytes: bytes.length,
    crc32: imageCrc32,
    firmware: firmware ?? 'not a strap firmware',
    banner: line,
    elapsedMs: timers.now() - startedMs,
    uploadBytesPerSecond: bytes.length / (Math.max(uploadMs, 1) / 1000),
    previous: found.text,
    keptPrevious: kept !== undefined && before.kind === 'slot' && before.slot === plan.keeps,
    fallback,
  };
}

// ---------------------------------------------------------------------------

/**
 * The flash as a series of steps on a model of the board's Storage: each step
 * knows what the board boots before and after it, so whatever stops it
 * (the port, the board, a request) the error says what the board boots now.
 */
class FlashSteps {
  model: StorageModel | undefined;

  constructor(
    private readonly console: ConsoleClient,
    private readonly signal: AbortSignal | undefined,
  ) {}

  outcome(): BootOutcome {
    return bootOutcome(this.model!);
  }

  /** A look at the board before anything is written: a failure says so. */
  async look<T>(run: () => Promise<T>): Promise<T> {
    if (this.signal?.aborted) throw new FlashAbortedError('stopped on request before anything was written', { nothingWritten: true });
    try {
      return await run();
    } catch (error) {
      if (error instanceof FlashNoRoomError) throw error;
      if (this.signal?.aborted) throw new FlashAbortedError('stopped on request before anything was written', { nothingWritten: true });
      throw new FlashInterruptedError(`${(error as Error).message}; nothing was written`, { cause: error, nothingWritten: true });
    }
  }

  /**
   * Runs one step that turns the model into `change(model)`; `midway` are the
   * outcomes a cut inside it may leave besides the states before and after.
   */
  async step<T>(label: string, change: ((m: StorageModel) => StorageModel) | undefined, run: () => Promise<T>, midway: BootOutcome[] = []): Promise<T> {
    const before = bootOutcome(this.model!);
    if (this.signal?.aborted) throw new FlashAbortedError(`stopped on request before ${label}; the board boots ${describeOutcome(before)}`, { boots: [before] });
    const next = change ? change(this.model!) : this.model!;
    try {
      const result = await run();
      this.model = next;
      return result;
    } catch (error) {
      const boots = uniqueOutcomes([before, ...midway, bootOutcome(next)]);
      const claim = boots.length === 1 ? describeOutcome(boots[0]!) : `${describeOutcomes(boots)}, depending on how far ${label} got`;
      // The upload's own errors name the file and the bytes stored.
      const message = error instanceof UploadInterruptedError ? error.message : `${(error as Error).message} (while ${label})`;
      if (this.signal?.aborted) throw new FlashAbortedError(`${message.startsWith('stopped on request') ? message : `stopped on request: ${message}`}; the board boots ${claim}`, { boots });
      throw new FlashInterruptedError(`${message}; the board boots ${claim}`, { cause: error, boots });
    }
  }
}

function withSlot(model: StorageModel, slot: Slot, state: StorageModel['slots'][Slot]): StorageModel {
  return { ...model, slots: { ...model.slots, [slot]: state } };
}

/** The plan; when nothing fits, the error lists the biggest other files (a second look, still before any erase). */
async function planRoom(console: ConsoleClient, probe: BoardProbe, active: Slot | undefined, need: Parameters<typeof planStorage>[2]): Promise<StoragePlan> {
  try {
    return planStorage(probe, active, need);
  } catch (error) {
    if (!(error instanceof FlashNoRoomError)) throw error;
    const files = await console.evaluate<[string, number][]>(OTHER_FILES_EXPRESSION).catch(() => []);
    const biggest = files.slice(0, 5).map(([name, size]) => `${JSON.stringify(name)} ${kb(size)}`);
    const more = files.length > biggest.length ? `, and ${files.length - biggest.length} more` : '';
    throw new FlashNoRoomError(`${error.message}${biggest.length ? `; the files that stay, biggest first: ${biggest.join(', ')}${more}` : ''}`, error.neededBytes, error.availableBytes);
  }
}

/** An expression that erases a slot's record, then its data. */
function eraseSlot(slot: Slot): string {
  return `(function(S){S.erase(${JSON.stringify(recordFile(slot))});S.erase(${JSON.stringify(slotFile(slot))});return true})(require("Storage"))`;
}

/** The loader goes up like a slot (an EVAL packet holding it would not reach a 9600 baud board within its 1 s packet timeout). */
async function writeLoader(flash: FlashSteps, console: ConsoleClient, chunkBytes: number): Promise<void> {
  await flash.step(
    'writing the loader into .bootcde',
    (m) => ({ ...m, boot: 'loader', bootStrap: undefined }),
    () => uploadWithEspruinoPackage(console.transport, '.bootcde', Buffer.from(LOADER_SOURCE, 'latin1'), { chunkBytes }),
    [{ kind: 'prompt' }],
  );
}

/** reset(): RAM cleared, no boot code run; done once `strap` is gone. */
async function stopFirmware(console: ConsoleClient, timers: Timers): Promise<void> {
  await console.evaluate('reset()');
  for (let attempt = 0; attempt < 20; attempt++) {
    if ((await console.evaluate('typeof strap')) === 'undefined') return;
    await sleep(timers, 100);
  }
  throw new Error(`${console.transport.port}: the firmware still runs 2 s after reset()`);
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

/** The banner wait failed: say what the board boots and how to get back. */
function afterReset(error: unknown, now: BootOutcome, plan: StoragePlan, fallback: StorageModel['slots'][Slot] | undefined): Error {
  if (error instanceof FlashAbortedError) return new FlashAbortedError(`stopped on request while waiting for the banner; the board boots ${describeOutcome(now)}`, { boots: [now] });
  if (!(error instanceof FlashBootError)) return new FlashInterruptedError(`${(error as Error).message}; the board boots ${describeOutcome(now)}`, { cause: error, boots: [now] });
  const kept = fallback && plan.keeps ? { slot: plan.keeps, firmware: fallback.firmware } : undefined;
  const back = kept
    ? `the previous firmware, ${describeOutcome({ kind: 'slot', ...kept })}, is kept: a rollback (erasing ${recordFile(plan.slot)}) boots it again`
    : `no other firmware is kept (${plan.mode === 'single-slot' ? 'no room for two slots' : 'the other slot holds none'}): flash a working bundle to get back`;
  return new FlashBootError(`${error.message}; the new firmware is in ${slotFile(plan.slot)}; ${back}`, [now], kept);
}

/** The slowest connection interval the BLE transport asks (transports/ble-transport.ts CONNECTION_PARAMETERS). */
const BLE_SLOWEST_INTERVAL_MS = 15;

/**
 * ½ s of line time per DATA packet (the board drops a packet not complete within 1 s), at most 1 KB. A serial line
 * carries baudRate / 10 octets a second. A BLE link (a transport that tells its ATT `mtu`) carries one Write Request
 * of MTU − 3 octets per two connection intervals at best (bench/flash.ts): at MTU 23, Espruino's on a Puck.js, 16
 * writes of 20 octets in ½ s at 15 ms, so 312-octet packets (a 1 KB one would need 52 writes, 0.8 s at 7.5 ms).
 */
function defaultChunkBytes(transport: Transport): number {
  const mtu = (transport as { mtu?: unknown }).mtu;
  if (typeof mtu === 'number') return Math.max(64, Math.min(1024, Math.floor(500 / (2 * BLE_SLOWEST_INTERVAL_MS)) * (mtu - 3) - 8));
  if (!hasBaudRateControl(transport)) return 1024;
  return Math.max(64, Math.min(1024, Math.floor(transport.baudRate / 10 / 2) - 8));
}

function bundleBytes(bundle: string): Buffer {
  if (bundle.length === 0) throw new NotStrapBundleError('it is empty');
  let wide = -1;
  for (let i = 0; i < bundle.length && wide < 0; i++) if (bundle.charCodeAt(i) > 0xff) wide = i;
  if (wide >= 0) throw new NotStrapBundleError(`it holds a character above 0xFF at ${wide}: build it with ASCII output (Espruino strings are 8-bit)`);
  return Buffer.from(bundle, 'latin1');
}
