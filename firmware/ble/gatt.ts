/**
 * The strap's GATT table (firmware/ble/README.md), set with NRF.setServices:
 * Battery Service 0x180F (Battery Level 0x2A19, read + notify), Device
 * Information 0x180A (Manufacturer Name 0x2A29, Firmware Revision 0x2A26),
 * and the wallet service with its control point: write + notify (and read,
 * the last response), on an encrypted, MITM-protected LESC link only.
 *
 * Control point framing: a request is [seq, op, args…]; the strap answers
 * with a notification (and the characteristic's value) [seq, op | 0x80,
 * result, data…]. Result 0 ok, 1 unknown op, 2 malformed (under 2 octets;
 * seq then 0). Op 0x01 `status`: data [window open 0/1, bonds, battery %].
 * Values are static in the SoftDevice (Espruino has no read callback): the
 * firmware updates them.
 */
export const WALLET_SERVICE = '5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11';
export const CONTROL_POINT = '5a7e0002-3c4f-4e9a-9b1d-2f6e8a0c7d11';
const MANUFACTURER = 'paymentstrap.dev';

export const Op = { STATUS: 0x01 } as const;
export const Result = { OK: 0, UNKNOWN_OP: 1, MALFORMED: 2 } as const;

/** What the control point's `status` answers. */
export interface WalletSources {
  status(): { window: boolean; bonds: number; battPct: number };
}

/** Sets the table; a change takes effect at once when nothing is connected, else at the disconnect (Espruino's BLE restart). */
export function setServices(version: string, battPct: number, wallet: WalletSources): void {
  const link = { encrypted: true, mitm: true, lesc: true };
  const services: NrfServices = {
    '180F': { '2A19': { value: [battPct], readable: true, notify: true } },
    '180A': { '2A29': { value: MANUFACTURER, readable: true }, '2A26': { value: version, readable: true } },
  };
  services[WALLET_SERVICE] = {};
  services[WALLET_SERVICE]![CONTROL_POINT] = {
    value: [0, 0, 0],
    maxLen: 20,
    readable: true,
    writable: true,
    notify: true,
    security: { read: link, write: link },
    onWrite: function (evt) {
      answer(new Uint8Array(evt.data), wallet);
    },
  };
  // The Nordic UART Service carries Espruino's console; pairing.ts sets `encryptUart`, so only an
  // encrypted link (a bonded phone) may write to it or hear it (firmware/ble/README.md, Console).
  NRF.setServices(services, { uart: true });
}

/** The Battery Level characteristic, notified to a subscribed phone. */
export function updateBattery(battPct: number): void {
  NRF.updateServices({ '180F': { '2A19': { value: [battPct], notify: true } } });
}

function answer(request: Uint8Array, wallet: WalletSources): void {
  let reply: number[];
  if (request.length < 2) reply = [0, 0x80, Result.MALFORMED];
  else if (request[1] === Op.STATUS) {
    const s = wallet.status();
    reply = [request[0]!, Op.STATUS | 0x80, Result.OK, s.window ? 1 : 0, s.bonds, s.battPct];
  } else reply = [request[0]!, request[1]! | 0x80, Result.UNKNOWN_OP];
  const update: Parameters<typeof NRF.updateServices>[0] = {};
  update[WALLET_SERVICE] = {};
  update[WALLET_SERVICE]![CONTROL_POINT] = { value: reply, notify: true };
  NRF.updateServices(update);
}
