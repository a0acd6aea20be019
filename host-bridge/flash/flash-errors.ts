/**
 * What flashFirmware and rollbackFirmware throw. Each says what it found and,
 * once the board's Storage may have changed, what the board boots after a
 * reset (`boots`: one outcome, or the few a step cut at an unknown point may
 * leave), so a caller can tell the user how to get back.
 */
import type { BootOutcome } from './boot-state';

export { FlashNoRoomError } from './storage-plan';

/** The board does not run (and does not hold) the strap firmware; nothing was written. */
export class NotStrapFirmwareError extends Error {
  constructor(readonly found: string) {
    super(`no strap firmware on this board (found: ${found})`);
    this.name = 'NotStrapFirmwareError';
  }
}

/** The bundle is not a strap firmware (bundle-identity.ts); nothing was sent. */
export class NotStrapBundleError extends Error {
  constructor(readonly reason: string) {
    super(`the bundle is not a strap firmware: ${reason}; nothing was sent`);
    this.name = 'NotStrapBundleError';
  }
}

/** What a flash error claims about the board after it. */
export interface BootClaim {
  /** What the board boots after a reset or power cycle: one outcome, or each a cut step may have left. */
  readonly boots: readonly BootOutcome[];
}

/** The slot read back from the board does not match what was sent; the slot record was not switched. */
export class FlashVerifyError extends Error implements BootClaim {
  constructor(
    readonly file: string,
    readonly sent: { size: number; crc32: number },
    readonly stored: { size: number; crc32: number },
    readonly keeps: string,
    readonly boots: readonly BootOutcome[] = [],
  ) {
    super(
      `verify failed: ${file} on the board has ${stored.size} bytes with CRC-32 ${hex(stored.crc32)}, ` +
        `sent ${sent.size} bytes with CRC-32 ${hex(sent.crc32)}; the board boots ${keeps}`,
    );
    this.name = 'FlashVerifyError';
  }
}

/** A step stopped part-way (port gone, board silent or refusing). */
export class FlashInterruptedError extends Error implements BootClaim {
  readonly boots: readonly BootOutcome[];
  /** Nothing on the board was changed (the flash stopped before its first write). */
  readonly nothingWritten: boolean;
  constructor(message: string, options: { cause?: unknown; boots?: readonly BootOutcome[]; nothingWritten?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'FlashInterruptedError';
    this.boots = options.boots ?? [];
    this.nothingWritten = options.nothingWritten ?? false;
  }
}

/** The flash was stopped on request (FlashOptions.signal: Ctrl-C) at a step boundary or between DATA packets. */
export class FlashAbortedError extends Error implements BootClaim {
  readonly boots: readonly BootOutcome[];
  readonly nothingWritten: boolean;
  constructor(message: string, options: { boots?: readonly BootOutcome[]; nothingWritten?: boolean } = {}) {
    super(message);
    this.name = 'FlashAbortedError';
    this.boots = options.boots ?? [];
    this.nothingWritten = options.nothingWritten ?? false;
  }
}

/** The new firmware did not print its banner after the reset. */
export class FlashBootError extends Error implements BootClaim {
  constructor(
    message: string,
    readonly boots: readonly BootOutcome[] = [],
    /** The slot a rollback boots (the previous firmware), when one stays. */
    readonly fallback?: { slot: string; firmware?: string },
  ) {
    super(message);
    this.name = 'FlashBootError';
  }
}

/** Nothing to roll back to, or the rollback did not boot. */
export class RollbackError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RollbackError';
  }
}

export function hex(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}
