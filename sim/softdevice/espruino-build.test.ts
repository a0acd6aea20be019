// The Espruino build options the SoftDevice model takes from the board JSON (espruino-build.ts).
import { describe, expect, it } from 'vitest';
import { espruinoBuild, STOCK_ESPRUINO, strapBuild } from './espruino-build';

describe('the Espruino build the board runs', () => {
  it('the strap\'s board JSON sets a 16-octet minimum key (DEFINES+=-DESPR_BLE_MIN_KEY_SIZE=16)', () => {
    expect(strapBuild()).toEqual({ minKeySize: 16, attMtu: 23 });
  });

  it('a board JSON without build options is stock Espruino 2v29: get_gap_sec_params()\'s min_key_size 7', () => {
    expect(espruinoBuild({ info: { name: 'Puck.js' } })).toEqual(STOCK_ESPRUINO);
    expect(espruinoBuild({ info: { build: { makefile: ['DEFINES+=-DBLUETOOTH_NAME_PREFIX=x'] } } })).toEqual({ minKeySize: 7, attMtu: 23 });
  });

  it('the ATT MTU is sdk_config.h\'s NRF_SDH_BLE_GATT_MAX_MTU_SIZE 23 unless the board file sets it (targets/nrf5x/bluetooth.c answers an MTU request with it)', () => {
    expect(STOCK_ESPRUINO.attMtu).toBe(23);
    expect(espruinoBuild({ info: { build: { makefile: ['DEFINES += -DNRF_SDH_BLE_GATT_MAX_MTU_SIZE=131'] } } })).toEqual({ minKeySize: 7, attMtu: 131 });
    expect(() => espruinoBuild({ info: { build: { makefile: ['DEFINES += -DNRF_SDH_BLE_GATT_MAX_MTU_SIZE=517'] } } })).toThrow('23–247');
  });

  it('refuses a minimum the SoftDevice cannot take (outside 7–16 octets), naming it', () => {
    expect(() => espruinoBuild({ info: { build: { makefile: ['DEFINES+=-DESPR_BLE_MIN_KEY_SIZE=17'] } } })).toThrow('ESPR_BLE_MIN_KEY_SIZE=17');
    expect(() => espruinoBuild({ info: { build: { makefile: ['DEFINES+=-DESPR_BLE_MIN_KEY_SIZE=6'] } } })).toThrow('7–16');
  });
});
