/**
 * A Storage file upload done by the `espruino` package's own code
 * (EspruinoTools 0.1.67 core/serial.js `Connection.espruinoSendFile`: the
 * 2v25+ packets FILE_SEND `{"fn","s"}` then DATA blocks, each waiting for the
 * board's ACK) over the host bridge's Transport. The package runs in a worker
 * thread (espruino-tools-worker.cjs); this side relays bytes both ways.
 *
 * Why this route: the package's transports open only serial ports that
 * `serialport.list()` enumerates, and TCP (host-bridge/ESPRUINO-CLI.md), so
 * they cannot reach a pseudo-terminal; here the package prepares every packet
 * and our transport carries them, whatever the port.
 */
import { Worker } from 'node:worker_threads';
import type { Transport } from '../contracts.js';
import { PortClosedError } from '../transports/index.js';

export interface PackageUploadOptions {
  /** Bytes per DATA packet. */
  chunkBytes: number;
  /** After each acknowledged DATA packet: bytes the board has stored so far. */
  onProgress?: (ackedBytes: number) => void;
}

/** The upload stopped: the port closed, the board NAKed or went silent. */
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
  const worker = new Worker(new URL('./espruino-tools-worker.cjs', import.meta.url), {
    workerData: { name, data: data.toString('latin1'), chunkBytes: options.chunkBytes, writeBytes: WRITE_PIECE_BYTES },
  });
  let acked = 0;
  let writing = Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      transport.off('data', onData);
      transport.off('close', onClose);
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    const where = () => `${name} at ${acked}/${data.length} bytes`;
    const onData = (bytes: Buffer) => worker.postMessage({ kind: 'rx', data: new Uint8Array(bytes) });
    const onClose = (error?: Error) => {
      const message = `${transport.port} closed during the upload of ${where()}${error ? `: ${error.message}` : ''}`;
      finish(new UploadInterruptedError(message, acked, { cause: new PortClosedError(transport.port, message, { cause: error }) }));
    };
    transport.on('data', onData);
    transport.on('close', onClose);
    if (!transport.isOpen) return onClose();
    worker.on('message', (message: WorkerMessage) => {
      switch (message.kind) {
        case 'write':
          writing = writing
            .then(() => transport.write(Buffer.from(message.data, 'latin1')))
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
    });
    worker.on('error', (error) => finish(new Error(`the espruino package failed: ${error.message}`)));
    worker.on('exit', (code) => finish(new Error(`the espruino package's worker exited (code ${code}) before the upload of ${name} ended`)));
  });
}

type WorkerMessage =
  | { kind: 'write'; data: string }
  | { kind: 'progress'; ackedBytes: number }
  | { kind: 'done' }
  | { kind: 'failed'; reason: string };
