// Each simulated device loads its own ble-host copy, on the virtual clock.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { loadBleHost } from './ble-host-copy';
import { advertiseService, CHARACTERISTIC_UUID, radioPair, scanAndConnect, SERVICE_UUID } from './testing/radio-pair';

describe('a ble-host copy per device', () => {
  it('gives two devices separate module instances', () => {
    const clock = new VirtualClock();
    const bondDir = mkdtempSync(join(tmpdir(), 'ble-host-copy-'));
    const a = loadBleHost({ clock, bondDir, random: new SeededRandom(1) });
    const b = loadBleHost({ clock, bondDir, random: new SeededRandom(2) });
    expect(a.BleManager).not.toBe(b.BleManager);
  });

  it('runs ble-host\'s 30 s ATT request timeout on virtual time', () => {
    const pair = radioPair({ seed: 9 });
    // A characteristic whose read is never answered.
    advertiseService(pair, { onRead: () => undefined, value: undefined });
    const conn = scanAndConnect(pair);
    let requestedAtMs = 0;
    let timedOutAtMs: number | undefined;
    conn.gatt.on('timeout', () => (timedOutAtMs = pair.clock.nowMs()));
    conn.gatt.discoverServicesByUuid(SERVICE_UUID, 1, (services) =>
      services[0]?.discoverCharacteristics((cs) => {
        requestedAtMs = pair.clock.nowMs();
        cs.find((c) => c.uuid === CHARACTERISTIC_UUID)?.read(() => undefined);
      }),
    );
    pair.until(() => timedOutAtMs !== undefined, 'the ATT timeout fired', 40_000);
    expect(timedOutAtMs! - requestedAtMs).toBeGreaterThanOrEqual(30_000);
    expect(timedOutAtMs! - requestedAtMs).toBeLessThan(30_100);
  });

  it('cancels a powered-off device\'s ble-host timers, so the old copy cannot act after the power cut', () => {
    const pair = radioPair({ seed: 19 });
    advertiseService(pair, { onRead: () => undefined, value: undefined });
    const conn = scanAndConnect(pair);
    conn.gatt.discoverServicesByUuid(SERVICE_UUID, 1, (services) =>
      services[0]?.discoverCharacteristics((cs) => cs.find((c) => c.uuid === CHARACTERISTIC_UUID)?.read(() => undefined)),
    );
    pair.clock.advanceBy(1000);
    const phoneTimers = () => pair.clock.pendingLabels().filter((l) => /:phone:(timer|interval)$/.test(l));
    expect(phoneTimers().length).toBeGreaterThan(0); // the 30 s ATT timeout, among others
    pair.phone.powerOff();
    expect(phoneTimers()).toEqual([]);
    expect(() => pair.phone.bleHost).toThrow(/powered off/);
  });

  it('leaves Node\'s global object as it found it (ble-host\'s implicit globals stay in the copy)', () => {
    const before = new Set(Object.getOwnPropertyNames(globalThis));
    const pair = radioPair({ seed: 10 });
    advertiseService(pair);
    const conn = scanAndConnect(pair);
    let done = false;
    conn.gatt.discoverAllPrimaryServices(() => (done = true));
    pair.until(() => done, 'discovery finished');
    expect(Object.getOwnPropertyNames(globalThis).filter((k) => !before.has(k))).toEqual([]);
  });
});
