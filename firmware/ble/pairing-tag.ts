/**
 * The NDEF message the strap serves on its nRF52 NFC tag while the pairing
 * window is open (firmware/ble/README.md): two short records,
 *
 *   1. TNF media (0x02), `application/vnd.bluetooth.le.oob`: AD structures
 *      LE Bluetooth Device Address (0x1B: 6 octets LSB first + 0 public /
 *      1 random) and LE Role (0x1C: 0x00 peripheral only), the two the
 *      Bluetooth SIG's "Bluetooth Secure Simple Pairing Using NFC" makes
 *      mandatory for LE;
 *   2. TNF NFC Forum external (0x04), `paymentstrap.dev:passkey`: the
 *      passkey as 6 ASCII digits.
 *
 * Written by hand for the bundle; protocols/nfc/ndef.ts and
 * bluetooth-le-oob.ts are the codec, and pairing-tag.test.ts proves both
 * give the same bytes.
 */
export const OOB_TYPE = 'application/vnd.bluetooth.le.oob';
export const PASSKEY_TYPE = 'paymentstrap.dev:passkey';

/** `address` as NRF.getAddress() gives it: `c0:11:22:33:44:01 public`. */
export function pairingTag(address: string, passkey: string): Uint8Array {
  const parts = address.split(' ');
  const hex = parts[0]!.split(':');
  let lsbFirst = '';
  for (let i = 5; i >= 0; i--) lsbFirst += String.fromCharCode(parseInt(hex[i]!, 16));
  const message =
    // MB | SR | media (0x92), type length 32, payload length 12
    '\x92\x20\x0c' +
    OOB_TYPE +
    // AD: length 8, LE Bluetooth Device Address 0x1B, 6 octets, 0 public / 1 random; length 2, LE Role 0x1C, 0x00
    '\x08\x1b' +
    lsbFirst +
    (parts[1] === 'public' ? '\x00' : '\x01') +
    '\x02\x1c\x00' +
    // ME | SR | external (0x54), type length 24, payload length 6: the passkey's digits
    '\x54\x18\x06' +
    PASSKEY_TYPE +
    passkey;
  const out = new Uint8Array(message.length);
  for (let i = 0; i < message.length; i++) out[i] = message.charCodeAt(i);
  return out;
}

/** Six decimal digits from the hardware RNG, without modulo bias (draws over 4,294,000,000 are drawn again). */
export function drawPasskey(): string {
  let n = E.hwRand() >>> 0;
  while (n >= 4294000000) n = E.hwRand() >>> 0;
  return ('00000' + (n % 1000000)).slice(-6);
}
