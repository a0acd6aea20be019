/** What the console client throws, each saying what happened on the wire. */

/**
 * The board threw: `message` is Espruino's report as it printed it
 * (`Uncaught ReferenceError: "foo" is not defined` and, in text mode, the
 * stack lines, `    at REPL (:1:1)` on 2v2x, ` at line L col C` before, each
 * with the source line and marker).
 */
export class BoardError extends Error {
  /** The first line, `Uncaught ...`. */
  readonly uncaught: string;

  constructor(report: string) {
    super(report);
    this.name = 'BoardError';
    this.uncaught = report.split('\n')[0] ?? report;
  }
}

/** No (complete) answer in time. */
export class ConsoleTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsoleTimeoutError';
  }
}

/** The transport closed (or the client was closed) while waiting. */
export class ConsoleClosedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConsoleClosedError';
  }
}

/** The board answered NAK to a packet (2v25+ packet protocol). */
export class PacketRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PacketRefusedError';
  }
}

/** The board answered, but not in the form asked for. */
export class ConsoleProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsoleProtocolError';
  }
}

/** No Espruino console at the port's baud rate; `answeredAt` is the rate it answered at, when one did. */
export class WrongBaudRateError extends Error {
  constructor(
    message: string,
    readonly triedBaudRate: number,
    readonly answeredAt: number | undefined,
  ) {
    super(message);
    this.name = 'WrongBaudRateError';
  }
}
