import { describe, expect, it } from 'vitest';
import { I2CBus } from '../board/buses/i2c-bus';
import { VirtualClock } from '../clock/virtual-clock';
import { SeededRandom } from '../clock/seeded-random';
import { SecureElement } from './secure-element';
import { Scp03Host } from './scp03-host';
import { T1HostDriver } from './t1-host-driver';
import { STRAP_CURRENTS } from '../power/current-catalogue';
import { encodeBlock } from '../../protocols/t1/block';
import { EchoApplet, hexBytes, toHex } from './testing/echo-applet';

const KEYS = { enc: hexBytes('404142434445464748494A4B4C4D4E4F'), mac: hexBytes('404142434445464748494A4B4C4D4E4F'), dek: hexBytes('404142434445464748494A4B4C4D4E4F') };
const PAY = hexBytes('A0000000031010');

function rig() {
  const clock = new VirtualClock();
  const bus = new I2CBus();
  const se = new SecureElement({ clock, isdKeys: KEYS });
  const applet = new EchoApplet(PAY);
  se.install(applet);
  se.attachTo(bus);
  return { clock, bus, se, applet };
}

describe('secure element: personalization over the host interface', () => {
  it('SCP03 (C-MAC, C-DEC, R-MAC, R-ENC) + INSTALL [for personalization] + STORE DATA over T=1/I2C reach the applet in the clear', () => {
    const { clock, bus, se, applet } = rig();
    se.setPowered(true);
    clock.advanceBy(se.timing.wakeUpMs);
    const driver = new T1HostDriver(bus, clock);
    const random = new SeededRandom('factory');
    const host = new Scp03Host((apdu) => driver.transceive(apdu), KEYS, () => Uint8Array.from({ length: 8 }, () => random.int(0, 255)));
    host.open();
    expect(se.isd.secureChannelLevel).toBe(0x33);
    host.personalize(PAY, [hexBytes('8F010411223344'), new Uint8Array(200).fill(0x5a)]);
    expect(applet.commands.map((c) => [c.ins, c.p1, c.p2, c.data.length])).toEqual([[0xe2, 0x00, 0, 7], [0xe2, 0x80, 1, 200]]);
    // and nothing of it was readable on the bus
    const onWire = driver.log.map((l) => toHex(l.bytes)).join('');
    expect(onWire.includes('8F010411223344')).toBe(false);
  });
});

describe('secure element: power (SE_EN and states)', () => {
  it('draws nothing off, then the power model\'s catalogue figure for each state: active while working, idle after, deep power-down after a quiet while', () => {
    const { clock, bus, se } = rig();
    expect(se.powerState()).toBe('off');
    expect(se.currentUa()).toBe(0);
    se.setPowered(true);
    clock.advanceBy(se.timing.wakeUpMs);
    expect(se.powerState()).toBe('deep-power-down');
    expect(bus.write(0x48, encodeBlock({ type: 'I', nad: 0x5a, ns: 0, more: false, inf: hexBytes('00A4040000') }))).toBe(0);
    expect(se.powerState()).toBe('active');
    expect(se.currentUa()).toBe(STRAP_CURRENTS.se.states.active!.currentUa);
    while (typeof bus.read(0x48, 2) === 'number') clock.advanceBy(1);
    expect(se.powerState()).toBe('idle');
    expect(se.currentUa()).toBe(STRAP_CURRENTS.se.states.idle!.currentUa);
    clock.advanceBy(se.timing.idleToDeepPowerDownMs);
    expect(se.currentUa()).toBe(STRAP_CURRENTS.se.states['deep-power-down']!.currentUa);
  });

  it('records survive SE_EN cycling; RAM state (selection, secure channel) does not', () => {
    const { clock, bus, se } = rig();
    se.setPowered(true);
    clock.advanceBy(5);
    let d = new T1HostDriver(bus, clock);
    d.transceive(hexBytes('00A4040007A000000003101000'));
    expect(toHex(d.transceive(hexBytes('8003000000')))).toBe('019000');
    se.setPowered(false);
    se.setPowered(true);
    clock.advanceBy(5);
    d = new T1HostDriver(bus, clock);
    expect(toHex(d.transceive(hexBytes('8003000000')))).toBe('6D00'); // the ISD is selected after power-up
    d.transceive(hexBytes('00A4040007A000000003101000'));
    expect(toHex(d.transceive(hexBytes('8003000000')))).toBe('029000');
  });
});
