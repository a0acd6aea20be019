/** Battery as the board reports it: Puck.js's percentage and the supply voltage. */
export interface BatteryReading {
  percent: number;
  volts: number;
}

export function readBattery(): BatteryReading {
  return { percent: Math.round(Puck.getBatteryPercentage()), volts: Math.round(NRF.getBattery() * 100) / 100 };
}
