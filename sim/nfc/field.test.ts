import { describe, expect, it } from 'vitest';
import { I2CBus } from '../board/buses/i2c-bus';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { STRAP_PINS } from '../strap/wiring';
import type { SeEvent } from '../se/applet';
import * as rf from '../../protocols/nci/rf';
import * as core from '../../protocols/nci/core';
import * as nfcee from '../../protocols/nci/nfcee';
import { ConfigParam } from '../../protocols/nci/identifiers';
import { decodeIsoDepBlock, checkCrcA } from '../../protocols/iso14443/iso-dep';
import { Iso14443Event } from '../../protocols/pcap/iso14443';
import { BIT_US, FDT_MIN_US, frameAirUs } from './air-time';
import { FieldLost } from './contactless';
import type { ContactlessTarget } from './contactless';
import { VirtualField } from './field';
import { EMBEDDED_SE_NFCEE_ID, NciController, PN7150_I2C_ADDRESS } from './nci-controller';
import { runFor, settle } from './settle';
import { PPSE_AID, RecordingPins, TestNciHost, VISA_AID, bringUpToListen, kinds, pick } from './testing/nci-test-host';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const select = (aid: Uint8Array) => Uint8Array.from([0x00, 0xa4, 0x04, 0x00, aid.length, ...aid, 0x00]);
const SELECT_PPSE = select(PPSE_AID);
const PPSE_FCI = h('6F 23 84 0E 325041592E5359532E4444463031 A5 11 BF0C 0E 61 0C 4F 07 A0000000031010 87 01 01 90 00');

/**
 * A small contactless target standing in for the SE: SELECT of a known AID → an FCI and 9000 (unknown → 6A82);
 * 'B0' (a long read) → 300 bytes; '80 A8' (slow) → 9000 after 100 ms, and a transaction event. Records what it saw.
 */
class TestTarget implements ContactlessTarget {
  readonly seen: string[] = [];
  private readonly listeners = new Set<(e: SeEvent) => void>();
  fieldOn(): void { this.seen.push('field on'); }
  fieldOff(): void { this.seen.push('field off'); }
  transceive(apdu: Uint8Array): { response: Uint8Array; processingUs: number } {
    this.seen.push([...apdu.subarray(0, 2)].map((b) => b.toString(16).padStart(2, '0')).join(''));
    if (apdu[1] === 0xa4) {
      const aid = apdu.subarray(5, 5 + apdu[4]!);
      if (aid.length === PPSE_AID.length && aid.every((b, i) => b === PPSE_AID[i])) return { response: PPSE_FCI, processingUs: 2000 };
      if (aid.length === VISA_AID.length && aid.every((b, i) => b === VISA_AID[i])) return { response: h('6F 09 84 07 A0000000031010 90 00'), processingUs: 2500 };
      return { response: h('6A 82'), processingUs: 1000 };
    }
    if (apdu[1] === 0xb0) return { response: Uint8Array.from({ length: 302 }, (_, i) => (i < 300 ? i & 0xff : i === 300 ? 0x90 : 0x00)), processingUs: 3000 };
    if (apdu[1] === 0xa8) {
      for (const l of this.listeners) l({ kind: 'transaction', aid: VISA_AID, data: h('9F02 06 000000001250 5F2A 02 0978') });
      return { response: h('90 00'), processingUs: 100_000 };
    }
    return { response: h('6D 00'), processingUs: 500 };
  }
  onEvent(listener: (e: SeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function strap(options: { listen?: boolean } = {}) {
  const clock = new VirtualClock();
  const pins = new RecordingPins();
  const bus = new I2CBus();
  const nfcc = new NciController({ clock, random: new SeededRandom('field-test'), pins, irqPin: STRAP_PINS.NFC_IRQ });
  bus.attach(PN7150_I2C_ADDRESS, nfcc);
  const target = new TestTarget();
  nfcc.attachNfcee(target);
  nfcc.setVen(true);
  const host = new TestNciHost(bus, clock, () => pins.level(STRAP_PINS.NFC_IRQ));
  if (options.listen !== false) bringUpToListen(host, EMBEDDED_SE_NFCEE_ID);
  const field = new VirtualField({ clock, controller: nfcc });
  return { clock, nfcc, host, target, field };
}

describe('the virtual field: a reader taps the strap and talks to its SE through the controller', () => {
  it('activates ISO-DEP and carries SELECT PPSE to the SE and its FCI back; the host hears field on, activation and the AID', async () => {
    const { clock, host, target, field, nfcc } = strap();
    const reader = field.enter();
    const link = await settle(clock, reader.activate());
    expect(link).toBeDefined();
    expect(nfcc.rf).toBe('RFST_LISTEN_ACTIVE');
    expect(nfcc.powerState()).toBe('ce-active');
    expect(await settle(clock, link!.transceive(SELECT_PPSE))).toEqual(PPSE_FCI);
    expect(await settle(clock, link!.transceive(select(VISA_AID)))).toEqual(h('6F 09 84 07 A0000000031010 90 00'));
    const heard = host.receive();
    expect(kinds(heard)).toEqual(['NTF RF_FIELD_INFO', 'NTF RF_INTF_ACTIVATED', 'NTF RF_NFCEE_ACTION', 'NTF RF_NFCEE_ACTION']);
    expect(pick(heard, rf.RF_FIELD_INFO_NTF)).toEqual([{ fieldOn: true }]);
    expect(pick(heard, rf.RF_INTF_ACTIVATED_NTF)[0]?.rfInterface).toBe(0x00); // NFCEE Direct RF Interface
    expect(pick(heard, rf.RF_NFCEE_ACTION_NTF)).toEqual([
      { nfceeId: EMBEDDED_SE_NFCEE_ID, trigger: rf.NfceeActionTrigger.SELECT_AID, data: PPSE_AID },
      { nfceeId: EMBEDDED_SE_NFCEE_ID, trigger: rf.NfceeActionTrigger.SELECT_AID, data: VISA_AID },
    ]);
    expect(target.seen).toEqual(['field on', '00a4', '00a4']);
    reader.leave();
    expect(target.seen.at(-1)).toBe('field off');
    expect(nfcc.powerState()).toBe('standby');
  });

  it('takes the air time of 106 kbit/s frames (ISO/IEC 14443-2/3) plus the SE\'s processing time', async () => {
    const { clock, field } = strap();
    const reader = field.enter();
    const link = (await settle(clock, reader.activate()))!;
    const startMs = clock.nowMs();
    await settle(clock, link.transceive(SELECT_PPSE));
    // I-block: PCB + 20-byte APDU + CRC_A = 23 bytes of 9 bits, S and E; the SE's 2 ms; the FCI back: PCB + 39 + CRC_A; then the frame delay.
    const expectedUs = (9 * 23 + 2) * BIT_US + 2000 + (9 * 42 + 2) * BIT_US + FDT_MIN_US;
    expect((clock.nowMs() - startMs) * 1000).toBeCloseTo(expectedUs, 6);
    expect(frameAirUs(23)).toBeCloseTo(23 * 9 * 128 / 13.56 + 2 * 128 / 13.56, 6);
  });

  it('chains answers longer than the reader\'s frame size and asks for waiting time extensions (ISO/IEC 14443-4 7.3, 7.5)', async () => {
    const { clock, field } = strap();
    const reader = field.enter({ fsdi: 5 }); // FSD 64
    const link = (await settle(clock, reader.activate()))!;
    const long = await settle(clock, link.transceive(h('00 B0 00 00 00')));
    expect(long.length).toBe(302);
    expect(long.subarray(0, 4)).toEqual(h('00 01 02 03'));
    await settle(clock, link.transceive(h('80 A8 00 00 02 83 00 00')));
    const blocks = reader.trace.frames.filter((f) => f.data && f.event !== Iso14443Event.DATA_PCD_TO_PICC_CRC_DROPPED && f.event !== Iso14443Event.DATA_PICC_TO_PCD_CRC_DROPPED)
      .map((f) => decodeIsoDepBlock(checkCrcA(f.data!)!))
      .filter((b) => b !== undefined);
    expect(blocks.filter((b) => b.type === 'I' && b.chaining).length).toBe(4); // 302 bytes in 61-byte pieces: 5 blocks
    expect(blocks.filter((b) => b.type === 'R').length).toBe(4);
    expect(blocks.filter((b) => b.type === 'S' && b.kind === 'wtx').length).toBeGreaterThanOrEqual(2); // 100 ms > FWT 38.7 ms: request and answer
  });

  it('rejects with FieldLost when the reader leaves mid-exchange; the host hears link loss and field off', async () => {
    const { clock, host, target, field, nfcc } = strap();
    const reader = field.enter();
    const link = (await settle(clock, reader.activate()))!;
    host.receive();
    const pending = link.transceive(h('80 A8 00 00 02 83 00 00')); // 100 ms at the SE
    pending.catch(() => undefined);
    await runFor(clock, 20);
    expect(target.seen.at(-1)).toBe('80a8'); // the SE has the command and is working on it
    reader.leave();
    await expect(pending).rejects.toBeInstanceOf(FieldLost);
    await expect(link.transceive(SELECT_PPSE)).rejects.toBeInstanceOf(FieldLost);
    const heard = host.receive();
    expect(kinds(heard)).toEqual(['NTF RF_NFCEE_ACTION', 'NTF RF_DEACTIVATE', 'NTF RF_FIELD_INFO']);
    expect(pick(heard, rf.RF_DEACTIVATE_NTF)).toEqual([{ type: rf.DeactivationType.DISCOVERY, reason: rf.DeactivationReason.RF_LINK_LOSS }]);
    expect(pick(heard, rf.RF_FIELD_INFO_NTF)).toEqual([{ fieldOn: false }]);
    expect(target.seen.at(-1)).toBe('field off');
    expect(nfcc.rf).toBe('RFST_DISCOVERY'); // still listening for the next tap
    expect(reader.trace.frames.at(-1)?.event).toBe(Iso14443Event.FIELD_OFF);
  });

  it('turns the SE\'s transaction event into RF_NFCEE_ACTION_NTF (trigger 10, 81 AID, 82 parameters)', async () => {
    const { clock, host, field } = strap();
    const reader = field.enter();
    const link = (await settle(clock, reader.activate()))!;
    host.receive();
    await settle(clock, link.transceive(h('80 A8 00 00 02 83 00 00')));
    const [action] = pick(host.receive(), rf.RF_NFCEE_ACTION_NTF);
    expect(action).toEqual({ nfceeId: EMBEDDED_SE_NFCEE_ID, trigger: rf.NfceeActionTrigger.APPLICATION_INITIATION, data: h('81 07 A0000000031010 82 0E 9F02 06 000000001250 5F2A 02 0978') });
  });

  it('finds no card when discovery is stopped or the controller is powered down', async () => {
    const stopped = strap();
    stopped.host.command(rf.RF_DEACTIVATE_CMD, { type: rf.DeactivationType.IDLE });
    expect(await settle(stopped.clock, stopped.field.enter().activate())).toBeUndefined();
    const off = strap();
    off.nfcc.setVen(false);
    expect(await settle(off.clock, off.field.enter().activate())).toBeUndefined();
    const never = strap({ listen: false });
    expect(await settle(never.clock, never.field.enter().activate())).toBeUndefined();
    expect(never.target.seen).toEqual([]);
  });

  it('goes mute when the host deactivates mid-tap: the reader gives up after FWT with FieldLost', async () => {
    const { clock, host, field } = strap();
    const reader = field.enter();
    const link = (await settle(clock, reader.activate()))!;
    host.command(rf.RF_DEACTIVATE_CMD, { type: rf.DeactivationType.DISCOVERY });
    await expect(settle(clock, link.transceive(SELECT_PPSE))).rejects.toThrow('the card stopped answering');
  });

  it('answers 6A 82 itself for an AID with no route to the SE', async () => {
    const { clock, host, field, target } = strap({ listen: false });
    bringUpToListen(host, EMBEDDED_SE_NFCEE_ID);
    host.command(rf.RF_DEACTIVATE_CMD, { type: rf.DeactivationType.IDLE });
    host.command(rf.RF_SET_LISTEN_MODE_ROUTING_CMD, { more: false, entries: [{ type: 'aid', qualifiers: 0, route: EMBEDDED_SE_NFCEE_ID, powerState: rf.RoutePowerState.SWITCHED_ON, aid: VISA_AID }] });
    host.command(rf.RF_DISCOVER_CMD, { configurations: [{ techMode: 0x80, frequency: 1 }] });
    const link = (await settle(clock, field.enter().activate()))!;
    expect(await settle(clock, link.transceive(SELECT_PPSE))).toEqual(h('6A 82'));
    expect(await settle(clock, link.transceive(select(VISA_AID)))).toEqual(h('6F 09 84 07 A0000000031010 90 00'));
    expect(target.seen).toEqual(['field on', '00a4']);
  });

  it('answers 6F 00 and tells the host NFCEE_STATUS_NTF (unrecoverable error) when the SE fails', async () => {
    const { clock, host, field, target } = strap();
    target.transceive = () => { throw new Error('SE crashed'); };
    const link = (await settle(clock, field.enter().activate()))!;
    host.receive();
    expect(await settle(clock, link.transceive(SELECT_PPSE))).toEqual(h('6F 00'));
    const heard = host.receive();
    expect(pick(heard, nfcee.NFCEE_STATUS_NTF)).toEqual([{ nfceeId: EMBEDDED_SE_NFCEE_ID, status: nfcee.NfceeStatusReport.UNRECOVERABLE_ERROR }]);
  });

  it('is not activated as ISO-DEP when LA_SEL_INFO leaves ISO-DEP out of SAK', async () => {
    const { clock, host, field } = strap();
    host.command(rf.RF_DEACTIVATE_CMD, { type: rf.DeactivationType.IDLE });
    host.command(core.CORE_SET_CONFIG_CMD, { parameters: [{ id: ConfigParam.LA_SEL_INFO, value: h('00') }] });
    host.command(rf.RF_DISCOVER_CMD, { configurations: [{ techMode: 0x80, frequency: 1 }] });
    const reader = field.enter();
    expect(await settle(clock, reader.activate())).toBeUndefined();
    const frames = reader.trace.frames.filter((f) => f.data).map((f) => f.data![0]);
    expect(frames).toContain(0x93); // anticollision ran
    expect(frames).not.toContain(0xe0); // SAK said no ISO-DEP: the reader does not send RATS
  });
});


describe('the virtual field: chaining at every length', () => {
  it('carries commands and answers of 0 to 600 bytes intact across frame sizes (seeded, 150 exchanges)', async () => {
    const random = new SeededRandom('field-lengths');
    const { clock, field, target } = strap();
    const answers = new Map<string, Uint8Array>();
    target.transceive = (apdu) => {
      const response = Uint8Array.from({ length: random.int(0, 600) }, () => random.int(0, 255));
      answers.set([...apdu].join(','), response);
      return { response, processingUs: random.int(0, 5000) };
    };
    for (const fsdi of [0, 2, 5, 8]) {
      const reader = field.enter({ fsdi });
      const link = (await settle(clock, reader.activate()))!;
      for (let i = 0; i < 38; i++) {
        const apdu = Uint8Array.from({ length: random.int(0, 600) }, () => random.int(0, 255));
        const got = await settle(clock, link.transceive(apdu));
        expect(got).toEqual(answers.get([...apdu].join(',')));
      }
      reader.leave();
    }
  });
});
