/**
 * Commands in text mode (any Espruino): echo-off lines whose answers come
 * back as reply frames (console-commands.ts, wire-format.ts).
 */
import { UncaughtBlock, isUncaughtStart } from './uncaught-report';
import { describeExpression, evaluateCommand, syncCommand } from './console-commands';
import { BoardError, ConsoleProtocolError, ConsoleTimeoutError } from './console-errors';
import type { ConsoleSession } from './console-session';
import type { UploadOptions } from './upload-options';
import { FRAME_SYNC, FRAME_VALUE, showBytes } from './wire-format';

/**
 * The value of `expression`: the value frame, then the sync frame. With no
 * value frame, the last `Uncaught …` report printed before the sync frame
 * is the error; other reports seen meanwhile go out as lines.
 */
export function evaluateText(session: ConsoleSession, expression: string, timeoutMs?: number): Promise<unknown> {
  const id = session.ids.next();
  const command = evaluateCommand(expression, id);
  const what = `evaluate(${describeExpression(expression)})`;
  let value: string | undefined;
  const blocks: UncaughtBlock[] = [];
  let current: UncaughtBlock | undefined;
  let garbled = false;
  let released = false;
  /** Reports held back in case they were this command's error go out as lines after all. */
  const release = (except?: UncaughtBlock) => {
    if (released) return;
    released = true;
    for (const b of blocks) if (b !== except) for (const l of b.lines) session.emitLine(l);
  };
  const reply = session.exchange<unknown>(what, command, timeoutMs, (resolve, reject) => ({
    line(text) {
      if (current?.accepts(text)) return true;
      current = undefined;
      if (!isUncaughtStart(text)) return false;
      current = new UncaughtBlock(text);
      blocks.push(current);
      return true;
    },
    event(event) {
      if (event.kind === 'dropped') {
        if (event.bytes.includes(id)) garbled = true;
        return false;
      }
      if (event.kind !== 'frame' || event.id !== id) return false;
      if (event.tag === FRAME_VALUE) {
        value = event.payload;
        return true;
      }
      if (event.tag !== FRAME_SYNC) return false;
      if (value !== undefined) {
        release();
        try {
          resolve(value === 'undefined' ? undefined : JSON.parse(value));
        } catch {
          reject(new ConsoleProtocolError(`the reply to ${what} is not JSON: ${showBytes(value)}`));
        }
      } else if (blocks.length > 0) {
        const error = blocks[blocks.length - 1]!;
        release(error);
        reject(new BoardError(error.text));
      } else if (garbled) {
        reject(new ConsoleProtocolError(`the reply to ${what} was garbled on the wire (the board did run it)`));
      } else {
        reject(new ConsoleProtocolError(`the board printed no value for ${what} (did print() or the console go elsewhere?)`));
      }
      return true;
    },
  }));
  return reply.catch((error: unknown) => {
    release();
    throw error;
  });
}

/**
 * Ctrl-U and a sync line until the sync frame comes back, `attempts` times:
 * a board swallowing input as a half packet NAKs it after 1 s, then the
 * next try gets through.
 */
export async function syncConsole(session: ConsoleSession, timeoutMs: number | undefined, attempts: number): Promise<void> {
  const perAttempt = timeoutMs ?? Math.max(1200, session.defaultTimeoutMs / attempts);
  for (let attempt = 1; ; attempt++) {
    const id = session.ids.next();
    try {
      await session.exchange<void>('sync', syncCommand(id), perAttempt, (resolve) => ({
        event(event) {
          if (event.kind !== 'frame' || event.id !== id || event.tag !== FRAME_SYNC) return false;
          resolve();
          return true;
        },
      }));
      return;
    } catch (error) {
      if (!(error instanceof ConsoleTimeoutError) || attempt >= attempts) throw error;
    }
  }
}

/** `require("Storage").write(name, atob(chunk), offset[, size])`, one checked line per chunk. */
export async function uploadText(session: ConsoleSession, name: string, bytes: Buffer, options: UploadOptions): Promise<void> {
  const chunk = options.chunkBytes ?? session.safeChunkBytes;
  const file = JSON.stringify(name);
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const part = bytes.subarray(offset, offset + chunk);
    const size = offset === 0 ? `,${bytes.length}` : '';
    const ok = await evaluateText(session, `require("Storage").write(${file},atob("${part.toString('base64')}"),${offset}${size})`, options.ackTimeoutMs);
    if (ok !== true) throw new ConsoleProtocolError(`Storage.write of ${name} at ${offset} returned ${JSON.stringify(ok)}`);
    options.onProgress?.(offset + part.length, bytes.length);
  }
}

/** The file's length, then base64 of 1 KB pieces (Storage.read with offset and length maps flash, no copy). */
export async function readFileText(session: ConsoleSession, name: string, timeoutMs?: number): Promise<Buffer | undefined> {
  const file = JSON.stringify(name);
  const length = await evaluateText(session, `(function(f){return f===undefined?-1:f.length})(require("Storage").read(${file}))`, timeoutMs);
  if (typeof length !== 'number') throw new ConsoleProtocolError(`length of ${name}: ${JSON.stringify(length)}`);
  if (length < 0) return undefined;
  const parts: Buffer[] = [];
  for (let offset = 0; offset < length; offset += 1024) {
    const b64 = await evaluateText(session, `btoa(require("Storage").read(${file},${offset},${Math.min(1024, length - offset)}))`, timeoutMs);
    parts.push(Buffer.from(String(b64), 'base64'));
  }
  return Buffer.concat(parts);
}
