/**
 * The wallet service's UUIDs, ops and results (firmware/ble/README.md), and
 * how a wallet characteristic's value is set and notified. gatt.ts sets the
 * table, transfer.ts runs the transfer characteristic; payments/wallet.ts
 * gives the op handlers.
 */
/**
 * The service and its characteristics: 5a7e000N-3c4f-4e9a-9b1d-2f6e8a0c7d11, N 1 to 4. The firmware writes
 * them out where used (gatt.ts, put below), in its code: a 36-character string kept in a variable would cost
 * five of Espruino's variables, and this function kept in the bundle five too (firmware/ble/README.md,
 * "Memory"). For the tests: gatt.test.ts and transfer.test.ts check the firmware's spellings against it.
 */
export function uuid(n: number): string {
  return '5a7e000' + n + '-3c4f-4e9a-9b1d-2f6e8a0c7d11';
}
/** N of each UUID (uuid above). */
export const WALLET_SERVICE = 1;
export const CONTROL_POINT = 2;
export const TRANSFER = 3;
export const STATUS = 4;

export const Op = { STATUS: 1, UNLOCK: 2, LOCK: 3, TRANSACTION: 4, SUSPEND: 5, RESUME: 6 } as const;
/** One result table for the control point and the transfer (firmware/ble/README.md). */
export const Result = { OK: 0, UNKNOWN_OP: 1, MALFORMED: 2, REFUSED: 3, BUSY: 4, SE: 5, OFFSET: 6, CRC: 7, TOO_LARGE: 8 } as const;

/**
 * Runs op `op` with its `args`: `answer` once, now or later, with the result and its data. Returns false
 * (and answers nothing) for an op it does not have. One function for every op rather than a table of them:
 * each function kept costs Espruino variables for as long as the strap runs.
 */
export type WalletOp = (op: number, args: Uint8Array, answer: (result: number, data?: number[]) => void) => boolean;

export interface WalletSources {
  /** The ops (status, 0x01, is ble.ts's own). */
  op?: WalletOp;
  /** Runs a complete, CRC-checked APDU script (its bytes as a string: read from Storage); `done(result, responses)` (transfer.ts, payments/wallet.ts). */
  script?: (script: string, done: (result: number, responses?: Uint8Array) => void) => void;
}

/** What the wallet service's characteristics run (gatt.ts, transfer.ts): filled in by serveWallet once payments run. */
export const wallet: WalletSources = {};

/** Sets a wallet characteristic's value and notifies it; a new table waiting for the BLE restart takes it then. */
export function put(characteristic: number, value: number[] | Uint8Array): void {
  const update: Parameters<typeof NRF.updateServices>[0] = {};
  const service: { [uuid: string]: NrfCharacteristic } = (update['5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11'] = {});
  service['5a7e000' + characteristic + '-3c4f-4e9a-9b1d-2f6e8a0c7d11'] = { value: value, notify: 1 };
  try {
    NRF.updateServices(update);
  } catch (e) {
    // the table changed and applies at the disconnect: nothing to notify meanwhile
  }
}

