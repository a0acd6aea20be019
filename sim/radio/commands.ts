/**
 * The HCI commands a virtual controller implements (Core v5.4 Vol 4 Part E
 * 7.1–7.8), each answered as its section says: Command Complete with its
 * return parameters, or Command Status and a completion event later (those
 * are in le-commands.ts). Returns 'unknown' for a command not implemented
 * here (the controller answers Unknown HCI Command, 0x01) and 'invalid' for
 * parameters that do not decode (0x12).
 */
import { CommandParameters, ReturnParameters } from '../../protocols/ble/hci/command-params';
import { commandInfo } from '../../protocols/ble/hci/opcodes';
import type { CommandName } from '../../protocols/ble/hci/opcodes';
import { HciStatus } from '../../protocols/ble/hci/status';
import { e as aes128 } from '../../protocols/ble/smp/toolbox';
import type { CommandOutcome, CommandParams, CommandTarget as VirtualController } from './controller-state';
import { handleLeCommand } from './le-commands';



/** 0x0D: Core 5.4 (Assigned Numbers, HCI version); company 0xFFFF: the identifier reserved for tests. */
const VERSION = { hciVersion: 0x0d, hciSubversion: 0x0001, lmpVersion: 0x0d, companyIdentifier: 0xffff, lmpSubversion: 0x0001 };
/** LMP features page 0 (Vol 2 Part C 3.3): bit 37 BR/EDR not supported, bit 38 LE supported (controller). */
const LMP_FEATURES = Uint8Array.of(0, 0, 0, 0, 0x60, 0, 0, 0);
/** LE features (Vol 6 Part B 4.6): bit 0 LE Encryption. */
export const LE_FEATURES = Uint8Array.of(0x01, 0, 0, 0, 0, 0, 0, 0);
/** LE states (7.8.27): every combination of the legacy states (bits 0–41). */
const LE_STATES = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0x03, 0, 0);
/** Filter accept list entries (ble-host's connect() needs at least one). */
export const ACCEPT_LIST_SIZE = 8;

export function handleCommand(c: VirtualController, opcode: number, parameters: Uint8Array): CommandOutcome {
  const name = commandInfo(opcode)?.name;
  if (name === undefined) return 'unknown';
  const layout = (CommandParameters as Partial<Record<CommandName, { decode(b: Uint8Array): { ok: boolean; value?: unknown } }>>)[name];
  if (layout === undefined) return 'unknown';
  const decoded = layout.decode(parameters);
  if (!decoded.ok) return 'invalid';
  const p = decoded.value as CommandParams;
  const ok = HciStatus.SUCCESS;
  switch (name) {
    case 'RESET':
      c.resetState();
      c.completeStatus(opcode, ok);
      return 'done';
    case 'SET_EVENT_MASK':
    case 'LE_SET_EVENT_MASK':
      c.completeStatus(opcode, ok);
      return 'done';
    case 'READ_LOCAL_VERSION_INFORMATION':
      c.complete(opcode, ReturnParameters.READ_LOCAL_VERSION_INFORMATION.encode({ status: ok, ...VERSION }));
      return 'done';
    case 'READ_LOCAL_SUPPORTED_FEATURES':
      c.complete(opcode, ReturnParameters.READ_LOCAL_SUPPORTED_FEATURES.encode({ status: ok, lmpFeatures: LMP_FEATURES }));
      return 'done';
    case 'READ_BUFFER_SIZE':
      c.complete(opcode, ReturnParameters.READ_BUFFER_SIZE.encode({
        status: ok,
        aclDataPacketLength: c.aclBufferLength,
        synchronousDataPacketLength: 0,
        totalNumAclDataPackets: c.aclBufferCount,
        totalNumSynchronousDataPackets: 0,
      }));
      return 'done';
    case 'READ_BD_ADDR':
      c.complete(opcode, ReturnParameters.READ_BD_ADDR.encode({ status: ok, bdAddr: c.publicAddress }));
      return 'done';
    case 'LE_READ_BUFFER_SIZE':
      c.complete(opcode, ReturnParameters.LE_READ_BUFFER_SIZE.encode({ status: ok, leAclDataPacketLength: c.aclBufferLength, totalNumLeAclDataPackets: c.aclBufferCount }));
      return 'done';
    case 'LE_READ_LOCAL_SUPPORTED_FEATURES':
      c.complete(opcode, ReturnParameters.LE_READ_LOCAL_SUPPORTED_FEATURES.encode({ status: ok, leFeatures: LE_FEATURES }));
      return 'done';
    case 'LE_READ_SUPPORTED_STATES':
      c.complete(opcode, ReturnParameters.LE_READ_SUPPORTED_STATES.encode({ status: ok, leStates: LE_STATES }));
      return 'done';
    case 'LE_SET_RANDOM_ADDRESS':
      // 7.8.4: not while advertising, scanning or initiating with it.
      if (c.adv.enabled || c.scan.enabled || c.initiating) return status(c, opcode, HciStatus.COMMAND_DISALLOWED);
      c.randomAddress = p.randomAddress.slice();
      return status(c, opcode, ok);
    case 'LE_READ_ADVERTISING_PHYSICAL_CHANNEL_TX_POWER':
      c.complete(opcode, ReturnParameters.LE_READ_ADVERTISING_PHYSICAL_CHANNEL_TX_POWER.encode({ status: ok, txPowerLevel: 0 }));
      return 'done';
    case 'LE_READ_FILTER_ACCEPT_LIST_SIZE':
      c.complete(opcode, ReturnParameters.LE_READ_FILTER_ACCEPT_LIST_SIZE.encode({ status: ok, filterAcceptListSize: ACCEPT_LIST_SIZE }));
      return 'done';
    case 'LE_CLEAR_FILTER_ACCEPT_LIST':
      c.acceptList = [];
      return status(c, opcode, ok);
    case 'LE_ADD_DEVICE_TO_FILTER_ACCEPT_LIST':
      if (c.acceptList.length >= ACCEPT_LIST_SIZE) return status(c, opcode, HciStatus.MEMORY_CAPACITY_EXCEEDED);
      c.acceptList.push({ type: p.addressType, address: p.address.slice() });
      return status(c, opcode, ok);
    case 'LE_REMOVE_DEVICE_FROM_FILTER_ACCEPT_LIST':
      c.acceptList = c.acceptList.filter((a) => !(a.type === p.addressType && a.address.every((x, i) => x === p.address[i])));
      return status(c, opcode, ok);
    case 'LE_ENCRYPT':
      c.complete(opcode, ReturnParameters.LE_ENCRYPT.encode({ status: ok, encryptedData: aes128(p.key, p.plaintextData) }));
      return 'done';
    case 'LE_RAND': {
      const randomNumber = Uint8Array.from({ length: 8 }, () => c.medium.random.int(0, 255));
      c.complete(opcode, ReturnParameters.LE_RAND.encode({ status: ok, randomNumber }));
      return 'done';
    }
    case 'READ_RSSI': {
      const end = c.links.get(p.connectionHandle);
      const rssi = end ? end.link.rssi(end.role) : 0;
      c.complete(opcode, ReturnParameters.READ_RSSI.encode({ status: end ? ok : HciStatus.UNKNOWN_CONNECTION_IDENTIFIER, connectionHandle: p.connectionHandle, rssi }));
      return 'done';
    }
    default:
      return handleLeCommand(c, name, opcode, p);
  }
}

function status(c: VirtualController, opcode: number, code: number): CommandOutcome {
  c.completeStatus(opcode, code);
  return 'done';
}
