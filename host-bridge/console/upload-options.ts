/** Options of a Storage upload, in either protocol. */
export interface UploadOptions {
  /** Bytes per DATA packet (or per Storage.write line in text mode). Default 1024, less on slow serial lines. */
  chunkBytes?: number;
  /** Called after each acknowledged chunk with the bytes stored so far and the total. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Wait for each acknowledgement. Default: the client's timeout (5000 ms, as uart.js espruinoSendPacket). */
  ackTimeoutMs?: number;
}
