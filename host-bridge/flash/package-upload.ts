/**
 * A Storage file upload done by the `espruino` package's own code
 * (EspruinoTools 0.1.67 core/serial.js `Connection.espruinoSendFile`: the
 * 2v25+ packets FILE_SEND `{"fn","s"}` then DATA blocks, each waiting for the
 * board's ACK) over the host bridge's Transport. The package runs in a worker
 * thread (espruino-tools-worker.cjs), one for the process, started at the
 * first upload and holding the process open only while an upload runs; this
 * side relays bytes both ways.
 *
 * Why this route: the package's transports open only serial ports that
 * `serialport.list()` enumerates, and TCP (host-bridge/ESPRUINO-CLI.md), so
 * they cannot reach a pseudo-terminal; here the package prepares every packet
 * and our transport carries them, whatever the port.
 */
import { Worker } from 'node:worker_threads';
import type { Transport } from '../contracts';
import { PortClosedError } from '../transports/index';

export interface PackageUploadOptions {
  /** Bytes per DATA packet. */
  chunkBytes: number;
  /** After each acknowledged DATA packet: bytes the board has stored so far. */
  onProgress?: (ackedBytes: number) => void;
  /** Stops the upload (between packets, or mid-packet: the board drops a packet not complete within 1 s). */
  signal?: AbortSignal;
}

/** The upload stopped: the port closed, the board NAKed or went silent, or it was stopped on request. */
export class UploadInterruptedError extends Error {
  constructor(
    message: string,
    readonly ackedBytes: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UploadInterruptedError';
  }
}

/** Bytes per Transport.write: small enough that a dead port is noticed within one piece. */
const WRITE_PIECE_BYTES = 256;

export function uploadWithEspruinoPackage(transport: Transport, name: string, data: Buffer, options: PackageUploadOptions): Promise<void> {
  const worker = packageWorker();
  const id = ++lastUploadId;
  if (running++ === 0) worker.ref();
  let acked = 0;
  let writing = Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      running = Math.max(0, running - 1);
      if (running === 0) worker.unref();
      transport.off('data', onData);
      transport.off('close', onClose);
      options.signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (error) worker.postMessage({ kind: 'cancel', id });
      if (error) reject(error);
      else resolve();
    };
    const where = () => `${name} at ${acked}/${data.length} bytes`;
    const onData = (bytes: Buffer) => worker.postMessage({ kind: 'rx', id, data: new Uint8Array(bytes) });
    const onClose = (error?: Error) => {
      const message = `${transport.port} closed during the upload of ${where()}${error ? `: ${error.message}` : ''}`;
      finish(new UploadInterruptedError(message, acked, { cause: new PortClosedError(transport.port, message, { cause: error }) }));
    };
    const onAbort = () => finish(new UploadInterruptedError(`stopped on request during the upload of ${where()}`, acked, { cause: options.signal?.reason }));
    const onMessage = (message: WorkerMessage) => {
      if (message.id !== id) return;
      switch (message.kind) {
        case 'write':
          writing = writing
            .then(() => (settled ? undefined : transport.write(Buffer.from(message.data, 'latin1'))))
            .catch((error: Error) => finish(new UploadInterruptedError(`${transport.port} failed during the upload of ${where()}: ${error.message}`, acked, { cause: error })));
          return;
        case 'progress':
          acked = message.ackedBytes;
          options.onProgress?.(acked);
          return;
        case 'done':
          acked = data.length;
          options.onProgress?.(acked);
          return finish();
        case 'failed':
          return finish(new UploadInterruptedError(`${transport.port}: the board did not take ${where()} (espruino package: ${message.reason})`, acked));
      }
    };
    const onError = (error: Error) => finish(new Error(`the espruino package failed: ${error.message}`));
    const onExit = (code: number) => finish(new Error(`the espruino package's worker exited (code ${code}) before the upload of ${name} ended`));
    transport.on('data', onData);
    transport.on('close', onClose);
    options.signal?.addEventListener('abort', onAbort);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    if (options.signal?.aborted) return onAbort();
    if (!transport.isOpen) return onClose();
    worker.postMessage({ kind: 'upload', id, name, data: data.toString('latin1'), chunkBytes: options.chunkBytes, writeBytes: WRITE_PIECE_BYTES });
  });
}

type WorkerMessage =
  | { kind: 'ready'; id?: undefined }
  | { kind: 'write'; id: number; data: string }
  | { kind: 'progress'; id: number; ackedBytes: number }
  | { kind: 'done'; id: number }
  | { kind: 'failed'; id: number; reason: string };

let lastUploadId = 0;
/** Uploads in progress: the worker keeps the process alive only while there are some. */
let running = 0;
let shared: Worker | undefined;

/** The process's package worker; a new one if the last one died. */
function packageWorker(): Worker {
  if (shared) return shared;
  const worker = new Worker(new URL('./espruino-tools-worker.cjs', import.meta.url));
  worker.unref();
  worker.setMaxListeners(0);
  const forget = () => {
    if (shared !== worker) return;
    shared = undefined;
    running = 0;
  };
  worker.once('error', forget);
  worker.once('exit', forget);
  shared = worker;
  return worker;
}
