/**
 * What a virtual controller holds between HCI commands (Core v5.4 Vol 4
 * Part E 7.8): its addresses, advertising, scanning and initiating
 * parameters, its filter accept list. The air reads it; only the controller's
 * command handlers write it.
 */
import type { AdvertisingType, CommandParameters } from '../../protocols/ble/hci/command-params';
import type { LinkEnd, RadioMedium } from './link-types';
import type { RadioActivity } from './radio-activity';

export interface AdvertisingState {
  enabled: boolean;
  /** 0.625 ms units (7.8.5), ble-host's default 100–120 (62.5–75 ms). */
  intervalMin: number;
  intervalMax: number;
  type: (typeof AdvertisingType)[keyof typeof AdvertisingType];
  ownAddressType: number;
  directAddressType: number;
  directAddress: Uint8Array;
  channelMap: number;
  data: Uint8Array;
  scanResponse: Uint8Array;
}

export interface ScanState {
  enabled: boolean;
  active: boolean;
  /** 0.625 ms units (7.8.10). */
  interval: number;
  window: number;
  ownAddressType: number;
  filterPolicy: number;
  filterDuplicates: boolean;
  startedMs: number;
  /** address/type seen since the scan was enabled (duplicate filtering). */
  seen: Set<string>;
}

export interface InitiatingState {
  /** 0.625 ms units. */
  scanInterval: number;
  scanWindow: number;
  filterPolicy: number;
  peerAddressType: number;
  peerAddress: Uint8Array;
  ownAddressType: number;
  /** 1.25 ms units. */
  connectionInterval: number;
  latency: number;
  /** 10 ms units. */
  supervisionTimeout: number;
  startedMs: number;
}

export interface AddressEntry {
  type: number;
  address: Uint8Array;
}

export function defaultAdvertising(): AdvertisingState {
  return {
    enabled: false,
    intervalMin: 0x0800,
    intervalMax: 0x0800,
    type: 0,
    ownAddressType: 0,
    directAddressType: 0,
    directAddress: new Uint8Array(6),
    channelMap: 0x07,
    data: new Uint8Array(0),
    scanResponse: new Uint8Array(0),
  };
}

export function defaultScan(): ScanState {
  return { enabled: false, active: false, interval: 0x10, window: 0x10, ownAddressType: 0, filterPolicy: 0, filterDuplicates: false, startedMs: 0, seen: new Set() };
}

export function sameAddress(a: AddressEntry, b: AddressEntry): boolean {
  return a.type === b.type && a.address.length === b.address.length && a.address.every((x, i) => x === b.address[i]);
}

export type CommandOutcome = 'done' | 'unknown' | 'invalid';

/** The controller as its command handlers see it (commands.ts, le-commands.ts). */
export interface CommandTarget {
  readonly medium: RadioMedium;
  readonly publicAddress: Uint8Array;
  readonly aclBufferLength: number;
  readonly aclBufferCount: number;
  readonly links: Map<number, LinkEnd>;
  randomAddress: Uint8Array;
  adv: AdvertisingState;
  scan: ScanState;
  initiating: InitiatingState | undefined;
  acceptList: AddressEntry[];
  resetState(): void;
  complete(opcode: number, returnParameters: Uint8Array): void;
  completeStatus(opcode: number, status: number): void;
  commandStatus(opcode: number, status: number): void;
  readonly name: string;
  report(activity: RadioActivity): void;
  /** One HCI event packet (no H4 octet) to the host, now. */
  toHost(eventPacket: Uint8Array): void;
}

/** Every field name any command's parameters have (decoded parameters are read by name, typed loosely on purpose). */
type CommandFieldName = { [K in keyof typeof CommandParameters]: keyof (typeof CommandParameters)[K]['fields'] }[keyof typeof CommandParameters];
/** Decoded command parameters: a number for integer fields, octets for the others (layout.ts). */
export type CommandParams = Readonly<Record<CommandFieldName, number & Uint8Array>>;
