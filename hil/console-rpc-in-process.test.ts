// Console RPC against the real firmware (dist/strap.js, unmodified) on the
// in-process virtual board: the firmware's console service and the host's
// RpcClient agree on frames, CRCs, the reply cache, errors and events.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardIdentity, ConsoleClient, Transport } from '../host-bridge/contracts';
import { RpcClient, type EventGap, type FirmwareEvent, type RebootNotice } from '../host-bridge/rpc/rpc-client';
import { RpcRemoteError } from '../host-bridge/rpc/rpc-errors';
import { frameCrc } from '../protocols/strap-rpc/frame';
import { FlashMemory } from '../sim/board/storage/flash-memory';
import { createVirtualStrap, type VirtualStrap } from '../sim/scenario/virtual-strap';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { until } from '../testing/until';

const FIRMWARE = readFileSync(BUNDLE_PATH, 'latin1');

/**
 * A ConsoleClient over the in-process board's console: send() types an
 * echo-off line and runs the board a little (later, never inside a board run);
 * printed lines go to 'line'. `damageNextFrame` flips a byte of the next frame
 * the board prints, as a noisy wire would.
 */
class InProcessConsole extends EventEmitter implements ConsoleClient {
  readonly transport = { port: 'in-process', isOpen: true } as unknown as Transport;
  damageNextFrame = false;
  private partial = '';
  constructor(readonly strap: VirtualStrap) {
    super();
    strap.board.console.onOutput((bytes) => this.output(bytes));
  }
  async send(code: string): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.strap.board.console.input('\x10' + code + '\n');
    this.strap.board.run(20);
  }
  async interrupt(): Promise<void> {}
  async evaluate<T>(): Promise<T> {
    throw new Error('not used');
  }
  async identify(): Promise<BoardIdentity> {
    return { board: 'PUCKJS', version: '2v29', env: {} };
  }
  async close(): Promise<void> {}
  private output(bytes: string): void {
    const lines = (this.partial + bytes).split('\n');
    this.partial = lines.pop()!;
    for (let line of lines) {
      if (this.damageNextFrame && line.includes('\x1e')) {
        this.damageNextFrame = false;
        const at = line.indexOf('{') + 2;
        line = line.slice(0, at) + String.fromCharCode(line.charCodeAt(at) ^ 4) + line.slice(at + 1);
      }
      this.emit('line', line.replace(/\r$/, ''));
    }
  }
}

const rpcs: RpcClient[] = [];
afterEach(() => {
  for (const rpc of rpcs.splice(0)) rpc.close();
});

function bootStrap(flash = new FlashMemory()) {
  const strap = createVirtualStrap({ firmware: FIRMWARE, flash, powerOn: false });
  let out = '';
  strap.board.console.onOutput((bytes) => (out += bytes));
  const console = new InProcessConsole(strap);
  strap.board.powerOn();
  strap.board.run(10);
  const rpc = new RpcClient(console, { timeoutMs: 2000, idPrefix: 'p' });
  rpcs.push(rpc);
  /** Types a raw echo-off line and returns what the board printed for it. */
  const raw = (line: string) => {
    const mark = out.length;
    strap.board.console.input('\x10' + line + '\n');
    strap.board.run(10);
    return out.slice(mark);
  };
  return { strap, board: strap.board, console, rpc, raw, output: () => out };
}

const reply = (body: string) => `\x1e${body}|${frameCrc(body)}`;

describe('console RPC with the strap firmware on the in-process virtual board', () => {
  it('answers status with what strap.status() returns', async () => {
    const { board, rpc } = bootStrap();
    board.run(5000);
    const status = await rpc.status();
    const direct = board.evaluate('strap.status()');
    expect(direct.ok).toBe(true);
    expect(status).toEqual(JSON.parse(JSON.stringify(direct.ok && direct.value)));
    expect(status).toMatchObject({ fw: 'strap 0.1.0', mode: 'normal', boots: 1, upS: 5 });
  });

  it('prints replies as STX frames with a CRC-32 the host checks, on their own line', () => {
    const { raw } = bootStrap();
    const body = 'x1|ping|{"a":1}';
    const printed = raw(`strap.rpc(${JSON.stringify(`${body}|${frameCrc(body)}`)})`);
    expect(printed).toMatch(/^\x1eR\|x1\|1\|\{"echo":\{"a":1\},"t":[\d.]+\}\|[0-9a-f]{8}\r\n>$/);
    const line = printed.slice(1, printed.indexOf('\r'));
    expect(frameCrc(line.slice(0, line.lastIndexOf('|')))).toBe(line.slice(line.lastIndexOf('|') + 1));
  });

  it('refuses a request whose CRC does not match with a bad-crc reply, and runs nothing', () => {
    const { raw, board } = bootStrap();
    const body = 'x2|reboot|{}';
    const crc = frameCrc(body);
    const wrong = crc.slice(0, 7) + (crc[7] === '0' ? '1' : '0');
    expect(raw(`strap.rpc("${body}|${wrong}")`)).toContain(reply('R|x2|0|{"code":"bad-crc"}'));
    board.run(1000);
    expect(board.evaluate('strap.status().boots')).toMatchObject({ ok: true, value: 1 });
  });

  it('refuses frames it cannot read with bad-frame or too-long, and keeps working', async () => {
    const { raw, rpc } = bootStrap();
    expect(raw('strap.rpc("garbage")')).toContain(reply('R||0|{"code":"bad-frame"}'));
    expect(raw('strap.rpc(42)')).toContain(reply('R||0|{"code":"bad-frame"}'));
    expect(raw('strap.rpc("a b|ping|{}|00000000")')).toContain(reply('R||0|{"code":"bad-frame"}'));
    const notJson = 'x3|ping|{oops';
    expect(raw(`strap.rpc(${JSON.stringify(`${notJson}|${frameCrc(notJson)}`)})`)).toContain(reply('R|x3|0|{"code":"bad-frame"}'));
    expect(raw(`strap.rpc("${'x'.repeat(600)}")`)).toContain(reply('R||0|{"code":"too-long"}'));
    await expect(rpc.ping('still here')).resolves.toMatchObject({ echo: 'still here' });
  });

  it('answers a repeated frame from its reply cache instead of running the method again', () => {
    const { raw, board } = bootStrap();
    const body = 'x4|ping|null';
    const first = raw(`strap.rpc("${body}|${frameCrc(body)}")`);
    board.run(3000);
    expect(raw(`strap.rpc("${body}|${frameCrc(body)}")`)).toBe(first);
  });

  it('recovers from a reply damaged on the wire by retrying the same id', async () => {
    const { rpc, console } = bootStrap();
    console.damageNextFrame = true;
    await expect(rpc.status()).resolves.toMatchObject({ mode: 'normal' });
    expect(rpc.stats).toMatchObject({ corruptFrames: 1, retries: 1, timeouts: 0 });
  });

  it('answers unknown methods and bad params with typed errors', async () => {
    const { rpc } = bootStrap();
    await expect(rpc.callAny('pay')).rejects.toMatchObject({ code: 'unknown-method', detail: 'pay' });
    await expect(rpc.callAny('toString')).rejects.toMatchObject({ code: 'unknown-method' });
    await expect(rpc.callAny('storage.crc32', { name: 3 })).rejects.toMatchObject({ code: 'bad-params', detail: 'name' });
    const missing = await rpc.storageCrc32('nothing.here').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(RpcRemoteError);
    expect(missing).toMatchObject({ code: 'not-found', detail: 'nothing.here' });
  });

  it('round-trips params outside ASCII', async () => {
    const { rpc } = bootStrap();
    await expect(rpc.ping({ name: 'caf\u00e9 \u00ff', q: 'say "hi" | \\' })).resolves.toMatchObject({ echo: { name: 'caf\u00e9 \u00ff', q: 'say "hi" | \\' } });
  });

  it('reports the content CRC-32 and size of a stored file, as a flasher verifies it', async () => {
    const { rpc } = bootStrap();
    await expect(rpc.storageCrc32('.bootcde')).resolves.toEqual({ name: '.bootcde', size: FIRMWARE.length, crc32: crc32(Buffer.from(FIRMWARE, 'latin1')) >>> 0 });
  });

  it("reports Espruino's Storage.hash, which changes when a matching file is rewritten", async () => {
    const { rpc, board } = bootStrap();
    const before = await rpc.storageHash('^strap');
    await expect(rpc.storageHash('^strap')).resolves.toEqual(before);
    board.writeFile('strap.notes', 'x');
    const after = await rpc.storageHash('^strap');
    expect(after.hash).not.toBe(before.hash);
    expect(typeof after.hash).toBe('number');
  });

  it('reports memory with the Puck.js variable total', async () => {
    const { rpc } = bootStrap();
    const memory = await rpc.memory();
    expect(memory.total).toBe(2630);
    // process.memory() is the board's deep count (what closures keep included), as Espruino's count is: the
    // figure itself is the HIL `memory` scenario's and the benchmarks' to judge
    expect(memory.usage).toBeGreaterThan(0);
    expect(memory.free).toBe(memory.total - memory.usage);
  });
});

describe('firmware events over the console', () => {
  it('prints no event frames while nobody subscribed: the console reads as before', () => {
    const { board, output } = bootStrap();
    board.pressButton(200);
    board.run(61_000);
    expect(output()).toContain('[btn] press');
    expect(output()).toContain('[hb] up=60s');
    expect(output()).not.toContain('\x1e');
  });

  it('announces the boot, then button presses and heartbeats, numbered from 1', async () => {
    const { rpc, board } = bootStrap();
    const events: FirmwareEvent[] = [];
    rpc.on('event', (e) => events.push(e));
    await expect(rpc.subscribe()).resolves.toEqual({ boots: 1, seq: 0 });
    board.pressButton(1500);
    board.run(2000);
    board.run(58_000);
    await until(() => events.length === 3);
    expect(events.map((e) => [e.seq, e.name])).toEqual([
      [1, 'boot'],
      [2, 'btn'],
      [3, 'hb'],
    ]);
    expect(events[0]!.data).toEqual({ boots: 1, mode: 'normal', upS: 0 });
    expect(events[1]!.data).toMatchObject({ long: true, presses: 1 });
    expect(events[2]!.data).toEqual({ upS: 60, battPct: 100, battV: 4.2, mode: 'normal' });
  });

  it('announces safe mode with its reason', async () => {
    const flash = new FlashMemory();
    const first = bootStrap(flash);
    first.board.writeFile('strap.cfg', 'oops');
    first.board.hardReset();
    first.board.run(10);
    const events: FirmwareEvent[] = [];
    first.rpc.on('event', (e) => events.push(e));
    await first.rpc.subscribe();
    await until(() => events.length === 2);
    expect(events.map((e) => e.name)).toEqual(['boot', 'safe']);
    expect(events[0]!.data).toMatchObject({ mode: 'safe', boots: 2 });
    expect(events[1]!.data).toEqual({ reason: 'strap.cfg does not parse (4 bytes)' });
  });

  it('gets back an event damaged on the wire from the strap replay, in order and without a gap', async () => {
    const { rpc, board, console } = bootStrap();
    const seqs: number[] = [];
    const gaps: EventGap[] = [];
    rpc.on('event', (e) => seqs.push(e.seq));
    rpc.on('gap', (g) => gaps.push(g));
    await rpc.subscribe();
    console.damageNextFrame = true;
    board.pressButton(100);
    board.run(1000);
    board.pressButton(100);
    board.run(1000);
    await until(() => seqs.length === 3);
    expect(seqs).toEqual([1, 2, 3]);
    expect(gaps).toEqual([]);
  });

  it('reboots on request, and the client sees the banner and subscribes again', async () => {
    const { rpc, board } = bootStrap();
    const reboots: RebootNotice[] = [];
    const events: FirmwareEvent[] = [];
    rpc.on('reboot', (r) => reboots.push(r));
    rpc.on('event', (e) => events.push(e));
    await rpc.subscribe();
    await expect(rpc.reboot(50)).resolves.toEqual({ inMs: 50 });
    board.run(200);
    await until(() => events.length === 2);
    expect(reboots.map((r) => r.boots)).toEqual([2]);
    expect(events.map((e) => [e.boots, e.seq, e.name])).toEqual([
      [1, 1, 'boot'],
      [2, 1, 'boot'],
    ]);
  });
});
