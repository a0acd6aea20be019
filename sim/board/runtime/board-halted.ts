/**
 * Thrown through running JS when the board stops under it (reboot, power
 * cut, a stuck CPU's watchdog reset): whoever catches it only unwinds.
 */
export class BoardHalted extends Error {
  constructor() {
    super('board halted');
    this.name = 'BoardHalted';
  }
}
