import type { SchedulerBoard } from './board-port';

/** The scheduler's board on the strap: Espruino's own calls. */
export function espruinoBoard(): SchedulerBoard {
  return {
    batteryVolts: function () {
      return NRF.getBattery();
    },
    nowS: function () {
      return getTime();
    },
    storage: require('Storage'),
    crc32: function (text: string) {
      return E.CRC32(text);
    },
  };
}
