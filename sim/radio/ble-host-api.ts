/**
 * The part of ble-host 1.0.3's API (its docs/api/*.md) the simulator and its
 * tests use, typed. ble-host is plain JavaScript; these types say what we
 * rely on, no more.
 */
import type { EventEmitter } from 'node:events';

export interface BleTransport {
  write(packet: Uint8Array): void;
  on(event: 'data', listener: (packet: Buffer) => void): unknown;
}

export interface GattCharacteristicDefinition {
  uuid: string;
  properties: string[];
  value?: string | Uint8Array;
  readPerm?: 'not-permitted' | 'open' | 'encrypted' | 'encrypted-mitm' | 'encrypted-mitm-sc' | 'custom';
  writePerm?: GattCharacteristicDefinition['readPerm'];
  onRead?: (connection: Connection, callback: (err: number, value?: Uint8Array | string) => void) => void;
  onWrite?: (connection: Connection, needsResponse: boolean, value: Buffer, callback: (err: number) => void) => void;
}

export interface GattServiceDefinition {
  uuid: string;
  characteristics: GattCharacteristicDefinition[];
}

export interface GattClientCharacteristic {
  uuid: string;
  properties: Record<string, boolean>;
  read(callback: (err: number, value: Buffer) => void): void;
  write(value: Uint8Array, callback?: (err: number) => void): void;
  /** Finds the Client Characteristic Configuration descriptor and writes it (0x0A Attribute Not Found without one). */
  writeCCCD(enableNotifications: boolean, enableIndications: boolean, callback?: (err: number) => void): void;
  on(event: 'change', listener: (value: Buffer, isIndication: boolean, confirm: () => void) => void): unknown;
}

export interface GattClientService {
  uuid: string;
  discoverCharacteristics(callback: (characteristics: GattClientCharacteristic[]) => void): void;
}

export interface SecurityLevel {
  mitm: boolean;
  sc: boolean;
}

export interface Smp extends EventEmitter {
  readonly hasLtk: boolean;
  readonly isBonded: boolean;
  readonly isEncrypted: boolean;
  readonly currentEncryptionLevel: SecurityLevel | null;
  sendPairingRequest(request: { ioCap?: number; bondingFlags?: number; mitm?: boolean; sc?: boolean; keypress?: boolean }): boolean;
  sendPairingFailed(reason: number): void;
  sendSecurityRequest(bond: boolean, mitm: boolean, sc: boolean, keypress: boolean): void;
  startEncryption(): boolean;
}

export interface Connection extends EventEmitter {
  readonly peerAddress: string;
  readonly peerAddressType: 'public' | 'random';
  readonly smp: Smp;
  /** Emits 'timeout' when an ATT request went 30 s unanswered (else ble-host disconnects). */
  readonly gatt: EventEmitter & {
    discoverAllPrimaryServices(callback: (services: GattClientService[]) => void): void;
    discoverServicesByUuid(uuid: string, numToFind: number, callback: (services: GattClientService[]) => void): void;
    exchangeMtu(callback?: (err: number) => void): void;
    readonly currentMtu: number;
  };
  disconnect(reason?: number): void;
}

export interface ScanReport {
  connectable: boolean;
  addressType: 'public' | 'random';
  address: string;
  rssi: number;
  rawDataItems: unknown[];
  parsedDataItems: Record<string, unknown>;
}

export interface Scanner extends EventEmitter {
  stopScan(): void;
}

export interface BleManager extends EventEmitter {
  readonly gattDb: { setDeviceName(name: string): void; addServices(services: GattServiceDefinition[]): void };
  setAdvertisingData(data: Uint8Array, callback?: (status: number) => void): void;
  setScanResponseData(data: Uint8Array, callback?: (status: number) => void): void;
  startAdvertising(options: Record<string, unknown>, connectCallback: (status: number, conn: Connection) => void): void;
  stopAdvertising(callback?: (status: number) => void): void;
  startScan(options: Record<string, unknown>): Scanner;
  connect(addressType: 'public' | 'random', address: string, options: Record<string, unknown>, callback: (conn: Connection) => void): { cancel(callback?: () => void): void };
  /** Drops a bond from memory and from the bond folder; throws while that peer is connected. */
  removeBond(identityAddressType: 'public' | 'random', identityAddress: string): void;
}

export interface AdvertisingDataBuilder {
  addFlags(flags: string[]): AdvertisingDataBuilder;
  addLocalName(isComplete: boolean, name: string): AdvertisingDataBuilder;
  add128BitServiceUUIDs(isComplete: boolean, uuids: string[]): AdvertisingDataBuilder;
  add16BitServiceUUIDs(isComplete: boolean, uuids: string[]): AdvertisingDataBuilder;
  build(): Buffer;
}

export interface BleHost {
  BleManager: {
    create(transport: BleTransport, options: { staticRandomAddress?: string }, callback: (err: Error | null, manager: BleManager) => void): void;
  };
  AdvertisingDataBuilder: new () => AdvertisingDataBuilder;
  HciErrors: Record<string, number>;
  AttErrors: Record<string, number>;
  SmpErrors: Record<string, number>;
  IOCapabilities: Record<'DISPLAY_ONLY' | 'DISPLAY_YES_NO' | 'KEYBOARD_ONLY' | 'NO_INPUT_NO_OUTPUT' | 'KEYBOARD_DISPLAY', number>;
  AssociationModels: Record<'JUST_WORKS' | 'PASSKEY_ENTRY_INIT_INPUTS' | 'PASSKEY_ENTRY_RSP_INPUTS' | 'PASSKEY_ENTRY_BOTH_INPUTS' | 'NUMERIC_COMPARISON', number>;
}
