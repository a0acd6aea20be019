/**
 * The heartbeat's cadence. Awake (the wearer was around lately) it beats every
 * `awakeS`; quiet (the power mode asleep: no press, no field, no link for its
 * idle timeouts; or reserve-only, keeping the cell for payments) every
 * `QUIET_HEARTBEAT_S`, and the beat leaves the LED dark. Standby is
 * what the strap spends most of its life in, and issue 3 gives it 15 uA:
 * the MCU asleep (3 uA), the button and field watched (9 uA), the regulator
 * (1.6 uA) leave little for a 20 ms LED flash a minute (0.5 uA average) or a
 * wake-up a minute (2 ms of CPU at 4 mA: 0.13 uA).
 */
/** A quiet strap still samples its cell (and says it is alive) this often. */
export const QUIET_HEARTBEAT_S = 600;

// One heartbeat per board: its state is this module's (top-level functions
// cost Espruino the fewest variables).
let awakeS: number;
let onBeat: (quiet: boolean) => void;
let quiet = false;
let timer: ReturnType<typeof setInterval> | undefined;

/** Starts beating, awake or quiet as setHeartbeatQuiet() last said (awake if never). */
export function startHeartbeat(awakeSeconds: number, beat: (quiet: boolean) => void): void {
  awakeS = awakeSeconds;
  onBeat = beat;
  timer = setInterval(beatNow, (quiet ? QUIET_HEARTBEAT_S : awakeS) * 1000);
}

/** Quiet (true) or awake: the cadence, and the beat's LED. Before the start, how it starts. */
export function setHeartbeatQuiet(on: boolean): void {
  if (on === quiet) return;
  quiet = on;
  if (timer === undefined) return;
  clearInterval(timer);
  timer = setInterval(beatNow, (on ? QUIET_HEARTBEAT_S : awakeS) * 1000);
}

/** Beats now, out of cadence (the next tick stays where it was). */
export function beatNow(): void {
  onBeat(quiet);
}
