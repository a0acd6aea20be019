// The host bridge's console client (host-bridge/console) against the
// virtual Espruino 2v29 board on TCP, paced to the wall clock: both ways of
// talking (echo-off lines with reply frames, and 2v25+ packets), firmware
// logs interleaved with replies, errors thrown on the board, noise from the
// board, timeouts, Storage uploads the board then boots from.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { connectConsole, BoardError, ConsoleProtocolError, ConsoleTimeoutError, type EspruinoConsoleClient } from '../host-bridge/console/index';
import type { ConsoleLink } from '../sim/board/console/console-link';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from './rigs/virtual/virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { until } from '../testing/until';

const FIRMWARE = readFileSync(BUNDLE_PATH);

let rig: VirtualBoardOnTcp | undefined;
let client: EspruinoConsoleClient | undefined;
afterEach(async () => {
  await client?.close().catch(() => undefined);
  await rig?.stop();
  rig = client = undefined;
});

async function connect(protocol: 'auto' | 'text' | 'packets' = 'auto', options: { packetReceiveTimeoutMs?: number } = {}) {
  rig = await startVirtualBoardOnTcp();
  await rig.waitForOutput(/>$/);
  client = await connectConsole(rig.tcp.url, { protocol, timeoutMs: 3000, ...options });
  const lines: string[] = [];
  client.on('line', (l) => lines.push(l));
  return { rig, client, lines };
}

/** Bytes straight onto the board → host wire (noise, half packets), as if the board had sent them. */
function boardSends(r: VirtualBoardOnTcp, bytes: string): void {
  (r.board.link('Serial1') as unknown as ConsoleLink).emit(bytes);
}

describe('console client on the virtual board: protocol choice', () => {
  it('picks packets for a 2v29 board (VERSION ≥ 2v25) and identifies it from process.env', async () => {
    const { client } = await connect('auto');
    expect(await client.evaluate('1+2')).toBe(3);
    expect(client.protocol).toBe('packets');
    const id = await client.identify();
    expect(id).toMatchObject({ board: 'PUCKJS', version: '2v29' });
    expect(id.env.CONSOLE).toBe('Serial1');
  });
});

describe.each(['packets', 'text'] as const)('console client on the virtual board (%s)', (protocol) => {
  it('evaluate returns values', async () => {
    const { client } = await connect(protocol);
    expect(await client.evaluate('[1, "two", {three: 3}, null, true]')).toEqual([1, 'two', { three: 3 }, null, true]);
    expect(await client.evaluate('undefined')).toBeUndefined();
    expect(await client.evaluate('"quote \\" and \\\\ and \\n"')).toBe('quote " and \\ and \n');
    expect(await client.evaluate('process.env.BOARD')).toBe('PUCKJS');
    expect(await client.evaluate('E.getBattery() > 0')).toBe(true);
  });

  it('firmware logs printed every few ms come out on "line" and never corrupt a reply', async () => {
    const { client, lines } = await connect(protocol);
    await client.send('var n = 0; var tickTimer = setInterval(function () { print("tick " + (n++)); }, 3)');
    for (let i = 0; i < 25 || lines.length < 20; i++) expect(await client.evaluate(`${i}*${i}`)).toBe(i * i);
    await client.send('clearInterval(tickTimer)');
    expect(lines.every((l) => /^tick \d+$/.test(l))).toBe(true);
    const numbers = lines.map((l) => Number(l.slice(5)));
    expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i)); // none lost, none doubled
  });

  it("an exception on the board is a BoardError with Espruino's Uncaught text", async () => {
    const { client } = await connect(protocol);
    const error = await client.evaluate('missingThing.x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BoardError);
    expect((error as BoardError).uncaught).toMatch(/^Uncaught ReferenceError: "?missingThing"? is not defined$/);
    if (protocol === 'text') expect((error as BoardError).message).toMatch(/\n {4}at REPL \(:1:\d+\)\n.*missingThing.*\n *\^$/);
    await expect(client.evaluate('(function () { throw new Error("boom"); })()')).rejects.toThrow(/^Uncaught Error: boom/);
    await expect(client.evaluate('1 +* 2')).rejects.toThrow(/^Uncaught SyntaxError/);
    expect(await client.evaluate('"still fine"')).toBe('still fine');
  });

  it('noise from the board around replies is skipped and the next reply is read', async () => {
    const { client, rig, lines } = await connect(protocol);
    boardSends(rig, '\x02\x03\xff\x00garbage\x02zz\r\n');
    boardSends(rig, 'half a line=3\x03abcdef\r\n');
    expect(await client.evaluate('7*6')).toBe(42);
    await client.send('print("after noise")');
    await until(() => lines.includes('after noise'));
    expect(lines.filter((l) => l.includes('half a line'))).toEqual([]);
  });

  it('a reply that is not what was asked for is a protocol error, not a wrong value', async () => {
    const { client } = await connect(protocol);
    await client.evaluate('1'); // protocol decided before JSON is broken
    await client.send('var realStringify = JSON.stringify; JSON.stringify = function () { return "{broken"; }');
    await expect(client.evaluate('5')).rejects.toThrow(ConsoleProtocolError);
    await expect(client.evaluate('5')).rejects.toThrow(/is not JSON: \{broken/);
    await client.send('JSON.stringify = realStringify');
    expect(await client.evaluate('6')).toBe(6);
  });

  it('no answer is a timeout naming what came back; the client goes on afterwards', async () => {
    const { client, rig } = await connect(protocol);
    await client.evaluate('1');
    rig.board.evaluate('E.setConsole("Bluetooth")');
    await expect(client.evaluate('1', { timeoutMs: 300 })).rejects.toThrow(ConsoleTimeoutError);
    rig.board.evaluate('E.setConsole("Serial1")');
    await client.sync();
    expect(await client.evaluate('2')).toBe(2);
  });

  it('uploads the firmware into Storage, reads it back identical, and the board boots it', async () => {
    const { client, rig } = await connect(protocol);
    const progress: number[] = [];
    await client.uploadFile('.bootcde', FIRMWARE, { onProgress: (sent) => progress.push(sent) });
    expect(progress.at(-1)).toBe(FIRMWARE.length);
    expect(progress.length).toBe(Math.ceil(FIRMWARE.length / 1024));
    expect(rig.board.readFile('.bootcde')).toBe(FIRMWARE.toString('latin1'));
    expect(await client.readFile('.bootcde')).toEqual(FIRMWARE);
    expect(await client.readFile('no-such-file')).toBeUndefined();
    expect(await client.hasGlobal('strap')).toBe(false);
    await client.send('load()');
    await rig.waitForOutput(/strap \d+\.\d+\.\d+ on PUCKJS \(Espruino 2v29\), boot #1/);
    expect(await client.hasGlobal('strap')).toBe(true);
  });

  it('hands events to E.on("packet") in the firmware', async () => {
    const { client, lines } = await connect(protocol);
    await client.send('E.on("packet", function (d) { print("event", d.kind, d.n); })');
    await client.emitPacketEvent({ kind: 'tap', n: 2 });
    await until(() => lines.includes('event tap 2'));
  });

  it('a half line left on the board (noise, someone typing) does not swallow the next command', async () => {
    const { client, rig } = await connect(protocol);
    await client.evaluate('0');
    await client.transport.write('#&*(garbage');
    expect(await client.evaluate('8')).toBe(8);
    await client.transport.write('more "garbage');
    await client.uploadFile('note.txt', 'after noise');
    expect(rig.board.readFile('note.txt')).toBe('after noise');
  });

  it('interrupt() clears a half-typed statement', async () => {
    const { client } = await connect(protocol);
    await client.transport.write('var unfinished = (');
    await client.interrupt();
    expect(await client.evaluate('typeof unfinished')).toBe('undefined');
  });
});

describe('console client on the virtual board: packet mode recovery', () => {
  it('a half packet from the board (noise) is dropped after its timeout and the client goes on', async () => {
    const { client, rig } = await connect('packets', { packetReceiveTimeoutMs: 600 });
    await client.evaluate('0');
    const dropped = new Promise<string>((resolve) => client.on('dropped', (d) => resolve(d.reason)));
    // DLE SOH and a header announcing 8000 bytes that never come: it swallows the next reply
    boardSends(rig, '\x10\x01\x9f\x40');
    await expect(client.evaluate('1', { timeoutMs: 300 })).rejects.toThrow(ConsoleTimeoutError);
    expect(await dropped).toBe('packet incomplete at timeout');
    expect(await client.evaluate('2')).toBe(2);
  });

});
