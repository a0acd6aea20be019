/**
 * The air waiting for a host outside the simulation (a ble-host on H4 over
 * TCP, h4-tcp-server.ts) while it may be answering: from the moment the
 * controller hands it a packet until it sends one back, or until `loopTurns`
 * turns of this process's event loop pass without (the host owed nothing: a
 * Number Of Completed Packets, a notification it only reads). A host in this
 * same process (a test's or the HIL runner's ble-host) answers within two
 * turns (its socket's read, then ours), however loaded the machine, so
 * counting turns rather than milliseconds waits for it on a busy machine too,
 * and no longer than needed on a quiet one.
 *
 * `holds` is a PacedDriver's `hold` (sim/clock/paced-driver.ts): meanwhile
 * no event runs, and pacing goes on from there, so the host's own latency
 * costs no board time. That lets the air run faster than the wall clock while
 * what lives on the board stays what the host's answers make it: an Espruino
 * packet must still arrive whole within 1 s of board time
 * (protocols/espruino/packet.ts), and the link still paces the host's writes
 * (connection events; each Write Request answered before the next: the
 * in-process rig's ble-flashing spends about the board time it spent in real
 * time, ~23 s). What it leaves out is a slow host as the board would
 * see it: the air without a turn keeps that (the pty rigs' ble-flashing,
 * `strap hil --rig pty`; bench/flash.ts).
 */
export class HostTurn {
  private owed = false;
  private generation = 0;
  /** Runs when a turn ends unanswered (a paced driver's `poke`, so the air goes on at once). */
  onLapse: () => void = () => undefined;

  constructor(
    private readonly loopTurns: number,
    /** Runs a callback at the event loop's next turn (sim/clock/paced-driver.ts NEXT_LOOP_TURN). */
    private readonly nextTurn: (run: () => void) => void,
  ) {}

  /** The controller handed the host a packet: its turn, unless one already runs. */
  handed(): void {
    if (this.owed) return;
    this.owed = true;
    const generation = ++this.generation;
    let left = this.loopTurns;
    const step = (): void => {
      if (!this.owed || generation !== this.generation) return;
      if (--left > 0) return this.nextTurn(step);
      this.owed = false;
      this.onLapse();
    };
    this.nextTurn(step);
  }

  /** The host sent a packet. */
  answered(): void {
    this.owed = false;
  }

  /** Whether the air waits for the host now. */
  readonly holds = (): boolean => this.owed;
}
