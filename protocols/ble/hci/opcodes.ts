/**
 * HCI command opcodes (Core v5.4 Vol 4 Part E 5.4.1): a 16-bit opcode made of
 * a 6-bit OGF (opcode group field, the high bits) and a 10-bit OCF.
 *
 * The table holds every command ble-host 1.0.3 sends (lib/internal/adapter.js)
 * with its section in Vol 4 Part E 7 and how a controller answers it: with a
 * Command Complete event (7.7.14) carrying return parameters, or with a
 * Command Status event (7.7.15) and later a completion event of its own.
 * ble-host stalls forever on a command that gets neither (it has no command
 * timeout), so a controller answers an unknown opcode with Command Complete,
 * status Unknown HCI Command (0x01) (Vol 4 Part E 4.5).
 *
 * Names are v5.4's (5.3 renamed White List → Filter Accept List and
 * LE_Start_Encryption → LE_Enable_Encryption); ble-host still uses the old ones.
 */

/** Vol 4 Part E 7.1–7.8: opcode group fields. */
export const Ogf = {
  LINK_CONTROL: 0x01,
  CONTROLLER_BASEBAND: 0x03,
  INFORMATIONAL: 0x04,
  STATUS: 0x05,
  LE_CONTROLLER: 0x08,
  VENDOR: 0x3f,
} as const;

export type CommandAnswer = 'complete' | 'status';

/** name → [OGF, OCF, Vol 4 Part E section, answered by]. */
const COMMANDS = {
  DISCONNECT: [Ogf.LINK_CONTROL, 0x0006, '7.1.6', 'status'],
  READ_REMOTE_VERSION_INFORMATION: [Ogf.LINK_CONTROL, 0x001d, '7.1.23', 'status'],
  SET_EVENT_MASK: [Ogf.CONTROLLER_BASEBAND, 0x0001, '7.3.1', 'complete'],
  RESET: [Ogf.CONTROLLER_BASEBAND, 0x0003, '7.3.2', 'complete'],
  READ_LOCAL_VERSION_INFORMATION: [Ogf.INFORMATIONAL, 0x0001, '7.4.1', 'complete'],
  READ_LOCAL_SUPPORTED_COMMANDS: [Ogf.INFORMATIONAL, 0x0002, '7.4.2', 'complete'],
  READ_LOCAL_SUPPORTED_FEATURES: [Ogf.INFORMATIONAL, 0x0003, '7.4.3', 'complete'],
  READ_BUFFER_SIZE: [Ogf.INFORMATIONAL, 0x0005, '7.4.5', 'complete'],
  READ_BD_ADDR: [Ogf.INFORMATIONAL, 0x0009, '7.4.6', 'complete'],
  READ_RSSI: [Ogf.STATUS, 0x0005, '7.5.4', 'complete'],
  LE_SET_EVENT_MASK: [Ogf.LE_CONTROLLER, 0x0001, '7.8.1', 'complete'],
  LE_READ_BUFFER_SIZE: [Ogf.LE_CONTROLLER, 0x0002, '7.8.2', 'complete'],
  LE_READ_LOCAL_SUPPORTED_FEATURES: [Ogf.LE_CONTROLLER, 0x0003, '7.8.3', 'complete'],
  LE_SET_RANDOM_ADDRESS: [Ogf.LE_CONTROLLER, 0x0005, '7.8.4', 'complete'],
  LE_SET_ADVERTISING_PARAMETERS: [Ogf.LE_CONTROLLER, 0x0006, '7.8.5', 'complete'],
  LE_READ_ADVERTISING_PHYSICAL_CHANNEL_TX_POWER: [Ogf.LE_CONTROLLER, 0x0007, '7.8.6', 'complete'],
  LE_SET_ADVERTISING_DATA: [Ogf.LE_CONTROLLER, 0x0008, '7.8.7', 'complete'],
  LE_SET_SCAN_RESPONSE_DATA: [Ogf.LE_CONTROLLER, 0x0009, '7.8.8', 'complete'],
  LE_SET_ADVERTISING_ENABLE: [Ogf.LE_CONTROLLER, 0x000a, '7.8.9', 'complete'],
  LE_SET_SCAN_PARAMETERS: [Ogf.LE_CONTROLLER, 0x000b, '7.8.10', 'complete'],
  LE_SET_SCAN_ENABLE: [Ogf.LE_CONTROLLER, 0x000c, '7.8.11', 'complete'],
  LE_CREATE_CONNECTION: [Ogf.LE_CONTROLLER, 0x000d, '7.8.12', 'status'],
  LE_CREATE_CONNECTION_CANCEL: [Ogf.LE_CONTROLLER, 0x000e, '7.8.13', 'complete'],
  LE_READ_FILTER_ACCEPT_LIST_SIZE: [Ogf.LE_CONTROLLER, 0x000f, '7.8.14', 'complete'],
  LE_CLEAR_FILTER_ACCEPT_LIST: [Ogf.LE_CONTROLLER, 0x0010, '7.8.15', 'complete'],
  LE_ADD_DEVICE_TO_FILTER_ACCEPT_LIST: [Ogf.LE_CONTROLLER, 0x0011, '7.8.16', 'complete'],
  LE_REMOVE_DEVICE_FROM_FILTER_ACCEPT_LIST: [Ogf.LE_CONTROLLER, 0x0012, '7.8.17', 'complete'],
  LE_CONNECTION_UPDATE: [Ogf.LE_CONTROLLER, 0x0013, '7.8.18', 'status'],
  LE_READ_REMOTE_FEATURES: [Ogf.LE_CONTROLLER, 0x0016, '7.8.21', 'status'],
  LE_ENCRYPT: [Ogf.LE_CONTROLLER, 0x0017, '7.8.22', 'complete'],
  LE_RAND: [Ogf.LE_CONTROLLER, 0x0018, '7.8.23', 'complete'],
  LE_ENABLE_ENCRYPTION: [Ogf.LE_CONTROLLER, 0x0019, '7.8.24', 'status'],
  LE_LONG_TERM_KEY_REQUEST_REPLY: [Ogf.LE_CONTROLLER, 0x001a, '7.8.25', 'complete'],
  LE_LONG_TERM_KEY_REQUEST_NEGATIVE_REPLY: [Ogf.LE_CONTROLLER, 0x001b, '7.8.26', 'complete'],
  LE_READ_SUPPORTED_STATES: [Ogf.LE_CONTROLLER, 0x001c, '7.8.27', 'complete'],
  LE_SET_DATA_LENGTH: [Ogf.LE_CONTROLLER, 0x0022, '7.8.33', 'complete'],
  LE_READ_SUGGESTED_DEFAULT_DATA_LENGTH: [Ogf.LE_CONTROLLER, 0x0023, '7.8.34', 'complete'],
  LE_WRITE_SUGGESTED_DEFAULT_DATA_LENGTH: [Ogf.LE_CONTROLLER, 0x0024, '7.8.35', 'complete'],
  LE_READ_LOCAL_P256_PUBLIC_KEY: [Ogf.LE_CONTROLLER, 0x0025, '7.8.36', 'status'],
  LE_GENERATE_DHKEY: [Ogf.LE_CONTROLLER, 0x0026, '7.8.37', 'status'],
  LE_READ_MAXIMUM_DATA_LENGTH: [Ogf.LE_CONTROLLER, 0x002f, '7.8.46', 'complete'],
  LE_SET_DEFAULT_PHY: [Ogf.LE_CONTROLLER, 0x0031, '7.8.48', 'complete'],
  LE_SET_PHY: [Ogf.LE_CONTROLLER, 0x0032, '7.8.49', 'status'],
  LE_SET_EXTENDED_ADVERTISING_PARAMETERS: [Ogf.LE_CONTROLLER, 0x0036, '7.8.53', 'complete'],
  LE_SET_EXTENDED_ADVERTISING_ENABLE: [Ogf.LE_CONTROLLER, 0x0039, '7.8.56', 'complete'],
  LE_SET_EXTENDED_SCAN_PARAMETERS: [Ogf.LE_CONTROLLER, 0x0041, '7.8.64', 'complete'],
  LE_SET_EXTENDED_SCAN_ENABLE: [Ogf.LE_CONTROLLER, 0x0042, '7.8.65', 'complete'],
  LE_EXTENDED_CREATE_CONNECTION: [Ogf.LE_CONTROLLER, 0x0043, '7.8.66', 'status'],
} as const satisfies Record<string, readonly [number, number, string, CommandAnswer]>;

export type CommandName = keyof typeof COMMANDS;

/** name → opcode, e.g. `HciOpcode.RESET === 0x0c03`. */
export const HciOpcode = Object.fromEntries(
  Object.entries(COMMANDS).map(([name, [ogf, ocf]]) => [name, opcode(ogf, ocf)]),
) as { readonly [K in CommandName]: number };

export interface CommandInfo {
  name: CommandName;
  opcode: number;
  ogf: number;
  ocf: number;
  /** Section of Core v5.4 Vol 4 Part E. */
  section: string;
  /** The event a controller answers with first: Command Complete or Command Status. */
  answer: CommandAnswer;
}

/** Opcode = OGF << 10 | OCF (Vol 4 Part E 5.4.1). Throws RangeError outside 6 + 10 bits. */
export function opcode(ogf: number, ocf: number): number {
  if (ogf < 0 || ogf > 0x3f || ocf < 0 || ocf > 0x3ff) throw new RangeError(`OGF 0x${ogf.toString(16)} / OCF 0x${ocf.toString(16)} out of range`);
  return (ogf << 10) | ocf;
}

export function splitOpcode(op: number): { ogf: number; ocf: number } {
  return { ogf: (op >> 10) & 0x3f, ocf: op & 0x3ff };
}

/** What the table knows of an opcode, or undefined for one ble-host never sends. */
export function commandInfo(op: number): CommandInfo | undefined {
  const name = BY_OPCODE.get(op);
  if (name === undefined) return undefined;
  const [ogf, ocf, section, answer] = COMMANDS[name];
  return { name, opcode: op, ogf, ocf, section, answer };
}

const BY_OPCODE = new Map<number, CommandName>(
  (Object.keys(COMMANDS) as CommandName[]).map((name) => [HciOpcode[name], name]),
);
