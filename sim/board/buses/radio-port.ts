/**
 * The board's radio seam. On the nRF52 the SoftDevice (Nordic's BLE stack)
 * owns the radio; Espruino's NRF object only configures it and hears its
 * events. Here a radio model attaches from outside the board (sim/softdevice
 * plays the SoftDevice with a ble-host copy on the virtual air) and
 * implements `BoardRadio`; the board's NRF API (api/install-nrf.ts) calls it
 * with plain data and hears `RadioEvent`s back. With nothing attached every
 * NRF radio member throws "not modelled by the virtual board".
 *
 * UUIDs are canonical text: 16-bit ones as 4 lower-case hex digits ("180f"),
 * others in the 128-bit form, lower case. Values are bytes.
 */

/** A characteristic's read or write requirement (Espruino's `security.read` / `security.write`). */
export interface LinkRequirement {
  encrypted: boolean;
  mitm: boolean;
  lesc: boolean;
  signed: boolean;
}

export interface RadioCharacteristic {
  uuid: string;
  value: Uint8Array;
  /** Longest value a peer may write, and updateServices may set. */
  maxLen: number;
  broadcast: boolean;
  readable: boolean;
  writable: boolean;
  notify: boolean;
  indicate: boolean;
  description?: string;
  read: LinkRequirement;
  write: LinkRequirement;
}

export interface RadioService {
  uuid: string;
  characteristics: RadioCharacteristic[];
}

/** What NRF.setServices asks for: the firmware's services, and whether the Nordic UART Service (the BLE console) is there. */
export interface ServiceTable {
  services: RadioService[];
  uart: boolean;
}

export interface AdvertisingParams {
  /** AD structures, at most 31 octets. */
  advertisingData: Uint8Array;
  scanResponse: Uint8Array;
  intervalMs: number;
  connectable: boolean;
  scannable: boolean;
}

/** NRF.setSecurity's options as the SoftDevice takes them. */
export interface SecuritySettings {
  display: boolean;
  keyboard: boolean;
  bond: boolean;
  mitm: boolean;
  lesc: boolean;
  /** A static 6-digit passkey to display; undefined: the SoftDevice draws one per pairing. */
  passkey?: string;
  /** Legacy OOB key (16 octets). */
  oob?: Uint8Array;
  /**
   * The Nordic UART Service only on an encrypted link (Espruino 2v29's
   * `encryptUart`; implied by `passkey` or `oob`, Espruino fix #1705).
   */
  encryptUart?: boolean;
}

/** NRF.getSecurityStatus() (jswrap_ble_getSecurityStatus). */
export interface SecurityStatus {
  advertising: boolean;
  connected: boolean;
  encrypted: boolean;
  mitm_protected: boolean;
  bonded: boolean;
  connected_addr?: string;
}

/** What the SoftDevice does for the board. */
export interface BoardRadio {
  /** The board's own address as NRF.getAddress() prints it ("aa:bb:cc:dd:ee:ff public"). */
  readonly address: string;
  /** Whether a central is connected now. */
  connected(): boolean;
  /** A new service table (the caller has waited for the BLE restart Espruino needs). */
  applyServices(table: ServiceTable): void;
  /**
   * Sets a characteristic's value; notifies or indicates a subscribed central.
   * Returns false when no characteristic has that UUID.
   */
  updateValue(serviceUuid: string, characteristicUuid: string, value: Uint8Array, send: 'none' | 'notify' | 'indicate'): boolean;
  setAdvertising(params: AdvertisingParams): void;
  setSecurity(settings: SecuritySettings): void;
  securityStatus(): SecurityStatus;
  disconnect(): void;
  /** Asks the central for a new interval ('auto': the SoftDevice's defaults, 7.5–20 ms when busy). */
  setConnectionInterval(interval: 'auto' | { minMs: number; maxMs: number }): void;
  /** NRF.sleep(): disconnect and stop advertising; wake() starts advertising again. */
  sleep(): void;
  wake(): void;
  eraseBonds(): void;
}

export type RadioEvent =
  | { kind: 'connect'; address: string }
  | { kind: 'disconnect'; reason: number }
  | { kind: 'write'; serviceUuid: string; characteristicUuid: string; data: Uint8Array }
  | { kind: 'security'; status: { auth_status: string | number; bonded: boolean; lv4: number; kdist_own: number; kdist_peer: number } }
  | { kind: 'passkey'; passkey: string }
  | { kind: 'bond'; status: 'request' | 'start' | 'success' | 'fail' }
  | { kind: 'mtu'; mtu: number }
  | { kind: 'advertising'; on: boolean };

export class RadioPort {
  private device: BoardRadio | undefined;
  /**
   * The address of the radio last attached: the chip's own (the nRF52's FICR), so it stays known while a
   * power cycle has the SoftDevice model restarting, when boot already asks for it (on a real board the
   * SoftDevice is enabled before JavaScript runs).
   */
  chipAddress: string | undefined;
  private listener: ((event: RadioEvent) => void) | undefined;
  private configure: ((radio: BoardRadio) => void) | undefined;

  /**
   * A radio model takes the board's radio; it reports with the function
   * returned. The board hands it its current configuration (services,
   * advertising, security) at once.
   */
  attach(device: BoardRadio): (event: RadioEvent) => void {
    this.device = device;
    this.chipAddress = device.address;
    this.configure?.(device);
    return (event) => this.listener?.(event);
  }

  detach(): void {
    this.device = undefined;
  }

  get radio(): BoardRadio | undefined {
    return this.device;
  }

  /**
   * The board's side: one listener, the live RAM's NRF object (each new RAM
   * replaces it), and how that RAM configures a radio (run now if one is
   * attached: a boot restarts the SoftDevice with the new RAM's settings).
   */
  listen(listener: (event: RadioEvent) => void, configure: (radio: BoardRadio) => void): void {
    this.listener = listener;
    this.configure = configure;
    if (this.device) configure(this.device);
  }
}
