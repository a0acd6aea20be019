// Types of the Espruino 2v29 globals the firmware uses (Puck.js-class board).
// The firmware touches hardware only through these; the virtual board implements
// the same names with Espruino's semantics.

interface Pin {
  read(): boolean;
  write(value: boolean): void;
  set(): void;
  reset(): void;
  toggle(): boolean;
}

declare var BTN: Pin;
declare var BTN1: Pin;
declare var LED1: Pin;
declare var LED2: Pin;
declare var LED3: Pin;
// The pads the strap's own parts are wired to (strap-pins.ts says which).
declare var D6: Pin;
declare var D7: Pin;
declare var D8: Pin;
declare var D2: Pin;
declare var D13: Pin;
declare var D14: Pin;
declare var D30: Pin;

interface WatchEvent {
  state: boolean;
  /** Seconds (getTime()) of this edge. */
  time: number;
  /** Seconds of the previous edge. */
  lastTime: number;
}

interface WatchOptions {
  edge?: 'rising' | 'falling' | 'both';
  repeat?: boolean;
  debounce?: number;
}

declare function setWatch(callback: (e: WatchEvent) => void, pin: Pin, options?: WatchOptions): number;
declare function clearWatch(id?: number): void;
declare function digitalWrite(pin: Pin | Pin[], value: boolean | number): void;
declare function digitalRead(pin: Pin | Pin[]): number;
declare function pinMode(pin: Pin, mode: "input" | "input_pullup" | "input_pulldown" | "output" | "opendrain" | "af_output" | "analog" | "auto", automatic?: boolean): void;
/** `value` for each time in turn (ms), toggling between them, ending at !value; returns at once. */
declare function digitalPulse(pin: Pin, value: boolean | number, time: number | number[]): void;

/** Extra arguments are passed to the callback. */
declare function setTimeout<A extends unknown[]>(callback: (...args: A) => void, timeoutMs?: number, ...args: A): number;
declare function setInterval<A extends unknown[]>(callback: (...args: A) => void, timeoutMs?: number, ...args: A): number;
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
/** Seconds since the board started counting (float). */
declare function getTime(): number;
declare function print(...text: unknown[]): void;
declare var console: { log(...text: unknown[]): void };

interface StorageModule {
  read(name: string, offset?: number, length?: number): string | undefined;
  /** Whatever JSON the file holds (undefined when there is no file): check it before use. */
  readJSON(name: string, noExceptions?: boolean): unknown;
  write(name: string, data: string | Uint8Array, offset?: number, size?: number): boolean;
  writeJSON(name: string, data: unknown): boolean;
  erase(name: string): void;
  list(pattern?: RegExp): string[];
  getFree(): number;
}

interface EspruinoE {
  hwRand(): number;
  getTemperature(): number;
  CRC32(data: string | Uint8Array): number;
  /** Its arguments' bytes in a new Uint8Array: a string gives its 8-bit characters (src/jswrap_espruino.c jswrap_espruino_toUint8Array). */
  toUint8Array(...data: Array<string | number | number[] | Uint8Array>): Uint8Array;
  /** Its arguments' bytes as a string of 8-bit characters (src/jswrap_espruino.c jswrap_espruino_toString). */
  toString(...data: Array<string | number | number[] | Uint8Array>): string;
  enableWatchdog(timeoutS: number, isAuto?: boolean): void;
  kickWatchdog(): void;
  getErrorFlags(): string[];
  on(event: 'init' | 'kill', callback: () => void): void;
  setConsole(device: string | null, options?: { force?: boolean }): void;
  reboot(): void;
}
declare var E: EspruinoE;

/**
 * An NRF option Espruino reads with jsvGetBool: 1 is true. Written as 1 it is an int kept inside its key's
 * name (src/jsvar.c jsvMakeIntoVariableName, JSV_NAME_STRING_INT), one variable fewer than `true` where
 * Espruino keeps the object (NRF.setServices' table, setAdvertising's and setSecurity's options).
 */
type NrfFlag = boolean | 0 | 1;

/** A characteristic's read or write requirement (NRF.setServices `security.read` / `security.write`). */
interface NrfLinkRequirement {
  encrypted?: NrfFlag;
  mitm?: NrfFlag;
  lesc?: NrfFlag;
  signed?: NrfFlag;
}

interface NrfCharacteristic {
  /** A number is one octet (src/jsvariterator.c jsvIterateCallback). */
  value?: string | number | number[] | Uint8Array | ArrayBuffer;
  maxLen?: number;
  broadcast?: NrfFlag;
  readable?: NrfFlag;
  writable?: NrfFlag;
  notify?: NrfFlag;
  indicate?: NrfFlag;
  description?: string;
  security?: { read?: NrfLinkRequirement; write?: NrfLinkRequirement };
  onWrite?: (evt: { data: ArrayBuffer }) => void;
}

/** Keys are UUIDs: 16-bit ones as numbers (0x180F) or 4 hex digits with a letter ("180D"), 128-bit ones as text. */
type NrfServices = { [serviceUuid: string]: { [characteristicUuid: string]: NrfCharacteristic } };

interface NrfSecurityStatus {
  advertising: boolean;
  connected: boolean;
  encrypted: boolean;
  mitm_protected: boolean;
  bonded: boolean;
  connected_addr?: string;
}

/** Espruino 2v29's NRF as the virtual board models it (sim/board/api/install-nrf.ts). */
declare var NRF: {
  /** Battery (VDD) voltage in volts. */
  getBattery(): number;
  getAddress(): string;
  setServices(data: NrfServices | undefined, options?: { uart?: boolean }): void;
  updateServices(data: { [serviceUuid: string]: { [characteristicUuid: string]: { value?: string | number | number[] | Uint8Array | ArrayBuffer; notify?: NrfFlag; indicate?: NrfFlag } } }): void;
  setAdvertising(
    data: { [uuid: string]: string | number[] | Uint8Array | undefined } | number[] | Uint8Array | undefined,
    options?: { name?: string; showName?: NrfFlag; discoverable?: NrfFlag; connectable?: NrfFlag; scannable?: NrfFlag; interval?: number; manufacturer?: number; manufacturerData?: number[] | Uint8Array },
  ): void;
  setScanResponse(data: number[] | Uint8Array | undefined): void;
  setSecurity(options: { display?: NrfFlag; keyboard?: NrfFlag; bond?: NrfFlag; mitm?: NrfFlag; lesc?: NrfFlag; passkey?: string; oob?: number[] | Uint8Array; encryptUart?: NrfFlag }): void;
  getSecurityStatus(): NrfSecurityStatus;
  disconnect(): void;
  setConnectionInterval(interval: 'auto' | number | { minInterval: number; maxInterval: number }): void;
  sleep(): void;
  wake(): void;
  eraseBonds(): void;
  nfcURL(url?: string): void;
  nfcRaw(payload?: number[] | Uint8Array): void;
  nfcStop(): void;
  on(event: 'connect', callback: (address: string) => void): void;
  on(event: 'disconnect', callback: (reason: number) => void): void;
  on(event: 'passkey', callback: (passkey: string) => void): void;
  on(event: 'bond', callback: (status: 'request' | 'start' | 'success' | 'fail') => void): void;
  on(event: 'security', callback: (status: { auth_status: string | number; bonded: boolean; lv4: number; kdist_own: number; kdist_peer: number }) => void): void;
  on(event: 'advertising', callback: (isAdvertising: boolean) => void): void;
  on(event: 'mtu', callback: (mtu: number) => void): void;
};

declare var Puck: {
  getBatteryPercentage(): number;
};

interface I2CBus {
  setup(options: { scl?: Pin; sda?: Pin; bitrate?: number }): void;
  writeTo(address: number, ...data: (number | string | Uint8Array | number[])[]): void;
  readFrom(address: number, quantity: number): Uint8Array;
}
declare var I2C1: I2CBus;

declare var process: {
  env: { VERSION: string; BOARD: string; [key: string]: unknown };
  memory(): { free: number; usage: number; total: number };
};

declare function require(module: 'Storage'): StorageModule;

/** The strap's console API (set at boot). */
declare var strap: { status(): Record<string, unknown>; restoreDefaults(): boolean } | undefined;
