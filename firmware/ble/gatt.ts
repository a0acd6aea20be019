/**
 * The strap's GATT table (firmware/ble/README.md), set with NRF.setServices:
 * Battery Service 0x180F (Battery Level 0x2A19, read + notify), Device
 * Information 0x180A (Manufacturer Name 0x2A29, Firmware Revision 0x2A26),
 * and the wallet service, on an encrypted, MITM-protected LESC link only:
 *
 *   control point  write, notify, read: request [seq, op, args…], answer
 *                  [seq, op | 0x80, result, data…]; the ops are given
 *                  (WalletSources.op), status (0x01) by ble.ts, the rest by
 *                  payments/wallet.ts
 *   transfer       write, notify, read: the chunked APDU script (transfer.ts)
 *   status         read, notify: the wearer state and the last transaction,
 *                  sent after each tap and each change of card emulation
 *
 * Values are static in the SoftDevice (Espruino has no read callback): the
 * firmware updates them, and each answer stays as the value.
 */
import { transferWrite } from './transfer';
import { CONTROL_POINT, put, Result, wallet } from './wallet-protocol';

const MANUFACTURER = 'paymentstrap.dev';

/**
 * Sets the table; a change takes effect at once when nothing is connected, else at the disconnect (Espruino's
 * BLE restart). Espruino keeps the table (hidden root, libs/bluetooth/jswrap_bluetooth.c jswrap_ble_setServices)
 * and reads it in C (targets/nrf5x/bluetooth.c jsble_set_services), so it is written for what that reads:
 * flags as 1 (jsvGetBool; an int inside the key's name, a variable fewer than `true`), a one-octet value as a
 * number (the same octet as [n], a variable or two fewer), the defaults left out (not writable, no onWrite;
 * `uart` is on unless false), and one `security` object for the three wallet characteristics whose `lesc`
 * alone is what `{encrypted, mitm, lesc}` gave: set_security_mode checks `lesc` first, LESC with MITM.
 * Written out rather than made in a loop: the build spreads this function into the bundle's top scope,
 * where a loop's table and its callback would stay as long as the strap runs.
 */
export function setServices(version: string, battPct: number): void {
  const link = { lesc: 1 as const };
  const security = { read: link, write: link };
  const services: NrfServices = {
    '180F': { '2A19': { value: battPct, readable: 1, notify: 1 } },
    '180A': { '2A29': { value: MANUFACTURER, readable: 1 }, '2A26': { value: version, readable: 1 } },
    // the wallet service, its control point, transfer and status: wallet-protocol.ts uuid(1) to uuid(4), written
    // out (the function kept in the bundle for them would cost five variables as long as the strap runs)
    '5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11': {
      '5a7e0002-3c4f-4e9a-9b1d-2f6e8a0c7d11': { value: 0, maxLen: 20, readable: 1, notify: 1, security: security, writable: 1, onWrite: controlPoint },
      '5a7e0003-3c4f-4e9a-9b1d-2f6e8a0c7d11': { value: 0, maxLen: 20, readable: 1, notify: 1, security: security, writable: 1, onWrite: transferWrite },
      '5a7e0004-3c4f-4e9a-9b1d-2f6e8a0c7d11': { value: 0, maxLen: 20, readable: 1, notify: 1, security: security },
    },
  };
  // The Nordic UART Service (Espruino's default, `uart`) carries the console; pairing.ts sets `encryptUart`, so
  // only an encrypted link (a bonded phone) may write to it or hear it (firmware/ble/README.md, Console).
  NRF.setServices(services);
}

/** The Battery Level characteristic, notified to a subscribed phone. */
export function updateBattery(battPct: number): void {
  NRF.updateServices({ '180F': { '2A19': { value: [battPct], notify: true } } });
}

/** The control point's onWrite: [seq, op, args…] to the op's handler, answered [seq, op | 0x80, result, data…]. */
function controlPoint(evt: { data: ArrayBuffer }): void {
  const request = new Uint8Array(evt.data);
  const seq = request[0] || 0;
  const op = request[1] || 0;
  const reply = function (result: number, data?: number[]) {
    put(CONTROL_POINT, [seq, op | 0x80, result].concat(data || []));
  };
  // Under 2 octets: malformed, the answer's op 0 (and seq 0 for an empty write).
  if (request.length < 2) reply(Result.MALFORMED);
  else if (!wallet.op || !wallet.op(op, request.subarray(2), reply)) reply(Result.UNKNOWN_OP);
}
