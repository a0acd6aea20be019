// What the scheduler needs from the board besides timers (setTimeout and
// friends are globals on Espruino and in Node alike, and the statechart
// runtime uses them directly). On the strap this is espruino-board.ts; tests
// pass a fake (testing/fake-board.ts).

/** The part of require('Storage') the scheduler uses. */
export interface StorageLike {
  read(name: string): string | undefined;
  write(name: string, data: string): boolean;
}

export interface SchedulerBoard {
  /** The battery voltage (V), as NRF.getBattery() measures it. */
  batteryVolts(): number;
  /** Board time in seconds, as getTime(). */
  nowS(): number;
  storage: StorageLike;
  /** CRC-32 of an 8-bit string, as E.CRC32 (unsigned or not: compared as >>> 0). */
  crc32(text: string): number;
}
