/**
 * What a board's Storage will boot, as the flasher knows it: read from the
 * probe (slot-layout.ts PROBE_EXPRESSION), then changed step by step as the
 * flash goes, so that whatever stops it, the error says what the board boots
 * after a reset (BootOutcome), not what it used to.
 *
 *   .bootcde none or cut short          → a bare Espruino prompt
 *   .bootcde the loader                 → the valid slot with the highest seq, else the loader's safe mode
 *   .bootcde anything else              → that code itself
 */
import type { BoardIdentity } from '../contracts';
import { LOADER_MARK, LOADER_SOURCE, SLOTS, activeSlot, slotIsValid, type BoardProbe, type Slot } from './slot-layout';
import { crc32OfLatin1 } from '../../protocols/crc32';

/** What the board runs after a reset or power cycle. */
export type BootOutcome =
  /** The loader boots this slot; `firmware` when known (`strap 1.0.0`). */
  | { kind: 'slot'; slot: Slot; firmware?: string }
  /** .bootcde is not our loader and runs itself; `firmware` when it is a strap bundle whose version is known. */
  | { kind: 'bootcde'; strap: boolean; firmware?: string }
  /** The loader with no valid slot: `strap loader: SAFE MODE`, console up. */
  | { kind: 'safe-mode' }
  /** No boot code, or boot code cut short: Espruino's prompt. */
  | { kind: 'prompt' };

export type BootCode = 'none' | 'loader' | 'old-loader' | 'partial-loader' | 'other';

/** The parts of Storage that decide what boots. */
export interface StorageModel {
  boot: BootCode;
  /** .bootcde when `other`: a strap bundle (its banner literals), and its firmware when it is what runs now. */
  bootStrap?: { strap: boolean; firmware?: string };
  slots: Record<Slot, { valid: boolean; seq: number; firmware?: string }>;
}

export function storageModel(probe: BoardProbe): StorageModel {
  const running = runningFirmware(probe);
  const boot = bootCode(probe);
  const active = activeSlot(probe);
  const slots = {} as StorageModel['slots'];
  for (const slot of SLOTS) {
    const state = probe[slot];
    const valid = slotIsValid(state);
    // A record from before `fw` was recorded: the running firmware, if it runs from this slot.
    const firmware = valid ? (state.record!.fw ?? (boot === 'loader' && slot === active ? running : undefined)) : undefined;
    slots[slot] = { valid, seq: valid ? state.record!.seq : -1, firmware };
  }
  const model: StorageModel = { boot, slots };
  // The strap that runs came from .bootcde when .bootcde is a strap bundle (RAM otherwise).
  if (boot === 'other') model.bootStrap = { strap: probe.boot!.banner, firmware: probe.boot!.banner ? running : undefined };
  return model;
}

export function bootOutcome(model: StorageModel): BootOutcome {
  switch (model.boot) {
    case 'none':
    case 'partial-loader':
      return { kind: 'prompt' };
    case 'other':
      return { kind: 'bootcde', strap: model.bootStrap?.strap ?? false, firmware: model.bootStrap?.firmware };
    case 'loader':
    case 'old-loader': {
      let best: Slot | undefined;
      for (const slot of SLOTS) if (model.slots[slot].valid && (best === undefined || model.slots[slot].seq > model.slots[best].seq)) best = slot;
      return best ? { kind: 'slot', slot: best, firmware: model.slots[best].firmware } : { kind: 'safe-mode' };
    }
  }
}

export function describeOutcome(outcome: BootOutcome): string {
  switch (outcome.kind) {
    case 'slot':
      return outcome.firmware ? `${outcome.firmware} (slot ${outcome.slot})` : `the firmware in slot ${outcome.slot}`;
    case 'bootcde':
      return outcome.firmware ? `${outcome.firmware} (.bootcde)` : outcome.strap ? 'the strap bundle in .bootcde' : 'its own .bootcde (not the strap firmware)';
    case 'safe-mode':
      return "the strap loader's safe mode (no valid slot; console up, reflashable)";
    case 'prompt':
      return 'no firmware: a bare Espruino prompt (no working boot code; reflashable)';
  }
}

/** "A", "A or B", "A, B or C": what the board may boot when the step that changes it was cut at an unknown point. */
export function describeOutcomes(outcomes: readonly BootOutcome[]): string {
  const texts = uniqueOutcomes(outcomes).map(describeOutcome);
  return texts.length === 1 ? texts[0]! : `${texts.slice(0, -1).join(', ')} or ${texts.at(-1)}`;
}

export function uniqueOutcomes(outcomes: readonly BootOutcome[]): BootOutcome[] {
  const seen = new Set<string>();
  return outcomes.filter((o) => {
    const key = JSON.stringify(o);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The strap firmware the board runs now (`strap 0.1.0`), from strap.status(). */
export function runningFirmware(probe: BoardProbe): string | undefined {
  const fw = probe.status?.fw;
  return typeof fw === 'string' && fw.startsWith('strap ') ? fw : undefined;
}

export function bootCode(probe: BoardProbe): BootCode {
  const boot = probe.boot;
  if (!boot) return 'none';
  if (!boot.head.startsWith(LOADER_MARK)) return 'other';
  if (boot.unwritten) return 'partial-loader';
  return boot.crc === crc32OfLatin1(LOADER_SOURCE) ? 'loader' : 'old-loader';
}

/**
 * What the probe says is on the board (FlashResult.previous, NotStrapFirmwareError's
 * `found:`), and whether it is ours: the strap runs, or Storage holds our loader,
 * or our slots with no other boot code. Anything else (another app's .bootcde,
 * even beside leftover slots, or nothing) is replaced only with `force`.
 */
export function describeBoard(identity: BoardIdentity, probe: BoardProbe): { ours: boolean; text: string } {
  const on = `${identity.board || 'unknown board'}, Espruino ${identity.version || 'unknown version'}`;
  const code = bootCode(probe);
  const active = activeSlot(probe);
  const running = runningFirmware(probe);
  const leftovers = SLOTS.filter((s) => probe[s].size >= 0 || probe[s].recordSize >= 0);
  if (running) {
    const where =
      code === 'other' ? (probe.boot!.banner ? '.bootcde' : 'RAM (.bootcde holds something else)') : code === 'none' ? 'RAM only (no boot code)' : code === 'partial-loader' ? 'RAM (its loader was cut short)' : active ? `slot ${active}` : 'the loader, no valid slot';
    const safe = probe.status?.mode === 'safe' ? `, in safe mode${probe.status.safeReason ? ` (${probe.status.safeReason})` : ''}` : '';
    return { ours: true, text: `${running} from ${where} on ${on}${safe}` };
  }
  if (code === 'loader' || code === 'old-loader') {
    const what = active ? `the strap loader with slot ${active} valid, not running` : 'the strap loader in safe mode: no valid slot';
    return { ours: true, text: `${what} on ${on}` };
  }
  if (code === 'partial-loader') return { ours: true, text: `a strap loader cut short (${probe.boot!.size} bytes, part never written) on ${on}` };
  const valid = active ? (leftovers.length > 1 ? ` (${active} valid)` : ' (valid)') : leftovers.length > 1 ? ' (neither valid)' : ' (not valid)';
  const slots = leftovers.length ? `, strap slot${leftovers.length > 1 ? 's' : ''} ${leftovers.join(', ')} left${valid}` : '';
  if (code === 'none') return { ours: leftovers.length > 0, text: `${on}, no boot code${slots}` };
  const global = probe.strap !== 'undefined' ? `, a global strap of type ${probe.strap}` : '';
  return { ours: false, text: `${on}, .bootcde of ${probe.boot!.size} bytes starting ${JSON.stringify(probe.boot!.head)}${global}${slots}` };
}
