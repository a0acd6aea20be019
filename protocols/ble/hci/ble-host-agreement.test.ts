// The HCI tables against an independent implementation: the ble-host 1.0.3
// package the virtual radio will serve (lib/internal/adapter.js, lib/hci-errors.js).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { HciEvent, LeSubevent } from './events';
import { HciOpcode } from './opcodes';
import type { CommandName } from './opcodes';
import { HciStatus, hciStatusName } from './status';

const require = createRequire(import.meta.url);
const adapterSource = readFileSync(require.resolve('ble-host/lib/internal/adapter.js'), 'utf8');
const bleHostErrors = require('ble-host/lib/hci-errors.js') as Record<string, unknown>;

const OGF: Record<string, number> = { OGF_LINK_CTL: 0x01, OGF_HOST_CTL: 0x03, OGF_INFO_PARAM: 0x04, OGF_STATUS_PARAM: 0x05, OGF_LE_CTL: 0x08 };
const bleHostCommands = Object.fromEntries(
  [...adapterSource.matchAll(/const (\w+)_CMD = (0x[0-9a-f]+) \| \((OGF_\w+) << 10\);/gi)].map((m) => [m[1]!, Number(m[2]) | (OGF[m[3]!]! << 10)]),
);

// ble-host's names that v5.4 renamed.
const RENAMED: Record<string, CommandName> = {
  LE_READ_WHITE_LIST_SIZE: 'LE_READ_FILTER_ACCEPT_LIST_SIZE',
  LE_CLEAR_WHITE_LIST: 'LE_CLEAR_FILTER_ACCEPT_LIST',
  LE_ADD_DEVICE_TO_WHITE_LIST: 'LE_ADD_DEVICE_TO_FILTER_ACCEPT_LIST',
  LE_REMOVE_DEVICE_FROM_WHITE_LIST: 'LE_REMOVE_DEVICE_FROM_FILTER_ACCEPT_LIST',
  LE_START_ENCRYPTION: 'LE_ENABLE_ENCRYPTION',
  LE_READ_REMOTE_USED_FEATURES: 'LE_READ_REMOTE_FEATURES',
  LE_READ_ADVERTISING_CHANNEL_TX_POWER: 'LE_READ_ADVERTISING_PHYSICAL_CHANNEL_TX_POWER',
};

describe('the HCI tables agree with ble-host 1.0.3', () => {
  it('has every command ble-host sends, with the same opcode', () => {
    expect(Object.keys(bleHostCommands).length).toBeGreaterThan(40);
    for (const [name, op] of Object.entries(bleHostCommands)) {
      const ours = RENAMED[name] ?? (name as CommandName);
      expect(HciOpcode[ours], name).toBe(op);
    }
  });

  it('has every event and LE subevent ble-host handles, with the same code', () => {
    const events = Object.fromEntries([...adapterSource.matchAll(/const EVT_(\w+) = (0x[0-9a-f]+);/gi)].map((m) => [m[1]!, Number(m[2])]));
    const ours: Record<string, number> = {
      DISCONNECTION_COMPLETE: HciEvent.DISCONNECTION_COMPLETE,
      ENCRYPTION_CHANGE: HciEvent.ENCRYPTION_CHANGE,
      READ_REMOTE_VERSION_INFORMATION_COMPLETE: HciEvent.READ_REMOTE_VERSION_INFORMATION_COMPLETE,
      CMD_COMPLETE: HciEvent.COMMAND_COMPLETE,
      CMD_STATUS: HciEvent.COMMAND_STATUS,
      HARDWARE_ERROR: HciEvent.HARDWARE_ERROR,
      NUMBER_OF_COMPLETE_PACKETS: HciEvent.NUMBER_OF_COMPLETED_PACKETS,
      ENCRYPTION_KEY_REFRESH_COMPLETE: HciEvent.ENCRYPTION_KEY_REFRESH_COMPLETE,
      LE_META: HciEvent.LE_META,
      LE_CONNECTION_COMPLETE: LeSubevent.CONNECTION_COMPLETE,
      LE_ADVERTISING_REPORT: LeSubevent.ADVERTISING_REPORT,
      LE_CONNECTION_UPDATE_COMPLETE: LeSubevent.CONNECTION_UPDATE_COMPLETE,
      LE_READ_REMOTE_USED_FEATURES_COMPLETE: LeSubevent.READ_REMOTE_FEATURES_COMPLETE,
      LE_LONG_TERM_KEY_REQUEST: LeSubevent.LONG_TERM_KEY_REQUEST,
      LE_READ_LOCAL_P256_PUBLIC_KEY_COMPLETE: LeSubevent.READ_LOCAL_P256_PUBLIC_KEY_COMPLETE,
      LE_GENERATE_DHKEY_COMPLETE: LeSubevent.GENERATE_DHKEY_COMPLETE,
      LE_ENHANCED_CONNECTION_COMPLETE: LeSubevent.ENHANCED_CONNECTION_COMPLETE,
      LE_PHY_UPDATE_COMPLETE: LeSubevent.PHY_UPDATE_COMPLETE,
      LE_EXTENDED_ADVERTISING_REPORT: LeSubevent.EXTENDED_ADVERTISING_REPORT,
    };
    expect(events).toEqual(ours);
  });

  it('gives every error code ble-host names the same value (names may differ)', () => {
    const codes = Object.entries(bleHostErrors).filter((e): e is [string, number] => typeof e[1] === 'number');
    expect(codes.length).toBeGreaterThan(30);
    for (const [name, code] of codes) expect(hciStatusName(code), `${name} 0x${code.toString(16)}`).toBeDefined();
    expect(HciStatus.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE).toBe(bleHostErrors.CONNECTION_TERMINATED_DUE_TO_MIC_FAILURE);
    expect(HciStatus.PIN_OR_KEY_MISSING).toBe(bleHostErrors.PIN_OR_KEY_MISSING);
    expect(HciStatus.REMOTE_USER_TERMINATED_CONNECTION).toBe(bleHostErrors.REMOTE_USER_TERMINATED_CONNECTION);
  });

  it('leaves the reserved error codes unnamed', () => {
    for (const reserved of [0x2b, 0x31, 0x33, 0x3f, 0x48]) expect(hciStatusName(reserved)).toBeUndefined();
  });
});
