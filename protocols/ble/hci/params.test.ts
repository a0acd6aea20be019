import { describe, expect, it } from 'vitest';
import { addressFromString, fromHex, toHex } from '../bytes';
import { advertisingPayload, CommandParameters, encodeAdvertisingPayload, ReturnParameters } from './command-params';
import {
  completeEvent,
  decodeCommandComplete,
  decodeNumberOfCompletedPackets,
  encryptionChangeEvent,
  EventParameters,
  numberOfCompletedPacketsEvent,
  statusEvent,
} from './event-params';
import { advertisingReportEvent, decodeAdvertisingReports, decodeLeMeta, LeEventParameters, leMetaEvent, Role } from './le-events';
import { HciOpcode } from './opcodes';
import { LeSubevent } from './events';

const address = addressFromString('C0:11:22:33:44:55');

describe('HCI command parameters (Core v5.4 Vol 4 Part E 7)', () => {
  it('read LE_Set_Advertising_Parameters field by field (7.8.5), as ble-host writes them', () => {
    // ble-host: u16 min, u16 max, u8 type, u8 own, u8 peer type, bdAddr, u8 map, u8 policy.
    const bytes = fromHex('a000 a000 00 01 00 000000000000 07 00');
    expect(CommandParameters.LE_SET_ADVERTISING_PARAMETERS.decode(bytes)).toEqual({
      ok: true,
      value: { advertisingIntervalMin: 0xa0, advertisingIntervalMax: 0xa0, advertisingType: 0, ownAddressType: 1, peerAddressType: 0, peerAddress: new Uint8Array(6), advertisingChannelMap: 7, advertisingFilterPolicy: 0 },
    });
    expect(CommandParameters.LE_SET_ADVERTISING_PARAMETERS.size).toBe(15);
  });

  it('refuse parameters of the wrong length with a typed error (answer: status 0x12)', () => {
    expect(CommandParameters.LE_CREATE_CONNECTION.size).toBe(25);
    expect(CommandParameters.LE_CREATE_CONNECTION.decode(new Uint8Array(24))).toMatchObject({ ok: false, error: { reason: 'length', expected: 25, got: 24 } });
    expect(CommandParameters.RESET.decode(Uint8Array.of(0))).toMatchObject({ ok: false, error: { reason: 'length', expected: 0 } });
  });

  it('carry the LTK of LE_Enable_Encryption and of the LTK reply LSB first, as given', () => {
    const ltk = fromHex('000102030405060708090a0b0c0d0e0f');
    const start = CommandParameters.LE_ENABLE_ENCRYPTION.encode({ connectionHandle: 0x40, randomNumber: new Uint8Array(8), encryptedDiversifier: 0, longTermKey: ltk });
    expect(start).toHaveLength(28);
    expect(toHex(start.slice(12))).toBe(toHex(ltk));
    expect(toHex(CommandParameters.LE_LONG_TERM_KEY_REQUEST_REPLY.encode({ connectionHandle: 0x40, longTermKey: ltk }))).toBe('4000' + toHex(ltk));
  });

  it('take the significant octets of advertising data and refuse a length above 31', () => {
    const payload = fromHex('020106');
    const params = encodeAdvertisingPayload(payload);
    expect(params).toHaveLength(32);
    expect(advertisingPayload(params)).toEqual({ ok: true, value: payload });
    const bad = params.slice();
    bad[0] = 32;
    expect(advertisingPayload(bad)).toMatchObject({ ok: false, error: { reason: 'length' } });
  });
});

describe('Command Complete and Command Status (7.7.14, 7.7.15)', () => {
  it('answer Reset with a Command Complete carrying the opcode and status', () => {
    expect(toHex(completeEvent(HciOpcode.RESET, Uint8Array.of(0)))).toBe('0e0401030c00');
    expect(toHex(completeEvent(HciOpcode.READ_BD_ADDR, ReturnParameters.READ_BD_ADDR.encode({ status: 0, bdAddr: address })))).toBe('0e0a01091000554433221' + '1c0');
    expect(decodeCommandComplete(fromHex('01030c00'))).toEqual({ ok: true, value: { numHciCommandPackets: 1, commandOpcode: 0x0c03, returnParameters: Uint8Array.of(0) } });
    expect(decodeCommandComplete(fromHex('0103'))).toMatchObject({ ok: false });
  });

  it('answer LE_Create_Connection with a Command Status', () => {
    expect(toHex(statusEvent(HciOpcode.LE_CREATE_CONNECTION, 0))).toBe('0f0400010d20');
  });
});

describe('connection events', () => {
  it('lay out Encryption Change and Number Of Completed Packets (7.7.8, 7.7.19)', () => {
    expect(toHex(encryptionChangeEvent(0x40, 0, 1))).toBe('080400400001');
    expect(toHex(numberOfCompletedPacketsEvent([{ connectionHandle: 0x40, numCompletedPackets: 2 }]))).toBe('1305' + '01' + '4000' + '0200');
    expect(decodeNumberOfCompletedPackets(fromHex('02 4000 0100 4100 0300'))).toEqual({
      ok: true,
      value: [{ connectionHandle: 0x40, numCompletedPackets: 1 }, { connectionHandle: 0x41, numCompletedPackets: 3 }],
    });
    expect(decodeNumberOfCompletedPackets(fromHex('02 4000 0100'))).toMatchObject({ ok: false, error: { expected: 9, got: 5 } });
    expect(EventParameters.DISCONNECTION_COMPLETE.decode(fromHex('00 4000 3d'))).toEqual({ ok: true, value: { status: 0, connectionHandle: 0x40, reason: 0x3d } });
  });

  it('lay out LE Connection Complete (7.7.65.1) and LE Long Term Key Request (7.7.65.5)', () => {
    const complete = LeEventParameters.CONNECTION_COMPLETE.encode({
      status: 0,
      connectionHandle: 0x40,
      role: Role.PERIPHERAL,
      peerAddressType: 1,
      peerAddress: address,
      connectionInterval: 24,
      peripheralLatency: 0,
      supervisionTimeout: 72,
      centralClockAccuracy: 0,
    });
    expect(toHex(leMetaEvent(LeSubevent.CONNECTION_COMPLETE, complete))).toBe('3e13' + '01' + '00' + '4000' + '01' + '01' + '5544332211c0' + '1800' + '0000' + '4800' + '00');
    const request = fromHex('05 4000 0000000000000000 0000');
    const meta = decodeLeMeta(request);
    expect(meta).toMatchObject({ ok: true, value: { subevent: LeSubevent.LONG_TERM_KEY_REQUEST } });
    if (meta.ok) expect(LeEventParameters.LONG_TERM_KEY_REQUEST.decode(meta.value.parameters)).toMatchObject({ ok: true, value: { connectionHandle: 0x40, encryptedDiversifier: 0 } });
  });

  it('lay out one advertising report per event, and refuse a truncated one (7.7.65.2)', () => {
    const report = { eventType: 4, addressType: 1, address, data: fromHex('0909737472617000'), rssi: -40 };
    const event = advertisingReportEvent(report);
    expect(toHex(event.slice(0, 4))).toBe('3e' + (event.length - 2).toString(16) + '0201');
    expect(decodeAdvertisingReports(event.slice(3))).toEqual({ ok: true, value: [report] });
    expect(decodeAdvertisingReports(event.slice(3, -1))).toMatchObject({ ok: false, error: { reason: 'length' } });
  });
});
