/**
 * A board's console on a serial device through `serialport`: a USB-serial
 * adapter on a Puck.js's Serial1 (9600 baud 8N1 by default, as Espruino's
 * UART console starts), a board's USB CDC port, or a pseudo-terminal (the
 * virtual board's pty link), opened by path without list() so that ptys work.
 *
 * A device that disappears (USB unplugged, the pty's master closed) usually
 * makes `serialport` fail its next read (EIO, ENXIO, EBADF); it then closes
 * the port with a DisconnectedError, which becomes our 'close' with a
 * PortClosedError. Not always: a pty slave whose master hung up can also
 * read as end-of-file, which serialport 13 (bindings-cpp unixRead) retries
 * forever without reporting. So the transport also checks every
 * `presenceCheckMs` that the device node (and the path it was opened by)
 * still exists: udev removes /dev/ttyACM0 on unplug, socat removes its pty
 * symlink and the kernel the /dev/pts/N entry.
 */
import { existsSync, realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { TransportBase } from './transport-base';
import { PortClosedError, PortOpenError, errorText } from './transport-errors';

/** Espruino's default UART console speed (Serial1.setup defaults to 9600 baud). */
export const ESPRUINO_DEFAULT_BAUD = 9600;

export interface SerialTransportOptions {
  /** Default 9600, Espruino's default on Serial1. */
  baudRate?: number;
  /** How often to check that the device still exists. Default 500 ms; 0 turns the check off. */
  presenceCheckMs?: number;
}

export class SerialTransport extends TransportBase {
  private serial: SerialPort | undefined;
  private rate: number;
  private presenceTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    private readonly options: SerialTransportOptions = {},
  ) {
    super(path);
    this.rate = options.baudRate ?? ESPRUINO_DEFAULT_BAUD;
    if (!Number.isInteger(this.rate) || this.rate <= 0) throw new RangeError(`baud rate must be a positive integer, got ${options.baudRate}`);
  }

  /** The line speed in use (meaningless on USB CDC and pseudo-terminals, which ignore it). */
  get baudRate(): number {
    return this.rate;
  }

  open(): Promise<void> {
    if (this.state !== 'closed') return Promise.reject(new PortOpenError(this.port, `${this.port} is already ${this.state}`));
    this.state = 'opening';
    const serial = new SerialPort({ path: this.path, baudRate: this.rate, autoOpen: false });
    return new Promise((resolve, reject) => {
      serial.open((error) => {
        if (error) {
          this.state = 'closed';
          reject(new PortOpenError(this.port, `cannot open ${this.path}: ${errorText(error)}${openHint(error)}`, { cause: error }));
          return;
        }
        this.attach(serial);
        this.state = 'open';
        resolve();
      });
    });
  }

  protected send(bytes: Buffer): Promise<void> {
    const serial = this.serial!;
    return new Promise((resolve, reject) => {
      // serialport closes the port on any failed write (DisconnectedError): the device is gone
      const failed = (error: Error) => reject(new PortClosedError(this.port, `${this.path} went away (write failed: ${errorText(error)})`, { cause: error }));
      serial.write(bytes, (error) => {
        if (error) return failed(error);
        // drain: resolved once the OS has taken the bytes (tcdrain)
        serial.drain((drainError) => (drainError ? failed(drainError) : resolve()));
      });
    });
  }

  /** Changes the line speed of the open port (tcsetattr); used to find a board's baud rate. */
  setBaudRate(baudRate: number): Promise<void> {
    const serial = this.serial;
    this.rate = baudRate;
    if (!serial || this.state !== 'open') return Promise.resolve();
    return new Promise((resolve, reject) => serial.update({ baudRate }, (error) => (error ? reject(error) : resolve())));
  }

  close(): Promise<void> {
    const serial = this.serial;
    if (this.state === 'closed' || !serial) return Promise.resolve();
    this.state = 'closing';
    this.stopPresenceCheck();
    return new Promise((resolve) => {
      serial.close(() => {
        this.serial = undefined;
        this.closedByUs();
        resolve();
      });
    });
  }

  private attach(serial: SerialPort): void {
    this.serial = serial;
    this.startPresenceCheck(serial);
    serial.on('data', (chunk: Buffer) => this.emitData(chunk));
    serial.on('error', (error: Error) => this.emitError(error));
    serial.on('close', (error: Error | null) => {
      if (this.serial === serial) this.serial = undefined;
      this.stopPresenceCheck();
      if (this.state === 'closing') return; // close() settles it
      const why = error ? errorText(error) : 'closed';
      this.lost(new PortClosedError(this.port, `${this.path} went away (${why}): unplugged, reset, or its other end closed`, { cause: error ?? undefined }));
    });
  }

  private startPresenceCheck(serial: SerialPort): void {
    const everyMs = this.options.presenceCheckMs ?? 500;
    if (everyMs <= 0) return;
    let device: string;
    try {
      device = realpathSync(this.path);
    } catch {
      return; // not a filesystem path (e.g. COM3): rely on serialport
    }
    this.presenceTimer = setInterval(() => {
      if (this.serial !== serial || this.state !== 'open') return;
      const missing = !existsSync(device) ? device : !existsSync(this.path) ? this.path : undefined;
      if (missing === undefined) return;
      this.stopPresenceCheck();
      this.lost(new PortClosedError(this.port, `${this.path} went away (${missing} no longer exists): unplugged, reset, or its other end closed`));
      this.serial = undefined;
      serial.close(() => undefined);
    }, everyMs);
    this.presenceTimer.unref();
  }

  private stopPresenceCheck(): void {
    clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
  }
}

function openHint(error: unknown): string {
  const text = errorText(error);
  if (/ENOENT|No such file/i.test(text)) return ' (no such device: is the board plugged in, is the path right?)';
  if (/EACCES|Permission denied/i.test(text)) return ' (permission denied: on Debian add yourself to the dialout group)';
  if (/EBUSY|lock/i.test(text)) return ' (in use by another program, e.g. a terminal or the Espruino IDE)';
  return '';
}
