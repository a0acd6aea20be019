/** What flashFirmware throws, each naming what it found on the board. */

/** The board does not run (and does not hold) the strap firmware; nothing was written. */
export class NotStrapFirmwareError extends Error {
  constructor(readonly found: string) {
    super(`no strap firmware on this board (found: ${found})`);
    this.name = 'NotStrapFirmwareError';
  }
}

/** The slot read back from the board does not match what was sent; the slot record was not switched. */
export class FlashVerifyError extends Error {
  constructor(
    readonly file: string,
    readonly sent: { size: number; crc32: number },
    readonly stored: { size: number; crc32: number },
    readonly keeps: string,
  ) {
    super(
      `verify failed: ${file} on the board has ${stored.size} bytes with CRC-32 ${hex(stored.crc32)}, ` +
        `sent ${sent.size} bytes with CRC-32 ${hex(sent.crc32)}; the board keeps booting ${keeps}`,
    );
    this.name = 'FlashVerifyError';
  }
}

/** The upload or the activation stopped part-way (port gone, board silent or refusing). */
export class FlashInterruptedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlashInterruptedError';
  }
}

/** The new firmware did not print its banner after the reset. */
export class FlashBootError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlashBootError';
  }
}

export function hex(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}
