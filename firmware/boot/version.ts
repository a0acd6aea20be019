export const FIRMWARE_NAME = 'strap';
export const FIRMWARE_VERSION = '0.1.0';
/** `strap 0.1.0`: the banner's, the BLE device information's and strap.status()'s `fw`. */
export const FIRMWARE = FIRMWARE_NAME + ' ' + FIRMWARE_VERSION;
