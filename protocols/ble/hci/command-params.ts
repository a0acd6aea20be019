/**
 * Parameters of the HCI commands ble-host sends (what a controller decodes)
 * and the return parameters of their Command Complete events (what it
 * answers), field for field as Core v5.4 Vol 4 Part E 7 lists them. Every
 * layout is fixed-size; section numbers are in opcodes.ts.
 *
 *   const p = CommandParameters.LE_SET_ADVERTISING_PARAMETERS.decode(command.parameters);
 *   ReturnParameters.READ_BD_ADDR.encode({ status: 0, bdAddr })
 *
 * A command whose parameters do not decode is answered with status
 * INVALID_HCI_COMMAND_PARAMETERS (0x12) (Vol 4 Part E 4.5).
 */
import { fail, ok } from '../bytes';
import type { Result } from '../bytes';
import { layout, lengthError } from '../layout';
import type { LayoutError } from '../layout';
import type { CommandName } from './opcodes';

const empty = layout({});
const handleOnly = layout({ connectionHandle: 'u16' });
const statusOnly = layout({ status: 'u8' });
const statusAndHandle = layout({ status: 'u8', connectionHandle: 'u16' });
/** 7.8.7 / 7.8.8: a length, then 31 octets of which the first `length` count. */
const advertisingData = layout({ dataLength: 'u8', data: 31 });
const addressEntry = layout({ addressType: 'u8', address: 6 });

/** Command parameters, by command (Vol 4 Part E 7.x "Command parameters"). */
export const CommandParameters = {
  DISCONNECT: layout({ connectionHandle: 'u16', reason: 'u8' }),
  READ_REMOTE_VERSION_INFORMATION: handleOnly,
  SET_EVENT_MASK: layout({ eventMask: 8 }),
  RESET: empty,
  READ_LOCAL_VERSION_INFORMATION: empty,
  READ_LOCAL_SUPPORTED_COMMANDS: empty,
  READ_LOCAL_SUPPORTED_FEATURES: empty,
  READ_BUFFER_SIZE: empty,
  READ_BD_ADDR: empty,
  READ_RSSI: handleOnly,
  LE_SET_EVENT_MASK: layout({ leEventMask: 8 }),
  LE_READ_BUFFER_SIZE: empty,
  LE_READ_LOCAL_SUPPORTED_FEATURES: empty,
  LE_SET_RANDOM_ADDRESS: layout({ randomAddress: 6 }),
  LE_SET_ADVERTISING_PARAMETERS: layout({
    advertisingIntervalMin: 'u16',
    advertisingIntervalMax: 'u16',
    advertisingType: 'u8',
    ownAddressType: 'u8',
    peerAddressType: 'u8',
    peerAddress: 6,
    advertisingChannelMap: 'u8',
    advertisingFilterPolicy: 'u8',
  }),
  LE_READ_ADVERTISING_PHYSICAL_CHANNEL_TX_POWER: empty,
  LE_SET_ADVERTISING_DATA: advertisingData,
  LE_SET_SCAN_RESPONSE_DATA: advertisingData,
  LE_SET_ADVERTISING_ENABLE: layout({ advertisingEnable: 'u8' }),
  LE_SET_SCAN_PARAMETERS: layout({ leScanType: 'u8', leScanInterval: 'u16', leScanWindow: 'u16', ownAddressType: 'u8', scanningFilterPolicy: 'u8' }),
  LE_SET_SCAN_ENABLE: layout({ leScanEnable: 'u8', filterDuplicates: 'u8' }),
  LE_CREATE_CONNECTION: layout({
    leScanInterval: 'u16',
    leScanWindow: 'u16',
    initiatorFilterPolicy: 'u8',
    peerAddressType: 'u8',
    peerAddress: 6,
    ownAddressType: 'u8',
    connectionIntervalMin: 'u16',
    connectionIntervalMax: 'u16',
    maxLatency: 'u16',
    supervisionTimeout: 'u16',
    minCeLength: 'u16',
    maxCeLength: 'u16',
  }),
  LE_CREATE_CONNECTION_CANCEL: empty,
  LE_READ_FILTER_ACCEPT_LIST_SIZE: empty,
  LE_CLEAR_FILTER_ACCEPT_LIST: empty,
  LE_ADD_DEVICE_TO_FILTER_ACCEPT_LIST: addressEntry,
  LE_REMOVE_DEVICE_FROM_FILTER_ACCEPT_LIST: addressEntry,
  LE_CONNECTION_UPDATE: layout({
    connectionHandle: 'u16',
    connectionIntervalMin: 'u16',
    connectionIntervalMax: 'u16',
    maxLatency: 'u16',
    supervisionTimeout: 'u16',
    minCeLength: 'u16',
    maxCeLength: 'u16',
  }),
  LE_READ_REMOTE_FEATURES: handleOnly,
  LE_ENCRYPT: layout({ key: 16, plaintextData: 16 }),
  LE_RAND: empty,
  /** The central's LE_Start_Encryption: Rand and EDIV identify a legacy LTK; both zero for an SC key. */
  LE_ENABLE_ENCRYPTION: layout({ connectionHandle: 'u16', randomNumber: 8, encryptedDiversifier: 'u16', longTermKey: 16 }),
  LE_LONG_TERM_KEY_REQUEST_REPLY: layout({ connectionHandle: 'u16', longTermKey: 16 }),
  LE_LONG_TERM_KEY_REQUEST_NEGATIVE_REPLY: handleOnly,
  LE_READ_SUPPORTED_STATES: empty,
  LE_SET_DATA_LENGTH: layout({ connectionHandle: 'u16', txOctets: 'u16', txTime: 'u16' }),
  LE_READ_SUGGESTED_DEFAULT_DATA_LENGTH: empty,
  LE_WRITE_SUGGESTED_DEFAULT_DATA_LENGTH: layout({ suggestedMaxTxOctets: 'u16', suggestedMaxTxTime: 'u16' }),
  LE_READ_LOCAL_P256_PUBLIC_KEY: empty,
  LE_GENERATE_DHKEY: layout({ keyXCoordinate: 32, keyYCoordinate: 32 }),
  LE_READ_MAXIMUM_DATA_LENGTH: empty,
  LE_SET_DEFAULT_PHY: layout({ allPhys: 'u8', txPhys: 'u8', rxPhys: 'u8' }),
  LE_SET_PHY: layout({ connectionHandle: 'u16', allPhys: 'u8', txPhys: 'u8', rxPhys: 'u8', phyOptions: 'u16' }),
} as const satisfies Partial<Record<CommandName, unknown>>;

/** Return parameters of Command Complete, by command; a command not listed returns its status alone. */
export const ReturnParameters = {
  READ_LOCAL_VERSION_INFORMATION: layout({ status: 'u8', hciVersion: 'u8', hciSubversion: 'u16', lmpVersion: 'u8', companyIdentifier: 'u16', lmpSubversion: 'u16' }),
  READ_LOCAL_SUPPORTED_COMMANDS: layout({ status: 'u8', supportedCommands: 64 }),
  READ_LOCAL_SUPPORTED_FEATURES: layout({ status: 'u8', lmpFeatures: 8 }),
  READ_BUFFER_SIZE: layout({
    status: 'u8',
    aclDataPacketLength: 'u16',
    synchronousDataPacketLength: 'u8',
    totalNumAclDataPackets: 'u16',
    totalNumSynchronousDataPackets: 'u16',
  }),
  READ_BD_ADDR: layout({ status: 'u8', bdAddr: 6 }),
  READ_RSSI: layout({ status: 'u8', connectionHandle: 'u16', rssi: 'i8' }),
  /** A zero packet length means "use READ_BUFFER_SIZE's shared buffers" (7.8.2); ble-host follows that. */
  LE_READ_BUFFER_SIZE: layout({ status: 'u8', leAclDataPacketLength: 'u16', totalNumLeAclDataPackets: 'u8' }),
  LE_READ_LOCAL_SUPPORTED_FEATURES: layout({ status: 'u8', leFeatures: 8 }),
  LE_READ_ADVERTISING_PHYSICAL_CHANNEL_TX_POWER: layout({ status: 'u8', txPowerLevel: 'i8' }),
  /** ble-host's connect() throws later if this is 0. */
  LE_READ_FILTER_ACCEPT_LIST_SIZE: layout({ status: 'u8', filterAcceptListSize: 'u8' }),
  LE_ENCRYPT: layout({ status: 'u8', encryptedData: 16 }),
  LE_RAND: layout({ status: 'u8', randomNumber: 8 }),
  LE_LONG_TERM_KEY_REQUEST_REPLY: statusAndHandle,
  LE_LONG_TERM_KEY_REQUEST_NEGATIVE_REPLY: statusAndHandle,
  LE_READ_SUPPORTED_STATES: layout({ status: 'u8', leStates: 8 }),
  LE_SET_DATA_LENGTH: statusAndHandle,
  LE_READ_SUGGESTED_DEFAULT_DATA_LENGTH: layout({ status: 'u8', suggestedMaxTxOctets: 'u16', suggestedMaxTxTime: 'u16' }),
  LE_READ_MAXIMUM_DATA_LENGTH: layout({
    status: 'u8',
    supportedMaxTxOctets: 'u16',
    supportedMaxTxTime: 'u16',
    supportedMaxRxOctets: 'u16',
    supportedMaxRxTime: 'u16',
  }),
  LE_SET_EXTENDED_ADVERTISING_PARAMETERS: layout({ status: 'u8', selectedTxPower: 'i8' }),
} as const satisfies Partial<Record<CommandName, unknown>>;

/** The return parameters of every command not in ReturnParameters. */
export const StatusOnlyReturn = statusOnly;

/** Largest advertising or scan response payload for legacy advertising (Vol 4 Part E 7.8.7). */
export const MAX_LEGACY_ADVERTISING_DATA = 31;

/**
 * The significant octets of LE_Set_Advertising_Data / LE_Set_Scan_Response_Data
 * parameters, or why they are invalid (a length above 31 → INVALID_HCI_COMMAND_PARAMETERS).
 */
export function advertisingPayload(parameters: Uint8Array): Result<Uint8Array, LayoutError> {
  const decoded = advertisingData.decode(parameters);
  if (!decoded.ok) return decoded;
  const { dataLength, data } = decoded.value;
  if (dataLength > MAX_LEGACY_ADVERTISING_DATA) return fail(lengthError(MAX_LEGACY_ADVERTISING_DATA, dataLength, 'Advertising_Data_Length'));
  return ok(data.slice(0, dataLength));
}

/** LE_Set_Advertising_Data / LE_Set_Scan_Response_Data parameters for a payload (zero-padded to 31, as ble-host sends them). */
export function encodeAdvertisingPayload(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_LEGACY_ADVERTISING_DATA) throw new RangeError(`advertising data is ${payload.length} octets, at most 31`);
  const data = new Uint8Array(MAX_LEGACY_ADVERTISING_DATA);
  data.set(payload);
  return advertisingData.encode({ dataLength: payload.length, data });
}

/** Advertising_Type (Vol 4 Part E 7.8.5). */
export const AdvertisingType = {
  ADV_IND: 0x00,
  ADV_DIRECT_IND_HIGH_DUTY: 0x01,
  ADV_SCAN_IND: 0x02,
  ADV_NONCONN_IND: 0x03,
  ADV_DIRECT_IND_LOW_DUTY: 0x04,
} as const;

/** Own_Address_Type (7.8.5, 7.8.10, 7.8.12). */
export const OwnAddressType = {
  PUBLIC: 0x00,
  RANDOM: 0x01,
  RPA_OR_PUBLIC: 0x02,
  RPA_OR_RANDOM: 0x03,
} as const;

/** Peer_Address_Type / Address_Type of commands (7.8.5, 7.8.12, 7.8.16). */
export const PeerAddressType = {
  PUBLIC: 0x00,
  RANDOM: 0x01,
} as const;

/** LE_Scan_Type (7.8.10). */
export const LeScanType = {
  PASSIVE: 0x00,
  ACTIVE: 0x01,
} as const;
