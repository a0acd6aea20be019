/**
 * Espruino 2v29 (Puck.js build) API members the virtual board does not model.
 * Each exists (so `typeof NRF.setAdvertising === 'function'`, as on the real
 * board) and throws `Error("not modelled by the virtual board: NRF.setAdvertising")`
 * when used: never a silent no-op. Names Espruino does not have at all stay
 * undefined. Other sim models (radio, NFC) replace members as they model them.
 */
import type { Realm } from '../runtime/context/realm';

export const NOT_MODELLED_PREFIX = 'not modelled by the virtual board: ';

export const NOT_MODELLED_GLOBAL_FUNCTIONS = [
  'analogRead',
  'analogWrite',
  'shiftOut',
  'peek8',
  'peek16',
  'peek32',
  'poke8',
  'poke16',
  'poke32',
  'setSleepIndicator',
  'setBusyIndicator',
  'setDeepSleep',
  'dump',
  'edit',
  'trace',
  'getSerial',
] as const;

/** Constructors present on Puck.js that the board does not model (calling or `new` throws). */
export const NOT_MODELLED_CONSTRUCTORS = ['SPI', 'I2C', 'Serial', 'OneWire', 'Waveform', 'Graphics'] as const;

export const NOT_MODELLED_MEMBERS: Record<string, readonly string[]> = {
  E: [
    'nativeCall', 'variance', 'convolve', 'FFT', 'interpolate', 'interpolate2d', 'toJS', 'memoryArea', 'setClock',
    'decodeUTF8', 'getPowerUsage', 'getSizeOf', 'getAddressOf', 'mapInPlace', 'lookupNoCase', 'dumpTimers',
    'dumpLockedVars', 'dumpFreeList', 'dumpFragmentation', 'dumpVariables', 'dumpStr', 'defrag', 'getFlags',
    'setFlags', 'pipe', 'HSBtoRGB', 'setTimeZone', 'setDST', 'asm', 'compiledC',
    'reverseByte', 'srand', 'stopEventPropagation',
  ],
  NRF: [
    'disconnect', 'sleep', 'wake', 'restart', 'eraseBonds', 'getAddress', 'setAddress', 'setAdvertising',
    'getAdvertisingData', 'setScanResponse', 'setServices', 'updateServices', 'setScan', 'filterDevices',
    'findDevices', 'setRSSIHandler', 'setTxPower', 'setLowPowerConnection', 'nfcURL', 'nfcPair', 'nfcAndroidApp',
    'nfcRaw', 'nfcStart', 'nfcStop', 'nfcSend', 'sendHIDReport', 'ancsIsActive', 'ancsAction',
    'ancsGetNotificationInfo', 'ancsGetAppInfo', 'amsIsActive', 'amsGetPlayerInfo', 'amsGetTrackInfo',
    'amsCommand', 'requestDevice', 'connect', 'setWhitelist', 'setConnectionInterval', 'setSecurity',
    'getSecurityStatus', 'startBonding',
  ],
  Puck: [
    'mag', 'magOn', 'magOff', 'magWr', 'magRd', 'magTemp', 'accel', 'accelOn', 'accelOff', 'accelWr', 'accelRd',
    'IR', 'capSense', 'light', 'getTemperature', 'selfTest', 'getHardwareVersion',
  ],
  SPI1: ['setup', 'send', 'write', 'send4bit', 'send8bit'],
  Modules: ['getCached', 'removeCached', 'removeAllCached', 'addCached'],
  Pin: ['getInfo', 'analog', 'pwm', 'writeAtTime'],
};

/** Built-in modules that exist on Puck.js but are not modelled (require() throws). */
export const NOT_MODELLED_MODULES = ['Flash', 'heatshrink', 'crypto', 'neopixel', 'net', 'dgram', 'http', 'tls', 'ble_hid_keyboard'] as const;

export function notModelledError(realm: Realm, what: string): Error {
  return realm.error('Error', NOT_MODELLED_PREFIX + what);
}

/** A context function that throws "not modelled" for `what` (works with `new` too). */
export function notModelledFunction(realm: Realm, what: string): Function {
  return realm.fn(function notModelled() {
    throw notModelledError(realm, what);
  }, what.split('.').pop());
}

/** Adds throwing stubs for every name in `names` that `target` does not define yet. */
export function addNotModelledMembers(realm: Realm, target: Record<string, unknown>, owner: string, names: readonly string[]): void {
  for (const name of names) {
    if (Object.prototype.hasOwnProperty.call(target, name)) continue;
    Object.defineProperty(target, name, {
      value: notModelledFunction(realm, `${owner}.${name}`),
      configurable: true,
      enumerable: false,
      writable: true,
    });
  }
}
