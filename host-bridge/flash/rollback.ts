/**
 * Going back to the previous firmware: when both slots hold a valid firmware,
 * erasing the newest slot's record makes the loader boot the other one (its
 * data stays, as leftover the next flash reuses). Then `load()` and the
 * banner. What flashFirmware's FlashBootError points to when the new
 * firmware printed no banner.
 */
import type { ConsoleClient } from '../contracts';
import { realTimers, type Timers } from '../timers';
import { waitForBanner } from './banner-wait';
import { bootCode, bootOutcome, describeOutcome, storageModel } from './boot-state';
import { RollbackError } from './flash-errors';
import { PROBE_EXPRESSION, SLOTS, recordFile, type BoardProbe, type Slot } from './slot-layout';

export interface RollbackOptions {
  bannerTimeoutMs?: number;
  timers?: Timers;
}

export interface RollbackResult {
  /** The slot the board boots now, and the one whose record was erased. */
  slot: string;
  from: string;
  /** What boots now (`strap 1.0.0 (slot a)`) and its banner. */
  firmware: string;
  banner: string;
}

export async function rollbackFirmware(console: ConsoleClient, options: RollbackOptions = {}): Promise<RollbackResult> {
  const probe = await console.evaluate<BoardProbe>(PROBE_EXPRESSION, { timeoutMs: 10_000 });
  const code = bootCode(probe);
  if (code !== 'loader' && code !== 'old-loader') throw new RollbackError(`no strap loader in .bootcde: nothing to roll back (${code === 'none' ? 'no boot code' : code === 'partial-loader' ? 'the loader was cut short: flash again' : 'another boot code'})`);
  const model = storageModel(probe);
  const now = bootOutcome(model);
  if (now.kind !== 'slot') throw new RollbackError('no valid firmware slot: nothing to roll back to; flash a working bundle');
  const other: Slot = SLOTS.find((s) => s !== now.slot)!;
  if (!model.slots[other].valid) throw new RollbackError(`${describeOutcome(now)} is the only valid firmware: nothing to roll back to; flash a working bundle`);
  const target = { kind: 'slot' as const, slot: other, firmware: model.slots[other].firmware };
  await console.evaluate(`require("Storage").erase(${JSON.stringify(recordFile(now.slot))})`);
  const banner = waitForBanner(console, { timeoutMs: options.bannerTimeoutMs ?? 10_000, timers: options.timers ?? realTimers });
  banner.catch(() => undefined);
  await console.send('load()');
  try {
    return { slot: `strap.${other}`, from: `strap.${now.slot}`, firmware: describeOutcome(target), banner: await banner };
  } catch (error) {
    throw new RollbackError(`rolled back to ${describeOutcome(target)}, but ${(error as Error).message}`, { cause: error });
  }
}
