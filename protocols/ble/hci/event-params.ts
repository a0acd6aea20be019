/**
 * Parameters of the HCI events a controller sends ble-host (Core v5.4 Vol 4
 * Part E 7.7), outside LE Meta (le-events.ts). Fixed layouts in
 * EventParameters; Command Complete (its return parameters vary by command)
 * and Number Of Completed Packets (an array) have their own codecs.
 *
 * `completeEvent`, `statusEvent` and friends give whole event packets (no H4
 * type octet), ready for `encodeH4(H4PacketType.EVENT, …)`.
 */
import { ByteReader, ByteWriter, fail, ok } from '../bytes';
import type { Result } from '../bytes';
import { layout, lengthError } from '../layout';
import type { LayoutError } from '../layout';
import { HciEvent } from './events';
import { encodeEvent } from './packets';

/** Fixed-size event parameters, by event. */
export const EventParameters = {
  /** 7.7.5 */
  DISCONNECTION_COMPLETE: layout({ status: 'u8', connectionHandle: 'u16', reason: 'u8' }),
  /** 7.7.8 v1: Encryption_Enabled 0x00 off, 0x01 on (AES-CCM on LE). */
  ENCRYPTION_CHANGE: layout({ status: 'u8', connectionHandle: 'u16', encryptionEnabled: 'u8' }),
  /** 7.7.8 v2 */
  ENCRYPTION_CHANGE_V2: layout({ status: 'u8', connectionHandle: 'u16', encryptionEnabled: 'u8', encryptionKeySize: 'u8' }),
  /** 7.7.12 */
  READ_REMOTE_VERSION_INFORMATION_COMPLETE: layout({ status: 'u8', connectionHandle: 'u16', version: 'u8', companyIdentifier: 'u16', subversion: 'u16' }),
  /** 7.7.15: a pending command's first answer; its completion comes as its own event. */
  COMMAND_STATUS: layout({ status: 'u8', numHciCommandPackets: 'u8', commandOpcode: 'u16' }),
  /** 7.7.16 */
  HARDWARE_ERROR: layout({ hardwareCode: 'u8' }),
  /** 7.7.26 */
  DATA_BUFFER_OVERFLOW: layout({ linkType: 'u8' }),
  /** 7.7.39: encryption restarted with a new key on an already encrypted link. */
  ENCRYPTION_KEY_REFRESH_COMPLETE: layout({ status: 'u8', connectionHandle: 'u16' }),
} as const;

/** 7.7.14: the command it answers, how many more commands the controller takes now, the command's return parameters. */
export interface CommandComplete {
  numHciCommandPackets: number;
  commandOpcode: number;
  /** Starting with the status octet for every command ble-host sends (see ReturnParameters). */
  returnParameters: Uint8Array;
}

export function encodeCommandComplete(event: CommandComplete): Uint8Array {
  return new ByteWriter().u8(event.numHciCommandPackets).u16(event.commandOpcode).bytes(event.returnParameters).finish();
}

export function decodeCommandComplete(parameters: Uint8Array): Result<CommandComplete, LayoutError> {
  if (parameters.length < 3) return fail(lengthError(3, parameters.length, 'Command Complete'));
  const r = new ByteReader(parameters);
  return ok({ numHciCommandPackets: r.u8(), commandOpcode: r.u16(), returnParameters: r.rest() });
}

/** 7.7.19: buffers freed per connection since the last such event. */
export interface CompletedPackets {
  connectionHandle: number;
  numCompletedPackets: number;
}

/** Num_Handles, then each handle with its count (arrays interleaved, Vol 4 Part E 5.2; as ble-host reads them). */
export function encodeNumberOfCompletedPackets(entries: CompletedPackets[]): Uint8Array {
  const w = new ByteWriter().u8(entries.length);
  for (const e of entries) w.u16(e.connectionHandle).u16(e.numCompletedPackets);
  return w.finish();
}

export function decodeNumberOfCompletedPackets(parameters: Uint8Array): Result<CompletedPackets[], LayoutError> {
  const r = new ByteReader(parameters);
  const count = r.u8();
  const expected = 1 + 4 * count;
  if (parameters.length !== expected) return fail(lengthError(expected, parameters.length, 'Number Of Completed Packets'));
  const entries: CompletedPackets[] = [];
  for (let i = 0; i < count; i++) entries.push({ connectionHandle: r.u16(), numCompletedPackets: r.u16() });
  return ok(entries);
}

/** A whole Command Complete event packet answering `commandOpcode` (one more command allowed, as ble-host expects). */
export function completeEvent(commandOpcode: number, returnParameters: Uint8Array, numHciCommandPackets = 1): Uint8Array {
  return encodeEvent(HciEvent.COMMAND_COMPLETE, encodeCommandComplete({ numHciCommandPackets, commandOpcode, returnParameters }));
}

/** A whole Command Status event packet. */
export function statusEvent(commandOpcode: number, status: number, numHciCommandPackets = 1): Uint8Array {
  return encodeEvent(HciEvent.COMMAND_STATUS, EventParameters.COMMAND_STATUS.encode({ status, numHciCommandPackets, commandOpcode }));
}

/** A whole Disconnection Complete event packet. */
export function disconnectionCompleteEvent(connectionHandle: number, reason: number, status = 0): Uint8Array {
  return encodeEvent(HciEvent.DISCONNECTION_COMPLETE, EventParameters.DISCONNECTION_COMPLETE.encode({ status, connectionHandle, reason }));
}

/** A whole Encryption Change (v1) event packet. */
export function encryptionChangeEvent(connectionHandle: number, status: number, encryptionEnabled: 0 | 1): Uint8Array {
  return encodeEvent(HciEvent.ENCRYPTION_CHANGE, EventParameters.ENCRYPTION_CHANGE.encode({ status, connectionHandle, encryptionEnabled }));
}

/** A whole Number Of Completed Packets event packet. */
export function numberOfCompletedPacketsEvent(entries: CompletedPackets[]): Uint8Array {
  return encodeEvent(HciEvent.NUMBER_OF_COMPLETED_PACKETS, encodeNumberOfCompletedPackets(entries));
}
