/** Errors a transport reports: why a port could not be opened, or went away. */

/** The port went away while open (unplugged, peer closed the socket, pty master gone). */
export class PortClosedError extends Error {
  constructor(
    readonly port: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PortClosedError';
  }
}

/** The port could not be opened. */
export class PortOpenError extends Error {
  constructor(
    readonly port: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PortOpenError';
  }
}

/** A write on a port that is not open (never opened, closed, or reconnecting). */
export class PortNotOpenError extends Error {
  constructor(
    readonly port: string,
    message = `${port} is not open`,
  ) {
    super(message);
    this.name = 'PortNotOpenError';
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
