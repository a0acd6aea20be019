import { describe, expect, it } from 'vitest';
import { I2CBus } from '../board/buses/i2c-bus';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { PowerModel } from '../power/power-model';
import { STRAP_CURRENTS } from '../power/current-catalogue';
import { VirtualField } from './field';
import { EMBEDDED_SE_NFCEE_ID, NciController, PN7150_I2C_ADDRESS } from './nci-controller';
import { drivePowerModel, nfccCurrentUa } from './nfcc-power';
import { runFor, settle } from './settle';
import { TestNciHost, bringUpToListen } from './testing/nci-test-host';
import type { ContactlessTarget } from './contactless';

const target: ContactlessTarget = {
  fieldOn: () => undefined,
  fieldOff: () => undefined,
  transceive: () => ({ response: Uint8Array.of(0x90, 0x00), processingUs: 1000 }),
  onEvent: () => () => undefined,
};

describe('NFC controller power: states and currents for the power model', () => {
  it('reads its currents from the catalogue: hard power-down < standby < awake < card emulation with a field', () => {
    const [hpd, standby, active, ce] = (['hpd', 'standby', 'active', 'ce-active'] as const).map((s) => nfccCurrentUa(s));
    expect(hpd).toBe(STRAP_CURRENTS.nfcc.states.hpd!.currentUa);
    expect(hpd! < standby! && standby! < active! && active! < ce!).toBe(true);
  });

  it('moves the power model\'s nfcc consumer with VEN, listening and a reader\'s field, and charges the tap to it', async () => {
    const clock = new VirtualClock();
    const power = new PowerModel({ clock, trace: false });
    const bus = new I2CBus();
    const nfcc = new NciController({ clock, random: new SeededRandom(1) });
    bus.attach(PN7150_I2C_ADDRESS, nfcc);
    nfcc.attachNfcee(target);
    drivePowerModel(nfcc, power);
    expect(power.state('nfcc')).toBe('hpd');
    nfcc.setVen(true);
    expect(power.state('nfcc')).toBe('standby');
    bringUpToListen(new TestNciHost(bus, clock, () => nfcc.irqActive()), EMBEDDED_SE_NFCEE_ID);
    const field = new VirtualField({ clock, controller: nfcc });
    const reader = field.enter();
    expect(power.state('nfcc')).toBe('ce-active');
    const link = (await settle(clock, reader.activate()))!;
    await settle(clock, link.transceive(Uint8Array.of(0x00, 0xa4, 0x04, 0x00, 0x01, 0xa0, 0x00)));
    await runFor(clock, 50);
    reader.leave();
    expect(power.state('nfcc')).toBe('standby');
    power.sync();
    const dwellMs = power.dwellUs('nfcc', 'ce-active') / 1000;
    expect(dwellMs).toBeGreaterThan(50);
    expect(power.chargeUas('nfcc', 'ce-active')).toBeCloseTo((nfccCurrentUa('ce-active') * dwellMs) / 1000, 3);
    nfcc.setVen(false);
    expect(power.state('nfcc')).toBe('hpd');
  });
});
