import type { SchedulerBoard } from './board-port';

/**
 * The scheduler's board on the strap: Espruino's own calls, as they are (they
 * are static functions, which ignore `this`; a wrapper each would cost
 * variables for nothing).
 */
export function espruinoBoard(): SchedulerBoard {
  return {
    batteryVolts: NRF.getBattery,
    nowS: getTime,
    storage: require('Storage'),
    crc32: E.CRC32,
  };
}
