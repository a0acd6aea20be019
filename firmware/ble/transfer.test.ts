import { afterEach, describe, expect, it, vi } from 'vitest';
import { crc32 } from '../../protocols/crc32';
import { answerStorageModule, restoreStorageModule } from '../boot/testing/storage-module';
import { MAX_SCRIPT, SCRIPT_FILE } from './transfer';
import { Result, TRANSFER, uuid, WALLET_SERVICE } from './wallet-protocol';

// The transfer characteristic on Espruino's globals stubbed here (NRF.updateServices records each notified
// value; E.CRC32 is the IEEE CRC-32, as Espruino's jswrap_espruino_CRC32): chunks, offsets, the CRC check,
// the run and the read back (firmware/ble/README.md, "Transfer"). With the phone and the SE: sim/phone/wallet-service.test.ts.

afterEach(() => {
  restoreStorageModule();
  vi.unstubAllGlobals();
});

// The transfer's state is its module's (one characteristic): each test loads a fresh copy, with nothing received.

/**
 * Storage as src/jsflash.c jsfWriteFile keeps files: a write at offset 0 makes the file at `size` (erased:
 * 0xFF), one at an offset fills in what is still erased; read gives the bytes as a string (on Espruino one
 * pointing into flash), erase drops the file.
 */
function flashFiles() {
  const files = new Map<string, Uint8Array>();
  return {
    files,
    write(name: string, data: Uint8Array, offset: number, size: number): boolean {
      if (offset === 0) files.set(name, new Uint8Array(size).fill(0xff));
      const file = files.get(name);
      if (!file || offset + data.length > file.length || file.subarray(offset, offset + data.length).some((b) => b !== 0xff)) throw new Error('Storage: cannot write there');
      file.set(data, offset);
      return true;
    },
    read: (name: string) => (files.has(name) ? String.fromCharCode(...files.get(name)!) : undefined),
    erase: (name: string) => void files.delete(name),
  };
}

const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

async function transfer(run: (script: string, done: (result: number, responses?: Uint8Array) => void) => void = (s, done) => done(Result.OK, bytesOf(s).reverse())) {
  const heard: number[][] = [];
  const ran: number[][] = [];
  const storage = flashFiles();
  vi.stubGlobal('NRF', { updateServices: (u: Record<string, Record<string, { value: Uint8Array }>>) => heard.push([...u[uuid(WALLET_SERVICE)]![uuid(TRANSFER)]!.value]) });
  vi.stubGlobal('E', { CRC32: (d: string) => crc32(bytesOf(d)) | 0 });
  answerStorageModule(storage);
  vi.resetModules();
  const { transferWrite } = await import('./transfer');
  const { wallet } = await import('./wallet-protocol');
  wallet.script = (s, done) => {
    ran.push([...bytesOf(s)]);
    run(s, done);
  };
  const w = (...b: number[]) => {
    transferWrite({ data: Uint8Array.from(b).buffer });
    return heard.at(-1);
  };
  const begin = (script: number[], crc = crc32(Uint8Array.from(script))) => w(1, script.length >> 8, script.length & 255, crc >>> 24, (crc >> 16) & 255, (crc >> 8) & 255, crc & 255);
  // Storage full: every write fails as jsfWriteFile's "Unable to find or create file"
  const full = () => {
    storage.write = () => {
      throw new Error('Unable to find or create file');
    };
  };
  return { w, begin, heard, ran, files: storage.files, full };
}

const SCRIPT = Array.from({ length: 40 }, (_, i) => i);

describe('the transfer characteristic', async () => {
  it('takes a script in chunks, answering the next offset, runs it once when the CRC-32 checks, notifies [84, result, size] and serves the responses by offset', async () => {
    const t = await transfer();
    expect(t.begin(SCRIPT)).toEqual([0x81, Result.OK, 0, 0]);
    expect(t.w(2, 0, 0, ...SCRIPT.slice(0, 17))).toEqual([0x82, Result.OK, 0, 17]);
    expect(t.w(2, 0, 17, ...SCRIPT.slice(17, 34))).toEqual([0x82, Result.OK, 0, 34]);
    t.w(2, 0, 34, ...SCRIPT.slice(34));
    expect(t.heard.slice(-2)).toEqual([[0x82, Result.OK, 0, 40], [0x84, Result.OK, 0, 40]]);
    expect(t.ran).toEqual([SCRIPT]);
    // the script was written to Storage as it came (RAM holds none of it), and is gone once run
    expect(t.files.has(SCRIPT_FILE)).toBe(false);
    expect(t.w(3, 0, 0)).toEqual([0x83, Result.OK, 0, 40, ...SCRIPT.slice().reverse().slice(0, 16)]);
    expect(t.w(3, 0, 32)).toEqual([0x83, Result.OK, 0, 40, ...SCRIPT.slice().reverse().slice(32)]);
  });

  it('keeps the responses for reads until the next begin, which drops them (3 then): RAM holds a script or responses', async () => {
    const t = await transfer();
    t.begin(SCRIPT);
    t.w(2, 0, 0, ...SCRIPT.slice(0, 17));
    t.w(2, 0, 17, ...SCRIPT.slice(17, 34));
    t.w(2, 0, 34, ...SCRIPT.slice(34));
    expect(t.w(3, 0, 16)).toEqual([0x83, Result.OK, 0, 40, ...SCRIPT.slice().reverse().slice(16, 32)]);
    expect(t.begin(SCRIPT.slice(1))).toEqual([0x81, Result.OK, 0, 0]);
    expect(t.w(3, 0, 0)).toEqual([0x83, Result.REFUSED, 0, 0]);
  });

  it('answers a chunk at another offset with the one it expects (6), keeping what it has', async () => {
    const t = await transfer();
    t.begin(SCRIPT);
    t.w(2, 0, 0, ...SCRIPT.slice(0, 10));
    expect(t.w(2, 0, 20, ...SCRIPT.slice(20, 30))).toEqual([0x82, Result.OFFSET, 0, 10]);
    expect(t.w(2, 0, 0, ...SCRIPT.slice(0, 10))).toEqual([0x82, Result.OFFSET, 0, 10]);
    expect(t.w(2, 0, 10, ...SCRIPT.slice(10, 20))).toEqual([0x82, Result.OK, 0, 20]);
  });

  it('resumes: a begin with the same size and CRC answers the offset reached; another script starts over at 0', async () => {
    const t = await transfer();
    t.begin(SCRIPT);
    t.w(2, 0, 0, ...SCRIPT.slice(0, 17));
    expect([...t.files.get(SCRIPT_FILE)!.subarray(0, 18)]).toEqual([...SCRIPT.slice(0, 17), 0xff]);
    expect(t.begin(SCRIPT)).toEqual([0x81, Result.OK, 0, 17]);
    expect(t.begin(SCRIPT.slice(1))).toEqual([0x81, Result.OK, 0, 0]);
  });

  it('refuses a CRC mismatch (7) at the last chunk: nothing runs, nothing kept', async () => {
    const t = await transfer();
    t.begin(SCRIPT, (crc32(Uint8Array.from(SCRIPT)) ^ 0x80) >>> 0);
    t.w(2, 0, 0, ...SCRIPT.slice(0, 17));
    t.w(2, 0, 17, ...SCRIPT.slice(17, 34));
    expect(t.w(2, 0, 34, ...SCRIPT.slice(34))).toEqual([0x82, Result.CRC, 0, 0]);
    expect(t.ran).toEqual([]);
    expect(t.files.has(SCRIPT_FILE)).toBe(false);
    expect(t.w(2, 0, 0, 1)).toEqual([0x82, Result.REFUSED, 0, 0]);
    expect(t.w(3, 0, 0)).toEqual([0x83, Result.REFUSED, 0, 0]);
  });

  it(`refuses a script over ${MAX_SCRIPT} octets (8) and a chunk past the declared size (8, the offset kept)`, async () => {
    const t = await transfer();
    expect(t.w(1, (MAX_SCRIPT + 1) >> 8, (MAX_SCRIPT + 1) & 255, 0, 0, 0, 0)).toEqual([0x81, Result.TOO_LARGE, 0, 0]);
    t.begin([1, 2, 3]);
    expect(t.w(2, 0, 0, 1, 2, 3, 4)).toEqual([0x82, Result.TOO_LARGE, 0, 0]);
  });

  it('answers a chunk Storage has no room for with too large (8) and the offset it still expects', async () => {
    const t = await transfer();
    t.begin(SCRIPT);
    t.w(2, 0, 0, ...SCRIPT.slice(0, 17));
    t.full();
    expect(t.w(2, 0, 17, ...SCRIPT.slice(17, 34))).toEqual([0x82, Result.TOO_LARGE, 0, 17]);
    expect(t.ran).toEqual([]);
  });

  it('answers malformed writes (2) and unknown ops (1)', async () => {
    const t = await transfer();
    expect(t.w(1, 0)).toEqual([0x81, Result.MALFORMED, 0, 0]);
    expect(t.w(1, 0, 0, 0, 0, 0, 0)).toEqual([0x81, Result.MALFORMED, 0, 0]);
    expect(t.w(9, 0, 0)).toEqual([0x89, Result.UNKNOWN_OP, 0, 0]);
  });

  it("passes the runner's result on: busy (4) with no responses to read", async () => {
    const t = await transfer((_s, done) => done(Result.BUSY));
    t.begin([1, 2, 3]);
    t.w(2, 0, 0, 1, 2, 3);
    expect(t.heard.at(-1)).toEqual([0x84, Result.BUSY, 0, 0]);
    expect(t.w(3, 0, 0)).toEqual([0x83, Result.REFUSED, 0, 0]);
  });
});
