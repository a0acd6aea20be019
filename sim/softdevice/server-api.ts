/**
 * The parts of ble-host 1.0.3's GATT server and peripheral SMP API
 * (docs/api/gatt-server.md, security-manager.md, ble-manager.md) the
 * SoftDevice model uses beyond what sim/radio/ble-host-api.ts types.
 */
import type { BleManager, Connection, GattCharacteristicDefinition, GattServiceDefinition, Smp } from '../radio/ble-host-api';

export interface ServerCharacteristic extends Omit<GattCharacteristicDefinition, 'uuid'> {
  uuid: string | number;
  maxLength?: number;
  descriptors?: { uuid: string | number; value: string | Uint8Array; maxLength?: number; readPerm?: string; writePerm?: string; onAuthorizeWrite?: (connection: Connection, callback: (err: number) => void) => void }[];
  onAuthorizeRead?: (connection: Connection, callback: (err: number) => void) => void;
  onAuthorizeWrite?: (connection: Connection, callback: (err: number) => void) => void;
  onSubscriptionChange?: (connection: Connection, notification: boolean, indication: boolean, isWrite: boolean) => void;
  /** Attached by ble-host when the service is added with 'notify' / 'indicate'. */
  notify?: (connection: Connection, value: Uint8Array, sent?: () => void, complete?: () => void) => boolean;
  indicate?: (connection: Connection, value: Uint8Array, confirmed?: () => void) => boolean;
}

export interface ServerService extends Omit<GattServiceDefinition, 'uuid' | 'characteristics'> {
  uuid: string | number;
  characteristics: ServerCharacteristic[];
}

export interface PeripheralSmp extends Smp {
  readonly isBonded: boolean;
  sendPairingFailed(reason: number): void;
}

export interface PeripheralConnection extends Connection {
  readonly smp: PeripheralSmp;
  updateConnParams(parameters: { connIntervalMin: number; connIntervalMax: number; connLatency: number; supervisionTimeout: number }, callback?: (status: number) => void): void;
}

export interface PeripheralManager extends BleManager {
  readonly gattDb: BleManager['gattDb'] & { addServices(services: ServerService[]): void; removeService(service: ServerService): boolean };
  removeBond(identityAddressType: 'public' | 'random', identityAddress: string): void;
}

/** PairingFeatures as ble-host hands a Pairing Request to the responder. */
export interface PairingFeatures {
  ioCap: number;
  bondingFlags: number;
  mitm: boolean;
  sc: boolean;
  keypress: boolean;
  maxKeySize: number;
}
