/**
 * Commands in packet mode (Espruino 2v25+, README_Protocol.md "Packet
 * Transfer"; the same exchanges as EspruinoWebTools uart.js espruinoEval,
 * espruinoSendFile, espruinoReceiveFile).
 */
import { describeExpression, evalPacketCode } from './console-commands';
import { BoardError, ConsoleProtocolError, PacketRefusedError } from './console-errors';
import type { ConsoleSession } from './console-session';
import { parseRelaxedJson } from './relaxed-json';
import type { UploadOptions } from './upload-options';
import { CTRL_U } from '../../protocols/espruino/console-bytes';
import { PT_MAX_LENGTH, PacketType, encodePacket } from '../../protocols/espruino/packet';
import { showBytes } from './wire-format';

/**
 * A packet preceded by Ctrl-U: DLE SOH starts a packet only on an empty
 * input line, and Ctrl-U empties it (in order; inside a packet it would be
 * data, but the board is not inside one when a command starts).
 */
function packetCommand(type: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.of(CTRL_U), encodePacket(type, data)]);
}

/**
 * EVAL → RESPONSE (a string `=<JSON>` or `!<error>` in E.toJS form) and ACK,
 * in either order; NAK → PacketRefusedError.
 */
export async function evaluatePacket(session: ConsoleSession, expression: string, timeoutMs?: number): Promise<unknown> {
  const what = `evaluate(${describeExpression(expression)})`;
  const packet = packetCommand(PacketType.EVAL, Buffer.from(evalPacketCode(expression), 'latin1'));
  let response: Buffer | undefined;
  let acked = false;
  const text = await session.exchange<string>(what, packet, timeoutMs, (resolve, reject) => ({
    event(event) {
      if (event.kind === 'nak') {
        reject(new PacketRefusedError(`the board refused the EVAL packet for ${what} (NAK)`));
        return true;
      }
      if (event.kind === 'ack') acked = true;
      else if (event.kind === 'packet' && event.type === PacketType.RESPONSE && response === undefined) response = event.data;
      else return false;
      if (acked && response !== undefined) resolve(response.toString('latin1'));
      return true;
    },
  }));
  let reply: unknown;
  try {
    reply = parseRelaxedJson(text);
  } catch (error) {
    throw new ConsoleProtocolError(`the RESPONSE to ${what} is not a value: ${showBytes(text)} (${(error as Error).message})`);
  }
  if (typeof reply !== 'string' || (reply[0] !== '=' && reply[0] !== '!')) throw new ConsoleProtocolError(`unexpected RESPONSE to ${what}: ${showBytes(text)}`);
  if (reply[0] === '!') throw new BoardError(`Uncaught ${reply.slice(1)}`);
  const json = reply.slice(1);
  if (json === 'undefined') return undefined;
  try {
    return JSON.parse(json);
  } catch {
    throw new ConsoleProtocolError(`the reply to ${what} is not JSON: ${showBytes(json)}`);
  }
}

/** One packet, answered by ACK (resolves) or NAK (PacketRefusedError). */
export function sendPacket(session: ConsoleSession, type: number, data: Buffer, what: string, timeoutMs?: number): Promise<void> {
  return session.exchange<void>(what, packetCommand(type, data), timeoutMs, (resolve, reject) => ({
    event(event) {
      if (event.kind === 'ack') resolve();
      else if (event.kind === 'nak') reject(new PacketRefusedError(`the board refused ${what} (NAK)`));
      else return false;
      return true;
    },
  }));
}

/** FILE_SEND `{"fn":name,"s":size}`, then DATA blocks, each ACKed before the next. */
export async function uploadPackets(session: ConsoleSession, name: string, bytes: Buffer, options: UploadOptions): Promise<void> {
  const chunk = options.chunkBytes ?? session.safeChunkBytes;
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > PT_MAX_LENGTH) throw new RangeError(`chunkBytes must be 1-${PT_MAX_LENGTH}, got ${chunk}`);
  const header = Buffer.from(JSON.stringify({ fn: name, s: bytes.length }), 'latin1');
  await sendPacket(session, PacketType.FILE_SEND, header, `FILE_SEND of ${name} (${bytes.length} bytes)`, options.ackTimeoutMs);
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    const part = bytes.subarray(offset, offset + chunk);
    await sendPacket(session, PacketType.DATA, part, `DATA for ${name} at ${offset} (${part.length} bytes)`, options.ackTimeoutMs);
    options.onProgress?.(offset + part.length, bytes.length);
  }
}

/** FILE_RECV `{"fn":name}` → DATA blocks, an empty DATA, ACK (in any order); NAK: no such file. */
export function readFilePackets(session: ConsoleSession, name: string, timeoutMs?: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let acked = false;
  let ended = false;
  const request = Buffer.from(JSON.stringify({ fn: name }), 'latin1');
  return session.exchange<Buffer | undefined>(`FILE_RECV of ${name}`, packetCommand(PacketType.FILE_RECV, request), timeoutMs, (resolve) => ({
    event(event) {
      if (event.kind === 'nak') resolve(undefined);
      else if (event.kind === 'ack') acked = true;
      else if (event.kind === 'packet' && event.type === PacketType.DATA) {
        if (event.data.length === 0) ended = true;
        else parts.push(event.data);
      } else return false;
      if (acked && ended) resolve(Buffer.concat(parts));
      return true;
    },
  }));
}
