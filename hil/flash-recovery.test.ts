// Issue 8 regressions of the flasher (host-bridge/flash), on in-memory
// virtual boards (hil/rigs/virtual/board-on-memory-link.ts) with a Puck.js's 40 KB of
// Storage: what an interrupted, oversized, foreign or broken flash leaves, and
// that the next flash (or a rollback) gets the strap booting again.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { EspruinoConsoleClient } from '../host-bridge/console/index';
import {
  FlashAbortedError,
  FlashBootError,
  FlashInterruptedError,
  FlashNoRoomError,
  NotStrapBundleError,
  NotStrapFirmwareError,
  RollbackError,
  flashFirmware,
  rollbackFirmware,
  type FlashOptions,
} from '../host-bridge/flash/index';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { BoardOnMemoryLink, OTHER_APP_LINE } from './rigs/virtual/board-on-memory-link';
import { miniFirmware, withVersion } from './mini-firmware';

const BUNDLE = readFileSync(BUNDLE_PATH, 'latin1');
const NEXT = withVersion(BUNDLE, '0.1.0', '0.2.0');
/** A Puck.js's 40 KB of Storage less the strap's slot and loader and their headers (jsflash.c rounds each file up). */
const LOG_BESIDE_THE_STRAP_BYTES = 40 * 1024 - BUNDLE.length - 1300;

let clients: EspruinoConsoleClient[] = [];
afterEach(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  clients = [];
});

async function connect(board: BoardOnMemoryLink): Promise<EspruinoConsoleClient> {
  const client = await board.connect();
  clients.push(client);
  return client;
}

function flash(client: EspruinoConsoleClient, bundle: string, options: Partial<FlashOptions> = {}) {
  return flashFirmware(client, { bundle, bannerTimeoutMs: 1000, ...options });
}

/** A board that booted the real firmware from slot a, flashed through the bridge. */
async function boardOnTheStrap(): Promise<BoardOnMemoryLink> {
  const board = new BoardOnMemoryLink();
  await flash(await connect(board), BUNDLE, { force: true });
  return board;
}

describe('an interrupted single-slot flash does not lock the flasher out', () => {
  it('cut right after the upload: the record-less slot is erased by the next flash, which boots the new firmware', async () => {
    const board = await boardOnTheStrap();
    const cut = flash(await connect(board), NEXT, { onProgress: (p) => p.phase === 'upload' && p.sentBytes === p.totalBytes && board.cutNow() });
    await expect(cut).rejects.toThrow(FlashInterruptedError);
    await expect(cut).rejects.toThrow(/the board boots the strap loader's safe mode/);
    expect(board.boot()).toEqual({ kind: 'safe-mode' });
    expect(board.board.readFile('strap.b')).toHaveLength(NEXT.length); // the leftover

    const result = await flash(await connect(board), NEXT);
    expect(result.banner).toMatch(/^strap 0\.2\.0 on PUCKJS/);
    expect(result.keptPrevious).toBe(false);
    expect(result.fallback).toBeUndefined();
    expect(board.boot()).toEqual({ kind: 'strap', firmware: 'strap 0.2.0' });
  });

  it('Ctrl-C mid-upload: FlashAbortedError says the board boots the safe mode, and the next flash boots the new firmware', async () => {
    const board = await boardOnTheStrap();
    const stop = new AbortController();
    const aborted = flash(await connect(board), NEXT, { signal: stop.signal, onProgress: (p) => p.phase === 'upload' && p.sentBytes >= 4096 && stop.abort() });
    await expect(aborted).rejects.toThrow(FlashAbortedError);
    await expect(aborted).rejects.toThrow(/^stopped on request during the upload of strap\.[ab] at \d+\/\d+ bytes; the board boots the strap loader's safe mode/);
    expect(board.boot()).toEqual({ kind: 'safe-mode' });
    expect((await flash(await connect(board), NEXT)).banner).toMatch(/^strap 0\.2\.0/);
  });

  it('Ctrl-C before each phase: it stops there, says what the board boots, and that is what it boots', async () => {
    for (const phase of ['prepare', 'upload', 'verify', 'activate', 'reset'] as const) {
      const board = await boardOnTheStrap();
      const stop = new AbortController();
      const aborted = flash(await connect(board), NEXT, { signal: stop.signal, onProgress: (p) => p.phase === phase && p.sentBytes === 0 && stop.abort() });
      const error = (await aborted.catch((e: unknown) => e)) as FlashAbortedError;
      expect(error, phase).toBeInstanceOf(FlashAbortedError);
      const booted = board.boot();
      const expected = { prepare: 'strap 0.1.0 (slot a)', upload: "the strap loader's safe mode", verify: "the strap loader's safe mode", activate: "the strap loader's safe mode", reset: 'strap 0.2.0 (slot b)' }[phase];
      expect(error.message, phase).toContain(`the board boots ${expected}`);
      expect(booted, phase).toEqual(expected.startsWith('strap') ? { kind: 'strap', firmware: expected.slice(0, 11) } : { kind: 'safe-mode' });
    }
  });
});

describe('a bundle that cannot fit is refused before anything is erased', () => {
  it('100 KB: FlashNoRoomError naming the sizes, Storage untouched, the strap still boots', async () => {
    const board = await boardOnTheStrap();
    const before = board.board.flash.snapshot();
    const huge = `${BUNDLE}\n//${'x'.repeat(100 * 1024 - BUNDLE.length)}\n`;
    const refused = flash(await connect(board), huge);
    await expect(refused).rejects.toThrow(FlashNoRoomError);
    await expect(refused).rejects.toThrow(/^no room for the bundle: it needs 101\.\d KB of Storage \(the bundle 100\.0 KB, its record, 1\.0 KB kept for the firmware's own files\) and the board's 40\.0 KB of Storage has 39\.\d KB left once both strap slots are erased; nothing was erased; the files that stay, biggest first: "\.bootcde" 7\d\d bytes, /);
    expect(board.board.flash.snapshot()).toEqual(before);
    expect(board.boot()).toEqual({ kind: 'strap', firmware: 'strap 0.1.0' });
  });

  it('Storage full of other files: refused naming the biggest; once one is erased the flash goes through', async () => {
    const board = await boardOnTheStrap();
    // as big as fits beside the strap: too big for a new slot once the old one is erased
    board.board.writeFile('log.txt', 'x'.repeat(LOG_BESIDE_THE_STRAP_BYTES));
    const before = board.board.flash.snapshot();
    const client = await connect(board);
    const refused = flash(client, NEXT);
    await expect(refused).rejects.toThrow(/no room for the bundle: .*; nothing was erased; the files that stay, biggest first: "log\.txt" \d+\.\d KB, "\.bootcde" /);
    expect(board.board.flash.snapshot()).toEqual(before);
    await client.evaluate('require("Storage").erase("log.txt")');
    expect((await flash(client, NEXT)).banner).toMatch(/^strap 0\.2\.0/);
  });
});

describe('a bundle that is not a strap firmware needs force', () => {
  it('another program, a syntax error, an empty file: NotStrapBundleError saying why, nothing sent to the board', async () => {
    const board = await boardOnTheStrap();
    const client = await connect(board);
    const sent = board.output().length;
    await expect(flash(client, 'print("hello")\n')).rejects.toThrow(new NotStrapBundleError('it does not print the strap banner ("strap X on BOARD (Espruino V), boot #N")'));
    await expect(flash(client, 'function (\n')).rejects.toThrow('the bundle is not a strap firmware: it is not valid JavaScript: Unexpected token (1:9); nothing was sent');
    await expect(flash(client, '')).rejects.toThrow('the bundle is not a strap firmware: it is empty');
    expect(board.output().length).toBe(sent);
  });

  it('with force it is flashed (no banner awaited), and the strap bundle flashed after it boots', async () => {
    const board = await boardOnTheStrap();
    const client = await connect(board);
    const result = await flash(client, `print(${JSON.stringify(OTHER_APP_LINE)})\n`, { force: true });
    expect(result).toMatchObject({ firmware: 'not a strap firmware', banner: '' });
    expect(board.boot()).toEqual({ kind: 'other', line: OTHER_APP_LINE });
    expect((await flash(await connect(board), NEXT)).banner).toMatch(/^strap 0\.2\.0/);
  });
});

describe('no banner from the new firmware: the error says how to get back', () => {
  // It names itself like the strap (its banner literals) but never prints the banner.
  const silent = (version: string) => `var n="strap",v="${version}",a=" (Espruino ",b="), boot #";\n`;

  it('the previous firmware kept: FlashBootError names it, and rollbackFirmware boots it again', async () => {
    const board = new BoardOnMemoryLink();
    const client = await connect(board);
    await flash(client, miniFirmware('1.0.0', 600), { force: true });
    const error = (await flash(client, silent('6.6.6'), { bannerTimeoutMs: 100 }).catch((e: unknown) => e)) as FlashBootError;
    expect(error).toBeInstanceOf(FlashBootError);
    expect(error.message).toMatch(/^no strap banner within 100 ms after the reset; the board printed: .*; the new firmware is in strap\.b; the previous firmware, strap 1\.0\.0 \(slot a\), is kept: a rollback \(erasing strap\.b\.rec\) boots it again$/);
    expect(error.fallback).toEqual({ slot: 'a', firmware: 'strap 1.0.0' });
    const back = await rollbackFirmware(client, { bannerTimeoutMs: 1000 });
    expect(back).toMatchObject({ slot: 'strap.a', from: 'strap.b', firmware: 'strap 1.0.0 (slot a)' });
    expect(back.banner).toMatch(/^strap 1\.0\.0 on PUCKJS/);
    expect(board.boot()).toEqual({ kind: 'strap', firmware: 'strap 1.0.0' });
  });

  it('single slot: nothing kept, the error says to flash a working bundle, and a rollback refuses', async () => {
    const board = await boardOnTheStrap();
    const client = await connect(board);
    const silentBig = silent('6.6.6') + `//${'x'.repeat(BUNDLE.length)}\n`;
    const error = (await flash(client, silentBig, { bannerTimeoutMs: 100 }).catch((e: unknown) => e)) as FlashBootError;
    expect(error).toBeInstanceOf(FlashBootError);
    expect(error.message).toMatch(/; no other firmware is kept \(no room for two slots\): flash a working bundle to get back$/);
    expect(error.fallback).toBeUndefined();
    await expect(rollbackFirmware(client)).rejects.toThrow(RollbackError);
    await expect(rollbackFirmware(client)).rejects.toThrow(/is the only valid firmware: nothing to roll back to; flash a working bundle/);
    expect((await flash(client, NEXT)).banner).toMatch(/^strap 0\.2\.0/);
  });
});

describe('what the flasher says about a board is true', () => {
  it("another app's .bootcde beside leftover strap slots is not the strap: refused without force, Storage untouched", async () => {
    const board = new BoardOnMemoryLink();
    await flash(await connect(board), miniFirmware('1.0.0', 600), { force: true });
    board.board.writeFile('.bootcde', `print(${JSON.stringify(OTHER_APP_LINE)})`);
    expect(board.boot()).toEqual({ kind: 'other', line: OTHER_APP_LINE });
    const before = board.board.flash.snapshot();
    const refused = flash(await connect(board), miniFirmware('1.1.0', 600));
    await expect(refused).rejects.toThrow(NotStrapFirmwareError);
    await expect(refused).rejects.toThrow(/found: PUCKJS, Espruino 2v29, \.bootcde of 31 bytes starting "print\(\\"hello from another app\\"\)", strap slot a left \(valid\)\)$/);
    expect(board.board.flash.snapshot()).toEqual(before);
  });

  it('the strap running from .bootcde beside an older slot: "previous" and "fallback" say which is which', async () => {
    const board = new BoardOnMemoryLink();
    await flash(await connect(board), miniFirmware('1.0.0', 600), { force: true });
    board.board.writeFile('.bootcde', miniFirmware('0.9.0', 600));
    expect(board.boot()).toEqual({ kind: 'strap', firmware: 'strap 0.9.0' });
    const result = await flash(await connect(board), miniFirmware('1.1.0', 600));
    expect(result).toMatchObject({ previous: 'strap 0.9.0 from .bootcde on PUCKJS, Espruino 2v29', keptPrevious: false, fallback: 'strap 1.0.0 (slot a)', slot: 'strap.b' });
    expect(board.boot()).toEqual({ kind: 'strap', firmware: 'strap 1.1.0' });
  });
});
