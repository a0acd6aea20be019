/**
 * The HCI commands that drive the air (Core v5.4 Vol 4 Part E 7.1, 7.8):
 * advertising, scanning, initiating, encryption, connection update,
 * disconnect. State changes go to the controller; the air and the
 * connection (link.ts) act on them.
 */
import { advertisingPayload, AdvertisingType } from '../../protocols/ble/hci/command-params';
import { ReturnParameters } from '../../protocols/ble/hci/command-params';
import type { CommandName } from '../../protocols/ble/hci/opcodes';
import { LeEventParameters, leMetaEvent, Role } from '../../protocols/ble/hci/le-events';
import { LeSubevent } from '../../protocols/ble/hci/events';
import { HciStatus } from '../../protocols/ble/hci/status';
import type { CommandOutcome, CommandParams, CommandTarget as VirtualController } from './controller-state';



/** Reasons a host may give HCI_Disconnect (7.1.6). */
const DISCONNECT_REASONS = new Set([0x05, 0x13, 0x14, 0x15, 0x1a, 0x29, 0x3b]);
const ADVERTISING_TYPES = new Set<number>(Object.values(AdvertisingType));

export function handleLeCommand(c: VirtualController, name: CommandName, opcode: number, p: CommandParams): CommandOutcome {
  const ok = HciStatus.SUCCESS;
  const done = (code: number): CommandOutcome => {
    c.completeStatus(opcode, code);
    return 'done';
  };
  const pending = (code: number): CommandOutcome => {
    c.commandStatus(opcode, code);
    return 'done';
  };
  switch (name) {
    case 'LE_SET_ADVERTISING_PARAMETERS': {
      if (c.adv.enabled) return done(HciStatus.COMMAND_DISALLOWED);
      const { advertisingIntervalMin: min, advertisingIntervalMax: max, advertisingType: type } = p;
      // 7.8.5: intervals 0x0020–0x4000 (20 ms–10.24 s), min ≤ max, a defined type, a channel map with a channel.
      const directedHighDuty = type === AdvertisingType.ADV_DIRECT_IND_HIGH_DUTY;
      const badInterval = !directedHighDuty && (min < 0x20 || max > 0x4000 || min > max);
      if (badInterval || !ADVERTISING_TYPES.has(type) || (p.advertisingChannelMap & 7) === 0) return done(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
      Object.assign(c.adv, {
        intervalMin: min,
        intervalMax: max,
        type,
        ownAddressType: p.ownAddressType,
        directAddressType: p.peerAddressType,
        directAddress: p.peerAddress.slice(),
        channelMap: p.advertisingChannelMap & 7,
      });
      return done(ok);
    }
    case 'LE_SET_ADVERTISING_DATA':
    case 'LE_SET_SCAN_RESPONSE_DATA': {
      const payload = advertisingPayload(Uint8Array.of(p.dataLength, ...p.data));
      if (!payload.ok) return done(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
      if (name === 'LE_SET_ADVERTISING_DATA') c.adv.data = payload.value;
      else c.adv.scanResponse = payload.value;
      return done(ok);
    }
    case 'LE_SET_ADVERTISING_ENABLE': {
      const enable = p.advertisingEnable === 1;
      if (p.advertisingEnable > 1) return done(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
      // The Command Complete goes first: the air's first advertising event is scheduled after it.
      done(ok);
      if (enable !== c.adv.enabled) {
        c.adv.enabled = enable;
        c.medium.changed('advertising');
      }
      return 'done';
    }
    case 'LE_SET_SCAN_PARAMETERS': {
      if (c.scan.enabled) return done(HciStatus.COMMAND_DISALLOWED);
      // 7.8.10: interval and window 0x0004–0x4000, window ≤ interval.
      if (p.leScanType > 1 || p.leScanWindow < 4 || p.leScanInterval > 0x4000 || p.leScanWindow > p.leScanInterval) return done(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
      Object.assign(c.scan, { active: p.leScanType === 1, interval: p.leScanInterval, window: p.leScanWindow, ownAddressType: p.ownAddressType, filterPolicy: p.scanningFilterPolicy });
      return done(ok);
    }
    case 'LE_SET_SCAN_ENABLE': {
      const enable = p.leScanEnable === 1;
      if (p.leScanEnable > 1) return done(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
      done(ok);
      if (enable && !c.scan.enabled) {
        c.scan.seen = new Set();
        c.scan.startedMs = c.medium.clock.nowMs();
      }
      c.scan.filterDuplicates = p.filterDuplicates === 1;
      if (enable !== c.scan.enabled) {
        c.scan.enabled = enable;
        c.medium.changed('scanning');
        c.report({ device: c.name, kind: 'scanning', startMs: c.medium.clock.nowMs(), on: enable, rxDutyCycle: c.scan.window / c.scan.interval });
      }
      return 'done';
    }
    case 'LE_CREATE_CONNECTION': {
      if (c.initiating) return pending(HciStatus.COMMAND_DISALLOWED);
      if (p.leScanWindow > p.leScanInterval || p.connectionIntervalMin > p.connectionIntervalMax) return pending(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
      pending(ok);
      c.initiating = {
        scanInterval: p.leScanInterval,
        scanWindow: p.leScanWindow,
        filterPolicy: p.initiatorFilterPolicy,
        peerAddressType: p.peerAddressType,
        peerAddress: p.peerAddress.slice(),
        ownAddressType: p.ownAddressType,
        connectionInterval: p.connectionIntervalMin,
        latency: p.maxLatency,
        supervisionTimeout: p.supervisionTimeout,
        startedMs: c.medium.clock.nowMs(),
      };
      c.medium.changed('initiating');
      c.report({ device: c.name, kind: 'scanning', startMs: c.medium.clock.nowMs(), on: true, rxDutyCycle: p.leScanWindow / p.leScanInterval });
      return 'done';
    }
    case 'LE_CREATE_CONNECTION_CANCEL': {
      if (!c.initiating) return done(HciStatus.COMMAND_DISALLOWED);
      done(ok);
      c.initiating = undefined;
      c.medium.changed('initiating');
      c.report({ device: c.name, kind: 'scanning', startMs: c.medium.clock.nowMs(), on: false, rxDutyCycle: 0 });
      // 7.8.13: the cancelled attempt ends with LE Connection Complete, status Unknown Connection Identifier.
      c.toHost(leMetaEvent(LeSubevent.CONNECTION_COMPLETE, LeEventParameters.CONNECTION_COMPLETE.encode({
        status: HciStatus.UNKNOWN_CONNECTION_IDENTIFIER,
        connectionHandle: 0,
        role: Role.CENTRAL,
        peerAddressType: 0,
        peerAddress: new Uint8Array(6),
        connectionInterval: 0,
        peripheralLatency: 0,
        supervisionTimeout: 0,
        centralClockAccuracy: 0,
      })));
      return 'done';
    }
    case 'DISCONNECT': {
      const end = c.links.get(p.connectionHandle);
      if (!end) return pending(HciStatus.UNKNOWN_CONNECTION_IDENTIFIER);
      if (!DISCONNECT_REASONS.has(p.reason)) return pending(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
      pending(ok);
      end.link.terminate(end.role, p.reason);
      return 'done';
    }
    case 'LE_CONNECTION_UPDATE': {
      const end = c.links.get(p.connectionHandle);
      if (!end) return pending(HciStatus.UNKNOWN_CONNECTION_IDENTIFIER);
      // 7.8.18: interval 0x0006–0x0C80 (7.5 ms–4 s), timeout 0x000A–0x0C80 and longer than (1 + latency) × interval × 2.
      const { connectionIntervalMin: min, connectionIntervalMax: max, maxLatency, supervisionTimeout } = p;
      const valid = min >= 6 && max <= 0xc80 && min <= max && supervisionTimeout >= 0x0a && supervisionTimeout <= 0xc80 && supervisionTimeout * 10 > (1 + maxLatency) * max * 1.25 * 2;
      if (!valid) return pending(HciStatus.INVALID_HCI_COMMAND_PARAMETERS);
      pending(ok);
      end.link.updateParameters(end.role, min, maxLatency, supervisionTimeout);
      return 'done';
    }
    case 'LE_READ_REMOTE_FEATURES':
    case 'READ_REMOTE_VERSION_INFORMATION': {
      const end = c.links.get(p.connectionHandle);
      if (!end) return pending(HciStatus.UNKNOWN_CONNECTION_IDENTIFIER);
      pending(ok);
      if (name === 'LE_READ_REMOTE_FEATURES') end.link.readRemoteFeatures(end.role);
      else end.link.readRemoteVersion(end.role);
      return 'done';
    }
    case 'LE_ENABLE_ENCRYPTION': {
      const end = c.links.get(p.connectionHandle);
      if (!end) return pending(HciStatus.UNKNOWN_CONNECTION_IDENTIFIER);
      // 7.8.24: only the central starts encryption.
      if (end.role !== 'central') return pending(HciStatus.COMMAND_DISALLOWED);
      pending(ok);
      end.link.startEncryption(p.randomNumber.slice(), p.encryptedDiversifier, p.longTermKey.slice());
      return 'done';
    }
    case 'LE_LONG_TERM_KEY_REQUEST_REPLY':
    case 'LE_LONG_TERM_KEY_REQUEST_NEGATIVE_REPLY': {
      const end = c.links.get(p.connectionHandle);
      const code = !end ? HciStatus.UNKNOWN_CONNECTION_IDENTIFIER : end.role !== 'peripheral' ? HciStatus.COMMAND_DISALLOWED : HciStatus.SUCCESS;
      // The Command Complete is queued before the connection can raise Encryption Change (ble-host needs that order).
      c.complete(opcode, ReturnParameters.LE_LONG_TERM_KEY_REQUEST_REPLY.encode({ status: code, connectionHandle: p.connectionHandle }));
      if (end && code === HciStatus.SUCCESS) end.link.longTermKeyReply(name === 'LE_LONG_TERM_KEY_REQUEST_REPLY' ? p.longTermKey.slice() : undefined);
      return 'done';
    }
    default:
      return 'unknown';
  }
}
