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
  // two 3-octet short-record headers, the types, 12 + 6 octets of payload
  const out = new Uint8Array(6 + OOB_TYPE.length + 12 + PASSKEY_TYPE.length + 6);
  let at = 0;
  const put = function (b: number) {
    out[at++] = b;
  };
  const text = function (s: string) {
    for (let i = 0; i < s.length; i++) put(s.charCodeAt(i));
  };
  // MB | SR | media
  put(0x92);
  put(OOB_TYPE.length);
  put(12);
  text(OOB_TYPE);
  put(8);
  put(0x1b);
  for (let i = 5; i >= 0; i--) put(parseInt(hex[i]!, 16));
  put(parts[1] === 'public' ? 0 : 1);
  put(2);
  put(0x1c);
  put(0);
  // ME | SR | external
  put(0x54);
  put(PASSKEY_TYPE.length);
  put(6);
  text(PASSKEY_TYPE);
  text(passkey);
  return out;
}

/** Six decimal digits from the hardware RNG, without modulo bias (draws over 4,294,000,000 are drawn again). */
export function drawPasskey(): string {
  let n = E.hwRand() >>> 0;
  while (n >= 4294000000) n = E.hwRand() >>> 0;
  return ('00000' + (n % 1000000)).slice(-6);
}
