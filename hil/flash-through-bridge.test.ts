// Issue 4, item 2: flashing through the host bridge over TCP to the virtual
// board (paced to the wall clock). The `espruino` package's packet upload
// writes the inactive slot, the flasher verifies its CRC on the board,
// switches the slot record, resets and waits for the banner; interrupted
// flashes leave the previous firmware (or the loader's safe mode) booting.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../host-bridge/contracts';
import { connectConsole, EspruinoConsoleClient } from '../host-bridge/console/index';
import { FlashInterruptedError, FlashVerifyError, NotStrapFirmwareError, flashFirmware, LOADER_SOURCE, type FlashProgress } from '../host-bridge/flash/index';
import { PortClosedError, TcpTransport } from '../host-bridge/transports/index';
import { startVirtualBoardOnTcp, type VirtualBoardOnTcp } from './rigs/virtual/virtual-board-on-tcp';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { miniFirmware, withVersion } from './mini-firmware';

const BUNDLE = readFileSync(BUNDLE_PATH, 'latin1');

let rig: VirtualBoardOnTcp | undefined;
let client: EspruinoConsoleClient | undefined;
/** Boards a test opened besides `rig` (several at once). */
const others: { rig: VirtualBoardOnTcp; client: EspruinoConsoleClient }[] = [];
afterEach(async () => {
  await client?.close().catch(() => undefined);
  await rig?.stop();
  rig = client = undefined;
  for (const other of others.splice(0)) {
    await other.client.close().catch(() => undefined);
    await other.rig.stop();
  }
});

async function openBoard(files: Record<string, string>, timeoutMs: number): Promise<{ rig: VirtualBoardOnTcp; client: EspruinoConsoleClient }> {
  const board = await startVirtualBoardOnTcp();
  for (const [name, data] of Object.entries(files)) board.board.writeFile(name, data);
  board.board.hardReset();
  const console = await connectConsole(board.tcp.url, { timeoutMs });
  return { rig: board, client: console };
}

async function boardWith(files: Record<string, string>, timeoutMs = 5000): Promise<EspruinoConsoleClient> {
  ({ rig, client } = await openBoard(files, timeoutMs));
  return client;
}

/** Flashes miniFirmware('1.0.0') into slot a through the bridge. */
async function flashMiniFirmware(c: EspruinoConsoleClient): Promise<void> {
  const first = await flashFirmware(c, { bundle: miniFirmware('1.0.0'), force: true });
  expect(first.slot).toBe('strap.a');
}

/** A board already flashed (through the bridge) with miniFirmware('1.0.0') in slot a. */
async function boardOnMiniFirmware(timeoutMs?: number): Promise<EspruinoConsoleClient> {
  const c = await boardWith({}, timeoutMs);
  await flashMiniFirmware(c);
  return c;
}

/** What the board prints when it boots from Storage now. */
async function bannerAfterPowerCycle(on = rig!): Promise<string> {
  const mark = on.output().length;
  if (on.board.powered) on.board.powerCycle(100);
  else on.board.powerOn();
  const pattern = /strap \S+ on PUCKJS \(Espruino 2v29\), boot #\d+|strap loader: SAFE MODE[^\r\n]*/;
  for (let i = 0; i < 200; i++) {
    const m = on.output().slice(mark).match(pattern);
    if (m) return m[0];
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing booted: ${on.output().slice(mark)}`);
}

describe('flashing through the host bridge (TCP)', () => {
  it('replaces the strap firmware with dist/strap.js: progress in every phase, banner, boots it again after a reset and a power cycle', async () => {
    const c = await boardWith({ '.bootcde': BUNDLE });
    const phases: FlashProgress[] = [];
    const next = withVersion(BUNDLE, '0.1.0', '0.2.0');
    const result = await flashFirmware(c, { bundle: next, onProgress: (p) => phases.push(p) });

    expect(result.banner).toMatch(/^strap 0\.2\.0 on PUCKJS \(Espruino 2v29\), boot #2$/);
    expect(result.previous).toBe('strap 0.1.0 from .bootcde on PUCKJS, Espruino 2v29');
    expect(result.bytes).toBe(next.length);
    expect(rig!.board.readFile(result.slot)).toBe(next);
    expect(rig!.board.readFile('.bootcde')).toBe(LOADER_SOURCE);
    // A 20 KB bundle and its predecessor do not both fit in 40 KB: single slot.
    expect(result.keptPrevious).toBe(false);
    expect(new Set(phases.map((p) => p.phase))).toEqual(new Set(['identify', 'prepare', 'upload', 'verify', 'activate', 'reset', 'banner']));
    const uploads = phases.filter((p) => p.phase === 'upload').map((p) => p.sentBytes);
    expect(uploads.length).toBeGreaterThan(next.length / 1024);
    expect(uploads).toEqual([...uploads].sort((a, b) => a - b));
    expect(uploads.at(-1)).toBe(next.length);

    rig!.board.hardReset();
    await rig!.waitForOutput(/strap 0\.2\.0 on PUCKJS \(Espruino 2v29\), boot #3/);
    expect(await bannerAfterPowerCycle()).toMatch(/strap 0\.2\.0 .* boot #4/);
    expect(rig!.output()).not.toMatch(/Uncaught|SAFE MODE/);
  }, 30_000);

  it('flashes the inactive slot and keeps the previous firmware when both fit', async () => {
    const c = await boardOnMiniFirmware();
    const result = await flashFirmware(c, { bundle: miniFirmware('1.1.0') });
    expect(result).toMatchObject({ slot: 'strap.b', keptPrevious: true, previous: 'strap 1.0.0 from slot a on PUCKJS, Espruino 2v29' });
    expect(result.banner).toMatch(/^strap 1\.1\.0 on PUCKJS/);
    expect(rig!.board.readFile('strap.a')).toBe(miniFirmware('1.0.0'));
    expect(await bannerAfterPowerCycle()).toMatch(/^strap 1\.1\.0/);
    // and back: the next flash goes to slot a
    expect((await flashFirmware(c, { bundle: miniFirmware('1.2.0') })).slot).toBe('strap.a');
  }, 30_000);

  it('a byte flipped in transit fails verification naming both CRCs; the previous firmware still boots', async () => {
    rig = await startVirtualBoardOnTcp();
    const transport = new ByteFlipper(new TcpTransport(rig.tcp.url, '127.0.0.1', rig.tcp.port));
    client = await EspruinoConsoleClient.connect(transport);
    await flashFirmware(client, { bundle: miniFirmware('1.0.0'), force: true });
    const flash = flashFirmware(client, {
      bundle: miniFirmware('1.1.0'),
      onProgress: (p) => p.phase === 'upload' && p.sentBytes === 0 && (transport.armed = true),
    });
    await expect(flash).rejects.toThrow(FlashVerifyError);
    await expect(flash).rejects.toThrow(/strap\.b on the board has 3\d+ bytes with CRC-32 0x[0-9a-f]{8}, sent 3\d+ bytes with CRC-32 0x[0-9a-f]{8}; the board boots strap 1\.0\.0 \(slot a\)/);
    expect(transport.flipped).toBe(1);
    expect(await bannerAfterPowerCycle()).toMatch(/^strap 1\.0\.0/);
  }, 30_000);

  it('a power cut mid-upload: the flash fails and the board boots the previous firmware', async () => {
    const c = await boardOnMiniFirmware(1500);
    const flash = flashFirmware(c, {
      bundle: miniFirmware('1.1.0'),
      chunkBytes: 256,
      onProgress: (p) => p.phase === 'upload' && p.sentBytes === 512 && rig!.board.flash.cutPowerAfterBytes(100),
    });
    await expect(flash).rejects.toThrow(FlashInterruptedError);
    await expect(flash).rejects.toThrow(/strap\.b at 512\/3\d+ bytes .*the board boots strap 1\.0\.0 \(slot a\)/);
    expect(rig!.board.powered).toBe(false);
    expect(await bannerAfterPowerCycle()).toMatch(/^strap 1\.0\.0/);
  }, 30_000);

  it('a power cut while the slot record is written: the board boots the previous or the new firmware, never nothing', async () => {
    // one board per cut, all at once: each flash waits out the host's timeout on a board gone silent
    const booted = await Promise.all(
      [1, 8, 31, 33, 50, 70, 120].map(async (cutAfterBytes) => {
        const board = await openBoard({}, 1500);
        others.push(board);
        await flashMiniFirmware(board.client);
        const flash = flashFirmware(board.client, {
          bundle: miniFirmware('1.1.0'),
          onProgress: (p) => p.phase === 'activate' && p.sentBytes === 0 && board.rig.board.flash.cutPowerAfterBytes(cutAfterBytes),
        });
        await flash.catch(() => undefined);
        const banner = await bannerAfterPowerCycle(board.rig);
        expect(banner, `cut after ${cutAfterBytes} bytes`).toMatch(/^strap 1\.[01]\.0 on PUCKJS/);
        return banner.slice(0, 11);
      }),
    );
    // Cuts early in the record boot the previous firmware; the last one is past the record's end.
    expect(booted[0]).toBe('strap 1.0.0');
    expect(booted.at(-1)).toBe('strap 1.1.0');
  }, 90_000);

  it('a board that does not run the strap firmware: NotStrapFirmwareError saying what it found, Storage untouched', async () => {
    const c = await boardWith({ '.bootcde': 'print("hello from another app")' });
    const before = rig!.board.flash.read(0, rig!.board.flash.sizeBytes);
    const flash = flashFirmware(c, { bundle: miniFirmware('1.0.0') });
    await expect(flash).rejects.toThrow(NotStrapFirmwareError);
    await expect(flash).rejects.toThrow('no strap firmware on this board (found: PUCKJS, Espruino 2v29, .bootcde of 31 bytes starting "print(\\"hello from another app\\")")');
    expect(rig!.board.flash.read(0, rig!.board.flash.sizeBytes)).toEqual(before);
  }, 30_000);

  it('an empty board needs force, and then gets the loader and the firmware', async () => {
    const c = await boardWith({});
    await expect(flashFirmware(c, { bundle: BUNDLE })).rejects.toThrow('no strap firmware on this board (found: PUCKJS, Espruino 2v29, no boot code)');
    const result = await flashFirmware(c, { bundle: BUNDLE, force: true });
    expect(result.previous).toBe('PUCKJS, Espruino 2v29, no boot code');
    expect(result.banner).toMatch(/^strap 0\.1\.0 on PUCKJS \(Espruino 2v29\), boot #1$/);
    expect(await bannerAfterPowerCycle()).toMatch(/^strap 0\.1\.0 .* boot #2/);
  }, 30_000);

  it('the port closing mid-upload is an error naming the port and the bytes stored', async () => {
    const c = await boardOnMiniFirmware();
    const flash = flashFirmware(c, {
      bundle: miniFirmware('1.1.0'),
      chunkBytes: 256,
      onProgress: (p) => p.phase === 'upload' && p.sentBytes === 256 && void rig!.tcp.close(),
    });
    await expect(flash).rejects.toThrow(FlashInterruptedError);
    await expect(flash).rejects.toThrow(new RegExp(`^${rig!.tcp.url} (closed|failed) during the upload of strap\\.b at 256/3\\d+ bytes.*the board boots strap 1\\.0\\.0 \\(slot a\\)`));
    // the port going away is in its causes, which `strap flash` reports as unreachable (exit 3: cli/exit-codes.test.ts)
    const causes: unknown[] = [];
    for (let e: unknown = await flash.catch((error: unknown) => error); e instanceof Error; e = e.cause) causes.push(e);
    expect(causes.some((e) => e instanceof PortClosedError)).toBe(true);
  }, 30_000);

  it('neither slot valid: the loader says SAFE MODE, the console answers, and the flasher repairs it without force', async () => {
    const c = await boardOnMiniFirmware();
    rig!.board.writeFile('strap.a', miniFirmware('1.0.0').replace('1.0.0', '6.6.6')); // same size, other CRC
    expect(await bannerAfterPowerCycle()).toBe('strap loader: SAFE MODE: no valid firmware slot (bad: a)');
    const result = await flashFirmware(c, { bundle: miniFirmware('1.1.0') });
    expect(result.previous).toBe('the strap loader in safe mode: no valid slot on PUCKJS, Espruino 2v29');
    expect(await bannerAfterPowerCycle()).toMatch(/^strap 1\.1\.0/);
  }, 30_000);
});

/** A transport that flips one bit of the first write of 64 bytes or more once armed (a line error the packet protocol does not catch). */
class ByteFlipper extends EventEmitter implements Transport {
  armed = false;
  flipped = 0;
  constructor(private readonly inner: Transport) {
    super();
    inner.on('data', (d) => this.emit('data', d));
    inner.on('close', (e) => this.emit('close', e));
    inner.on('error', (e) => this.emit('error', e));
  }
  get port() {
    return this.inner.port;
  }
  get isOpen() {
    return this.inner.isOpen;
  }
  open() {
    return this.inner.open();
  }
  close() {
    return this.inner.close();
  }
  write(data: Buffer | string) {
    let bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    if (this.armed && bytes.length >= 64) {
      this.armed = false;
      this.flipped++;
      bytes = Buffer.from(bytes);
      bytes[40] = bytes[40]! ^ 0x01;
    }
    return this.inner.write(bytes);
  }
}
