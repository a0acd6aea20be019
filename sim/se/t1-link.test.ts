import { describe, expect, it } from 'vitest';
import { I2CBus, TWI_ERR_ANACK } from '../board/buses/i2c-bus';
import { VirtualClock } from '../clock/virtual-clock';
import { decodeBlock, encodeBlock } from '../../protocols/t1/block';
import type { Block } from '../../protocols/t1/block';
import { SecureElement } from './secure-element';
import { T1HostDriver } from './t1-host-driver';
import { EchoApplet, hexBytes, toHex } from './testing/echo-applet';

const KEYS = { enc: new Uint8Array(16).fill(0x40), mac: new Uint8Array(16).fill(0x41), dek: new Uint8Array(16).fill(0x42) };
const ECHO = hexBytes('A0000000031010');

function rig() {
  const clock = new VirtualClock();
  const bus = new I2CBus();
  const se = new SecureElement({ clock, isdKeys: KEYS });
  const applet = new EchoApplet(ECHO);
  se.install(applet);
  se.attachTo(bus);
  se.setPowered(true);
  clock.advanceBy(5);
  const driver = new T1HostDriver(bus, clock);
  /** Writes a raw frame and returns the answer's bytes after the SE is done. */
  const raw = (hex: string) => {
    const r = driver.raw(hexBytes(hex));
    return r;
  };
  return { clock, bus, se, applet, driver, raw };
}

const frame = (b: Block) => toHex(encodeBlock(b));

describe('T=1 over I2C: frames as a real SE050 answers them', () => {
  it("acknowledges a chained first I-block as the SE050 in NXP's community trace does (5A 20 05 … → A5 90 00 FB E9)", () => {
    const { raw, driver } = rig();
    raw('5A20058004002009 66AA'.replace(' ', ''));
    expect(toHex(driver.log.at(-1)!.bytes)).toBe('A59000FBE9');
  });

  it('an APDU in, its answer out: SELECT of the ISD', () => {
    const { driver } = rig();
    const answer = driver.transceive(hexBytes('00A4040008A00000015100000000'));
    expect(toHex(answer).slice(-4)).toBe('9000');
    expect(toHex(answer).startsWith('6F')).toBe(true);
  });

  it('chains both ways: a 600-byte APDU out in 16-byte blocks (IFSC), 600 bytes back in 32-byte blocks (IFSD set by S(IFS))', () => {
    const { driver, bus, clock } = rig();
    const small = new T1HostDriver(bus, clock, { ifsc: 16 });
    expect(small.sBlock('ifs', Uint8Array.of(32))).toMatchObject({ type: 'S', kind: 'ifs', response: true, inf: Uint8Array.of(32) });
    small.transceive(hexBytes('00A4040007A000000003101000'));
    const data = Uint8Array.from({ length: 600 }, (_, i) => (i * 7) & 0xff);
    const apdu = Uint8Array.from([0x80, 0x01, 0x00, 0x00, 0x00, 0x02, 0x58, ...data, 0x00, 0x00]);
    const answer = small.transceive(apdu);
    expect(toHex(answer)).toBe(toHex(data) + '9000');
    const rx = small.log.filter((l) => l.dir === 'rx').map((l) => decodeBlock(l.bytes));
    expect(rx.filter((r) => r.ok && r.value.type === 'I').length).toBe(1 + Math.ceil(602 / 32)); // the SELECT's answer, then the echo's chain
    expect(rx.filter((r) => r.ok && r.value.type === 'R').length).toBe(Math.ceil(apdu.length / 16) - 1);
    void driver;
  });
});

describe('T=1 over I2C: the SE is busy while it works, and the host polls', () => {
  it('NACKs its address on reads and writes until the answer is ready, then gives it in pieces', () => {
    const { bus, clock } = rig();
    const select = frame({ type: 'I', nad: 0x5a, ns: 0, more: false, inf: hexBytes('00A4040007A000000003101000') });
    expect(bus.write(0x48, hexBytes(select))).toBe(0);
    expect(bus.read(0x48, 2)).toBe(TWI_ERR_ANACK);
    expect(bus.write(0x48, hexBytes(select))).toBe(TWI_ERR_ANACK);
    const start = clock.nowMs();
    while (typeof bus.read(0x48, 0) === 'number') clock.advanceBy(0.1);
    const tookMs = clock.nowMs() - start;
    expect(tookMs).toBeGreaterThanOrEqual(1.5); // the modelled APDU time (timing.ts)
    const head = bus.read(0x48, 2) as Uint8Array;
    const len = bus.read(0x48, 1) as Uint8Array;
    const rest = bus.read(0x48, len[0]! + 2) as Uint8Array;
    const block = decodeBlock(Uint8Array.from([...head, ...len, ...rest]));
    expect(block.ok && block.value.type === 'I' && toHex(block.value.inf).endsWith('9000')).toBe(true);
    expect(bus.read(0x48, 2)).toBe(TWI_ERR_ANACK); // nothing more to say
  });

  it('asks for a waiting time extension when an APDU takes longer than BWT, and answers after the host grants it', () => {
    const { driver, clock } = rig();
    driver.transceive(hexBytes('00A4040007A000000003101000'));
    const start = clock.nowMs();
    const answer = driver.transceive(hexBytes('80060A28')); // 2600 ms of applet work
    expect(toHex(answer)).toBe('9000');
    const wtx = driver.log.filter((l) => l.dir === 'rx').map((l) => toHex(l.bytes)).filter((h) => h.startsWith('A5C301'));
    expect(wtx).toHaveLength(1);
    expect(wtx[0]!.slice(6, 8)).toBe('02'); // 1600 ms beyond a 1000 ms BWT: multiplier 2
    expect(clock.nowMs() - start).toBeGreaterThanOrEqual(2600);
  });
});

describe('T=1 over I2C: bad blocks get the R-block error answer (ISO/IEC 7816-3 11.6.3.2)', () => {
  it.each([
    ['a bad CRC', '5A000100AAAA', 'crc'],
    ['a wrong NAD', frame({ type: 'I', nad: 0x21, ns: 0, more: false, inf: hexBytes('00') }), 'other'],
    ['LEN longer than the frame', '5A0005000102', 'other'],
    ['LEN FF', '5A00FF0000', 'other'],
    ['an S-block PCB of no S-block (C4)', toHex(fixCrc(hexBytes('5AC4000000'))), 'other'],
    ['an R-block with INF', toHex(fixCrc(hexBytes('5A800100000000'))), 'other'],
    ['an I-block with the wrong N(S)', frame({ type: 'I', nad: 0x5a, ns: 1, more: false, inf: hexBytes('00A4040000') }), 'other'],
    ['a 2-byte write', '5A00', 'other'],
    ['an S(WTX request) from the host', frame({ type: 'S', nad: 0x5a, kind: 'wtx', response: false, inf: Uint8Array.of(1) }), 'other'],
    ['an unsolicited S(WTX response)', frame({ type: 'S', nad: 0x5a, kind: 'wtx', response: true, inf: Uint8Array.of(1) }), 'other'],
  ])('%s (%s) → R(N(R) = 0) with error %s', (_, hex, error) => {
    const { raw } = rig();
    const answer = raw(hex);
    expect(answer).toEqual({ ok: true, value: { type: 'R', nad: 0xa5, nr: 0, error } });
  });

  it('an R-block asking again gets the last block again, byte for byte', () => {
    const { driver, raw } = rig();
    driver.transceive(hexBytes('00A4040007A000000003101000'));
    const last = toHex(driver.log.at(-1)!.bytes);
    raw(frame({ type: 'R', nad: 0x5a, nr: 0, error: 'crc' }));
    expect(toHex(driver.log.at(-1)!.bytes)).toBe(last);
  });
});

describe('T=1 over I2C: S-blocks (UM11225 Table 10)', () => {
  it('RESYNCH sets both sequence numbers back to 0', () => {
    const { driver, raw } = rig();
    driver.transceive(hexBytes('00A4040000'));
    expect(driver.sBlock('resynch')).toMatchObject({ type: 'S', kind: 'resynch', response: true });
    const again = raw(frame({ type: 'I', nad: 0x5a, ns: 0, more: false, inf: hexBytes('00A4040000') }));
    expect(again.ok && again.value.type === 'I' && again.value.ns).toBe(0);
  });

  it('interface soft reset and GET ATR answer the ATR; ABORT drops a chain', () => {
    const { driver, raw } = rig();
    const atr = driver.sBlock('soft-reset');
    expect(atr.type === 'S' && atr.kind === 'soft-reset' && toHex(atr.inf).startsWith('01D276000085')).toBe(true);
    const got = driver.sBlock('get-atr');
    expect(got.type === 'S' && toHex(got.inf)).toBe(atr.type === 'S' && toHex(atr.inf));
    raw(frame({ type: 'I', nad: 0x5a, ns: 0, more: true, inf: hexBytes('80010000') }));
    expect(driver.sBlock('abort')).toMatchObject({ type: 'S', kind: 'abort', response: true });
  });

  it('S(IFS) outside 1-254 is refused', () => {
    const { raw } = rig();
    expect(raw(frame({ type: 'S', nad: 0x5a, kind: 'ifs', response: false, inf: Uint8Array.of(0) }))).toMatchObject({ ok: true, value: { type: 'R', error: 'other' } });
  });

  it('END OF APDU SESSION is acknowledged and the SE drops to deep power-down', () => {
    const { driver, se } = rig();
    driver.transceive(hexBytes('00A4040000'));
    expect(se.powerState()).not.toBe('deep-power-down');
    expect(driver.sBlock('end-of-apdu-session')).toMatchObject({ type: 'S', kind: 'end-of-apdu-session', response: true });
    expect(se.powerState()).toBe('deep-power-down');
  });

  it('chip reset is answered after the wake-up time and the selection is gone', () => {
    const { driver, applet } = rig();
    driver.transceive(hexBytes('00A4040007A000000003101000'));
    expect(driver.sBlock('chip-reset')).toMatchObject({ type: 'S', kind: 'chip-reset', response: true });
    expect(toHex(driver.transceive(hexBytes('8001000000')))).toBe('6D00'); // the ISD is selected again, and does not know INS 01
    expect(applet.deselects).toBe(0);
  });
});

describe('T=1 over I2C: SE_EN and power cuts', () => {
  it('unpowered, the SE NACKs its address; powered, it answers after the wake-up time', () => {
    const { se, bus, clock, driver } = rig();
    se.setPowered(false);
    expect(se.currentUa()).toBe(0);
    expect(bus.write(0x48, hexBytes('5AC000' + 'FFFF'))).toBe(TWI_ERR_ANACK);
    expect(bus.read(0x48, 2)).toBe(TWI_ERR_ANACK);
    se.setPowered(true);
    expect(bus.write(0x48, encodeBlock({ type: 'S', nad: 0x5a, kind: 'resynch', response: false, inf: new Uint8Array(0) }))).toBe(TWI_ERR_ANACK);
    clock.advanceBy(se.timing.wakeUpMs);
    expect(toHex(driver.transceive(hexBytes('00A4040000'))).slice(-4)).toBe('9000');
  });

  it('a power cut at a non-volatile write leaves the SE mute, and after power-up the records are as before the command', () => {
    const { se, driver, bus, clock } = rig();
    driver.transceive(hexBytes('00A4040007A000000003101000'));
    expect(toHex(driver.transceive(hexBytes('8003000000')))).toBe('019000');
    se.nvm.cutPowerAfterWrites(1);
    expect(() => new T1HostDriver(bus, clock, { timeoutMs: 50 }).transceive(hexBytes('8003000000'))).toThrow('no answer');
    expect(se.powered).toBe(false);
    se.setPowered(true);
    clock.advanceBy(5);
    const fresh = new T1HostDriver(bus, clock);
    fresh.transceive(hexBytes('00A4040007A000000003101000'));
    expect(toHex(fresh.transceive(hexBytes('8003000000')))).toBe('029000');
  });
});

function fixCrc(frame: Uint8Array): Uint8Array {
  let crc = 0xffff;
  for (const byte of frame.subarray(0, frame.length - 2)) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  crc ^= 0xffff;
  frame[frame.length - 2] = crc & 0xff;
  frame[frame.length - 1] = crc >> 8;
  return frame;
}
