/**
 * A tiny board program that opens a tap-to-pair window the way the strap's
 * firmware will (firmware/ble/, written in parallel): Battery and Device
 * Information services, a protected test characteristic (0xFFF0/0xFFF1) in
 * place of the wallet service, and on a long button press NRF.setSecurity with the
 * passkey the strap displays + NRF.nfcRaw of the tap-to-pair NDEF message.
 * It stands in for the firmware until firmware/ble lands; the tests that use
 * it switch to `dist/strap.js` then (see phone.test.ts).
 */
import { LeRole, encodeTapToPairMessage } from '../../../protocols/nfc/tap-to-pair';
import { Tnf, encodeNdefMessage } from '../../../protocols/nfc/ndef';

export interface WindowProgramOptions {
  /** The passkey the strap uses for pairing. */
  passkey: string;
  /** What the tag says the passkey is (default: the same); `'none'`: a tag without the passkey record. */
  tagPasskey?: string | 'none';
  /** The strap's address as the tag gives it. */
  address: string;
  batteryPercent?: number;
}

export const LONG_PRESS_MS = 2000;

export function pairingWindowProgram(options: WindowProgramOptions): string {
  const tagPasskey = options.tagPasskey ?? options.passkey;
  const ndef =
    tagPasskey === 'none'
      ? encodeNdefMessage([{ tnf: Tnf.MEDIA, type: Buffer.from('application/vnd.bluetooth.le.oob'), id: new Uint8Array(0), payload: oobOnly(options.address) }])
      : encodeTapToPairMessage({ address: options.address, addressType: 'public', role: LeRole.PERIPHERAL_ONLY, passkey: tagPasskey });
  return `
NRF.setServices({
  0x180F: { 0x2A19: { value: [${options.batteryPercent ?? 87}], readable: true, notify: true } },
  0x180A: { 0x2A29: { value: "paymentstrap.dev", readable: true }, 0x2A24: { value: "strap-demo", readable: true } },
  0xFFF0: { 0xFFF1: { value: "", maxLen: 20, readable: true, writable: true, security: { read: { encrypted: true, mitm: true }, write: { encrypted: true, mitm: true } },
                      onWrite: function (evt) { lastWrite = E.toString(evt.data); } } }
}, { uart: false });
var lastWrite;
var windowOpen = false;
function openPairingWindow() {
  NRF.setSecurity({ display: true, mitm: true, lesc: true, bond: true, passkey: ${JSON.stringify(options.passkey)} });
  NRF.nfcRaw([${[...ndef].join(',')}]);
  windowOpen = true;
}
setWatch(function (e) { if (e.time - e.lastTime >= ${LONG_PRESS_MS / 1000 - 0.2}) openPairingWindow(); }, BTN, { repeat: true, edge: 'falling', debounce: 50 });
`;
}

function oobOnly(address: string): Uint8Array {
  const octets = address.split(':').map((h) => parseInt(h, 16)).reverse();
  return Uint8Array.of(8, 0x1b, ...octets, 0, 2, 0x1c, 0);
}
