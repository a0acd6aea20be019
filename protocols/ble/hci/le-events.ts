/**
 * LE Meta event (Core v5.4 Vol 4 Part E 7.7.65): Subevent_Code, then the
 * subevent's parameters. Fixed layouts in LeEventParameters; the advertising
 * report (an array of reports) has its own codec.
 *
 * What ble-host 1.0.3 requires of them (its lib/internal/adapter.js): a
 * peripheral's Connection Complete (role 1) may only follow the Command
 * Complete of LE_Set_Advertising_Enable; with active scanning ble-host
 * reports a device only once a SCAN_RSP report arrives for it, and it reads
 * one report per event reliably.
 */
import { ByteReader, ByteWriter, fail, ok } from '../bytes';
import type { Result } from '../bytes';
import { layout, lengthError } from '../layout';
import type { LayoutError } from '../layout';
import { HciEvent, LeSubevent } from './events';
import { encodeEvent } from './packets';

/** Fixed-size subevent parameters (after the subevent code), by subevent. */
export const LeEventParameters = {
  /** 7.7.65.1. Intervals in 1.25 ms, supervision timeout in 10 ms. */
  CONNECTION_COMPLETE: layout({
    status: 'u8',
    connectionHandle: 'u16',
    role: 'u8',
    peerAddressType: 'u8',
    peerAddress: 6,
    connectionInterval: 'u16',
    peripheralLatency: 'u16',
    supervisionTimeout: 'u16',
    centralClockAccuracy: 'u8',
  }),
  /** 7.7.65.3 */
  CONNECTION_UPDATE_COMPLETE: layout({ status: 'u8', connectionHandle: 'u16', connectionInterval: 'u16', peripheralLatency: 'u16', supervisionTimeout: 'u16' }),
  /** 7.7.65.4 */
  READ_REMOTE_FEATURES_COMPLETE: layout({ status: 'u8', connectionHandle: 'u16', leFeatures: 8 }),
  /** 7.7.65.5: to the peripheral's host when the central starts encryption; Rand and EDIV are zero for an SC key. */
  LONG_TERM_KEY_REQUEST: layout({ connectionHandle: 'u16', randomNumber: 8, encryptedDiversifier: 'u16' }),
  /** 7.7.65.7 */
  DATA_LENGTH_CHANGE: layout({ connectionHandle: 'u16', maxTxOctets: 'u16', maxTxTime: 'u16', maxRxOctets: 'u16', maxRxTime: 'u16' }),
  /** 7.7.65.8: X then Y, each LSB first. */
  READ_LOCAL_P256_PUBLIC_KEY_COMPLETE: layout({ status: 'u8', keyXCoordinate: 32, keyYCoordinate: 32 }),
  /** 7.7.65.9 */
  GENERATE_DHKEY_COMPLETE: layout({ status: 'u8', dhKey: 32 }),
  /** 7.7.65.10 */
  ENHANCED_CONNECTION_COMPLETE: layout({
    status: 'u8',
    connectionHandle: 'u16',
    role: 'u8',
    peerAddressType: 'u8',
    peerAddress: 6,
    localResolvablePrivateAddress: 6,
    peerResolvablePrivateAddress: 6,
    connectionInterval: 'u16',
    peripheralLatency: 'u16',
    supervisionTimeout: 'u16',
    centralClockAccuracy: 'u8',
  }),
  /** 7.7.65.12 */
  PHY_UPDATE_COMPLETE: layout({ status: 'u8', connectionHandle: 'u16', txPhy: 'u8', rxPhy: 'u8' }),
} as const;

/** Role of Connection Complete (7.7.65.1). */
export const Role = {
  CENTRAL: 0x00,
  PERIPHERAL: 0x01,
} as const;

/** Event_Type of an advertising report (7.7.65.2). */
export const AdvertisingReportType = {
  ADV_IND: 0x00,
  ADV_DIRECT_IND: 0x01,
  ADV_SCAN_IND: 0x02,
  ADV_NONCONN_IND: 0x03,
  SCAN_RSP: 0x04,
} as const;

/** RSSI value meaning "not available" (7.7.65.2). */
export const RSSI_NOT_AVAILABLE = 127;

export interface AdvertisingReport {
  eventType: number;
  addressType: number;
  /** LSB first. */
  address: Uint8Array;
  data: Uint8Array;
  /** dBm, −127…+20, or 127 when not available. */
  rssi: number;
}

export interface LeMetaEvent {
  subevent: number;
  parameters: Uint8Array;
}

/** A whole LE Meta event packet (no H4 type octet). */
export function leMetaEvent(subevent: number, parameters: Uint8Array): Uint8Array {
  return encodeEvent(HciEvent.LE_META, new ByteWriter().u8(subevent).bytes(parameters).finish());
}

/** An LE Meta event's parameters → its subevent code and the rest. */
export function decodeLeMeta(eventParameters: Uint8Array): Result<LeMetaEvent, LayoutError> {
  if (eventParameters.length < 1) return fail(lengthError(1, 0, 'LE Meta event'));
  return ok({ subevent: eventParameters[0] ?? 0, parameters: eventParameters.slice(1) });
}

/** 7.7.65.2 parameters: Num_Reports, then each report's fields in turn. Throws RangeError on data over 31 octets. */
export function encodeAdvertisingReports(reports: AdvertisingReport[]): Uint8Array {
  const w = new ByteWriter().u8(reports.length);
  for (const r of reports) {
    if (r.data.length > 31) throw new RangeError(`advertising report data is ${r.data.length} octets, at most 31`);
    w.u8(r.eventType).u8(r.addressType).bytes(r.address, 6).u8(r.data.length).bytes(r.data).i8(r.rssi);
  }
  return w.finish();
}

export function decodeAdvertisingReports(parameters: Uint8Array): Result<AdvertisingReport[], LayoutError> {
  const r = new ByteReader(parameters);
  const count = r.u8();
  const reports: AdvertisingReport[] = [];
  for (let i = 0; i < count && !r.overrun; i++) {
    const eventType = r.u8();
    const addressType = r.u8();
    const address = r.take(6);
    const data = r.take(r.u8());
    const rssi = r.i8();
    reports.push({ eventType, addressType, address, data, rssi });
  }
  if (r.overrun || r.remaining !== 0) return fail(lengthError(r.offset, parameters.length, 'LE Advertising Report'));
  return ok(reports);
}

/** A whole LE Advertising Report event packet with one report (as ble-host reads best). */
export function advertisingReportEvent(report: AdvertisingReport): Uint8Array {
  return leMetaEvent(LeSubevent.ADVERTISING_REPORT, encodeAdvertisingReports([report]));
}
