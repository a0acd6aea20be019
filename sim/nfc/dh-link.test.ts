import { describe, expect, it } from 'vitest';
import { I2CBus } from '../board/buses/i2c-bus';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { ConfigParam, DH_NFCEE_ID, RfInterface, RfProtocol, RfTechMode, Status } from '../../protocols/nci/identifiers';
import { encodePacket, segmentMessage } from '../../protocols/nci/packet';
import * as core from '../../protocols/nci/core';
import * as rf from '../../protocols/nci/rf';
import { decodeIsoDepBlock, checkCrcA } from '../../protocols/iso14443/iso-dep';
import { VirtualField } from './field';
import { NciController, PN7150_I2C_ADDRESS } from './nci-controller';
import { runFor, settle } from './settle';
import { PPSE_AID, TestNciHost, kinds, pick } from './testing/nci-test-host';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const SELECT_PPSE = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, PPSE_AID.length, ...PPSE_AID, 0x00]);
const data = (payload: Uint8Array) => encodePacket({ kind: 'data', pbf: false, connId: 0, credits: 0, payload });

/** A controller whose routing table sends ISO-DEP to the DH (no NFCEE enabled): host card emulation. */
async function hce() {
  const clock = new VirtualClock();
  const bus = new I2CBus();
  const nfcc = new NciController({ clock, random: new SeededRandom(5) });
  bus.attach(PN7150_I2C_ADDRESS, nfcc);
  nfcc.setVen(true);
  const host = new TestNciHost(bus, clock, () => nfcc.irqActive());
  host.command(core.CORE_RESET_CMD, { resetType: 1 });
  host.command(core.CORE_INIT_CMD, { featureEnable: 0 });
  host.command(core.CORE_SET_CONFIG_CMD, { parameters: [{ id: ConfigParam.RF_FIELD_INFO, value: h('01') }] });
  host.command(rf.RF_SET_LISTEN_MODE_ROUTING_CMD, { more: false, entries: [{ type: 'protocol', qualifiers: 0, route: DH_NFCEE_ID, powerState: rf.RoutePowerState.SWITCHED_ON, protocol: RfProtocol.ISO_DEP }] });
  host.command(rf.RF_DISCOVER_CMD, { configurations: [{ techMode: RfTechMode.NFC_A_PASSIVE_LISTEN, frequency: 1 }] });
  const reader = new VirtualField({ clock, controller: nfcc }).enter();
  const link = (await settle(clock, reader.activate()))!;
  return { clock, host, nfcc, reader, link };
}

describe('host card emulation: ISO-DEP routed to the DH over the static RF connection, with credits (NCI 2.0 4.4, ISO-DEP RF interface)', () => {
  it('activates the ISO-DEP RF interface with one credit and the RATS parameter byte', async () => {
    const { host } = await hce();
    const heard = host.receive();
    expect(kinds(heard)).toEqual(['NTF RF_FIELD_INFO', 'NTF RF_INTF_ACTIVATED']);
    expect(pick(heard, rf.RF_INTF_ACTIVATED_NTF)[0]).toMatchObject({
      rfInterface: RfInterface.ISO_DEP, rfProtocol: RfProtocol.ISO_DEP, activationTechMode: RfTechMode.NFC_A_PASSIVE_LISTEN,
      maxDataPacketPayloadSize: 255, initialCredits: 1, activationParameters: h('80'),
    });
  });

  it('hands the reader\'s APDU to the DH as data on Conn ID 0, takes the DH\'s answer and gives the credit back', async () => {
    const { clock, host, link } = await hce();
    host.receive();
    const pending = link.transceive(SELECT_PPSE);
    await runFor(clock, 3);
    const toDh = host.receive(0);
    expect(toDh).toEqual([{ kind: 'data', connId: 0, credits: 0, payload: SELECT_PPSE }]);
    host.write(data(h('6F 00 90 00')));
    expect(await settle(clock, pending)).toEqual(h('6F 00 90 00'));
    expect(pick(host.receive(), core.CORE_CONN_CREDITS_NTF)).toEqual([{ entries: [{ connId: 0, credits: 1 }] }]);
  });

  it('keeps the reader waiting with S(WTX) while the DH takes its time, and accepts a segmented answer', async () => {
    const { clock, host, link, reader } = await hce();
    host.receive();
    const pending = link.transceive(SELECT_PPSE);
    await runFor(clock, 100);
    host.receive(0);
    const answer = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    for (const packet of segmentMessage({ kind: 'data', connId: 0, credits: 0, payload: answer }, 200)) host.write(packet);
    expect(await settle(clock, pending)).toEqual(answer);
    const wtx = reader.trace.frames.filter((f) => f.data && f.data.length > 2).map((f) => checkCrcA(f.data!)).map((b) => (b ? decodeIsoDepBlock(b) : undefined)).filter((b) => b?.type === 'S');
    expect(wtx.length).toBeGreaterThanOrEqual(4); // 100 ms at FWT 38.7 ms: at least two requests, each answered
    expect(pick(host.receive(), core.CORE_CONN_CREDITS_NTF).length).toBe(2); // one credit back per packet
  });

  it('refuses DH data when no APDU waits for an answer with CORE_INTERFACE_ERROR_NTF', async () => {
    const { clock, host, link } = await hce();
    host.receive();
    host.write(data(h('90 00')));
    expect(pick(host.receive(), core.CORE_INTERFACE_ERROR_NTF)).toEqual([{ status: Status.SEMANTIC_ERROR, connId: 0 }]);
    const pending = link.transceive(SELECT_PPSE);
    await runFor(clock, 3);
    host.receive(0);
    host.write(data(h('90 00')));
    host.write(data(h('90 00'))); // a second answer: no APDU waits any more
    expect(await settle(clock, pending)).toEqual(h('90 00'));
    expect(kinds(host.receive())).toEqual(['NTF CORE_CONN_CREDITS', 'NTF CORE_INTERFACE_ERROR']);
  });
});
