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
import { CONTROL_POINT, put, Result, STATUS, TRANSFER, uuid, wallet, WALLET_SERVICE } from './wallet-protocol';

const MANUFACTURER = 'paymentstrap.dev';

/** Sets the table; a change takes effect at once when nothing is connected, else at the disconnect (Espruino's BLE restart). */
export function setServices(version: string, battPct: number): void {
  const link = { encrypted: true, mitm: true, lesc: true };
  const services: NrfServices = {
    '180F': { '2A19': { value: [battPct], readable: true, notify: true } },
    '180A': { '2A29': { value: MANUFACTURER, readable: true }, '2A26': { value: version, readable: true } },
  };
  const ours: { [uuid: string]: NrfCharacteristic } = (services[uuid(WALLET_SERVICE)] = {});
  // Espruino keeps this table (hidden root, jswrap_ble_setServices): one security object for the three, and
  // `writable` and `onWrite` only where there is a handler (their defaults: not writable, no handler)
  const security = { read: link, write: link };
  const table: [number, ((evt: { data: ArrayBuffer }) => void)?][] = [[CONTROL_POINT, controlPoint], [TRANSFER, transferWrite], [STATUS]];
  table.forEach(function (c) {
    const characteristic: NrfCharacteristic = { value: [0], maxLen: 20, readable: true, notify: true, security: security };
    if (c[1]) {
      characteristic.writable = true;
      characteristic.onWrite = c[1];
    }
    ours[uuid(c[0])] = characteristic;
  });
  // The Nordic UART Service carries Espruino's console; pairing.ts sets `encryptUart`, so only an
  // encrypted link (a bonded phone) may write to it or hear it (firmware/ble/README.md, Console).
  NRF.setServices(services, { uart: true });
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
