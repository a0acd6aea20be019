/**
 * HCI event codes (Core v5.4 Vol 4 Part E 7.7) and the LE Meta event's
 * subevent codes (7.7.65.x): those ble-host 1.0.3 handles
 * (lib/internal/adapter.js onData) and the few a controller model meets
 * next to them. Parameter layouts: event-params.ts and le-events.ts.
 *
 * ble-host crashes on HCI_Hardware_Error (its handler calls an undefined
 * callback): a controller model for it must never send HARDWARE_ERROR.
 */

/** Event code → Vol 4 Part E section. */
export const HciEvent = {
  /** 7.7.5 */
  DISCONNECTION_COMPLETE: 0x05,
  /** 7.7.8 (v1: without the key size) */
  ENCRYPTION_CHANGE: 0x08,
  /** 7.7.12 */
  READ_REMOTE_VERSION_INFORMATION_COMPLETE: 0x0c,
  /** 7.7.14 */
  COMMAND_COMPLETE: 0x0e,
  /** 7.7.15 */
  COMMAND_STATUS: 0x0f,
  /** 7.7.16: never to ble-host (see above). */
  HARDWARE_ERROR: 0x10,
  /** 7.7.19 */
  NUMBER_OF_COMPLETED_PACKETS: 0x13,
  /** 7.7.26 */
  DATA_BUFFER_OVERFLOW: 0x1a,
  /** 7.7.39 */
  ENCRYPTION_KEY_REFRESH_COMPLETE: 0x30,
  /** 7.7.65: the first parameter is a subevent code (LeSubevent). */
  LE_META: 0x3e,
  /** 7.7.8 (v2: with the key size; only when the host unmasks it, which ble-host does not) */
  ENCRYPTION_CHANGE_V2: 0x59,
} as const;

/** LE Meta subevent code → Vol 4 Part E section. */
export const LeSubevent = {
  /** 7.7.65.1 */
  CONNECTION_COMPLETE: 0x01,
  /** 7.7.65.2 */
  ADVERTISING_REPORT: 0x02,
  /** 7.7.65.3 */
  CONNECTION_UPDATE_COMPLETE: 0x03,
  /** 7.7.65.4 */
  READ_REMOTE_FEATURES_COMPLETE: 0x04,
  /** 7.7.65.5 */
  LONG_TERM_KEY_REQUEST: 0x05,
  /** 7.7.65.6 */
  REMOTE_CONNECTION_PARAMETER_REQUEST: 0x06,
  /** 7.7.65.7 */
  DATA_LENGTH_CHANGE: 0x07,
  /** 7.7.65.8 */
  READ_LOCAL_P256_PUBLIC_KEY_COMPLETE: 0x08,
  /** 7.7.65.9 */
  GENERATE_DHKEY_COMPLETE: 0x09,
  /** 7.7.65.10 */
  ENHANCED_CONNECTION_COMPLETE: 0x0a,
  /** 7.7.65.11 */
  DIRECTED_ADVERTISING_REPORT: 0x0b,
  /** 7.7.65.12 */
  PHY_UPDATE_COMPLETE: 0x0c,
  /** 7.7.65.13 */
  EXTENDED_ADVERTISING_REPORT: 0x0d,
  /** 7.7.65.18 */
  ADVERTISING_SET_TERMINATED: 0x12,
  /** 7.7.65.19 */
  SCAN_REQUEST_RECEIVED: 0x13,
  /** 7.7.65.20 */
  CHANNEL_SELECTION_ALGORITHM: 0x14,
} as const;

export type HciEventName = keyof typeof HciEvent;
export type LeSubeventName = keyof typeof LeSubevent;

export function hciEventName(code: number): HciEventName | undefined {
  return (Object.keys(HciEvent) as HciEventName[]).find((k) => HciEvent[k] === code);
}

export function leSubeventName(code: number): LeSubeventName | undefined {
  return (Object.keys(LeSubevent) as LeSubeventName[]).find((k) => LeSubevent[k] === code);
}
