/**
 * The part of ble-host 1.0.3's API (its docs/api/*.md) the BLE transport
 * uses, as a central: typed here because ble-host is plain JavaScript.
 */
import type { EventEmitter } from 'node:events';

export interface HciTransportForBleHost {
  write(packet: Buffer): void;
  on(event: 'data', listener: (packet: Buffer) => void): unknown;
}

export interface RemoteCharacteristic {
  uuid: string;
  properties: Record<string, boolean>;
  write(value: Buffer, callback?: (err: number) => void): void;
  writeCCCD(enableNotifications: boolean, enableIndications: boolean, callback?: (err: number) => void): void;
  on(event: 'change', listener: (value: Buffer, isIndication: boolean, confirm: () => void) => void): unknown;
}

export interface RemoteService {
  uuid: string;
  discoverCharacteristics(callback: (characteristics: RemoteCharacteristic[]) => void): void;
}

export interface CentralConnection extends EventEmitter {
  readonly peerAddress: string;
  readonly smp: EventEmitter & { readonly hasLtk: boolean; readonly isEncrypted: boolean; startEncryption(): boolean };
  readonly gatt: EventEmitter & {
    discoverServicesByUuid(uuid: string, numToFind: number, callback: (services: RemoteService[]) => void): void;
    exchangeMtu(callback?: (err: number) => void): void;
    readonly currentMtu: number;
  };
  disconnect(reason?: number): void;
}

export interface ScanReport {
  addressType: 'public' | 'random';
  address: string;
  rssi: number;
}

export interface CentralManager extends EventEmitter {
  startScan(options: Record<string, unknown>): EventEmitter & { stopScan(): void };
  connect(addressType: 'public' | 'random', address: string, parameters: Record<string, unknown>, callback: (conn: CentralConnection) => void): { cancel(callback?: () => void): void };
}

export interface BleHost {
  BleManager: {
    create(transport: HciTransportForBleHost, options: Record<string, unknown>, callback: (err: Error | null, manager: CentralManager) => void): void;
  };
}
