// The SE driver (T=1 over I2C, se-t1.ts) against a scripted SE that speaks the
// protocol with protocols/t1's codecs: the driver's blocks are byte-identical to
// the codec's, and it recovers the way UM11225 / ISO/IEC 7816-3 11.6 ask.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { crc16X25 as codecCrc, encodeBlock, type Block } from '../../protocols/t1/block';
import { segmentApdu } from '../../protocols/t1/chaining';
import { crc16X25, S_IFS, S_SOFT_RESET, openSe, request, t1Block, transceive, type SeT1Options } from './se-t1';
import { ATR, ScriptedSe } from './testing/scripted-se';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const apduOf = (n: number, seed = 1) => new Uint8Array(Array.from({ length: n }, (_, i) => (i * 37 + seed) & 0xff));

function harness(options: Partial<SeT1Options> = {}) {
  const se = new ScriptedSe();
  openSe({ i2c: se, bwtMs: 100, pollMs: 10, ...options });
  const driver = { transceive, request };
  /** Runs one exchange to its callback on fake time. */
  const exchange = (start: (done: (error: string | undefined, data?: Uint8Array) => void) => void) => {
    let result: { error: string | undefined; data?: Uint8Array } | undefined;
    start((error, data) => (result = { error, data }));
    vi.advanceTimersByTime(60_000);
    if (!result) throw new Error('the driver never called back');
    return result;
  };
  return { se, driver, exchange, transceive: (apdu: Uint8Array) => exchange((done) => driver.transceive(apdu, done)) };
}

describe('the driver frames blocks as protocols/t1 does', () => {
  it('computes CRC-16/X-25 as the codec does, check value 906E on "123456789" (CRC catalogue)', () => {
    const digits = new Uint8Array([...'123456789'].map((c) => c.charCodeAt(0)));
    expect(crc16X25(digits, digits.length)).toBe(0x906e);
    for (let n = 0; n < 300; n += 7) {
      const bytes = apduOf(n, n);
      expect(crc16X25(bytes, n)).toBe(codecCrc(bytes));
    }
  });

  it('encodes I-, R- and S-blocks to the codec bytes, including the frame captured from a real SE050', () => {
    const blocks: Block[] = [
      { type: 'I', nad: 0x5a, ns: 0, more: false, inf: new Uint8Array([0x80, 0x04, 0x00, 0x20, 0x09]) },
      { type: 'I', nad: 0x5a, ns: 1, more: true, inf: apduOf(254) },
      { type: 'R', nad: 0x5a, nr: 1, error: 'none' },
      { type: 'R', nad: 0x5a, nr: 0, error: 'crc' },
      { type: 'R', nad: 0x5a, nr: 1, error: 'other' },
      { type: 'S', nad: 0x5a, kind: 'resynch', response: false, inf: new Uint8Array(0) },
      { type: 'S', nad: 0x5a, kind: 'soft-reset', response: false, inf: new Uint8Array(0) },
      { type: 'S', nad: 0x5a, kind: 'wtx', response: true, inf: new Uint8Array([3]) },
    ];
    for (const block of blocks) {
      const codec = encodeBlock(block);
      expect(hex(t1Block(codec[1]!, block.type === 'R' ? undefined : block.inf))).toBe(hex(codec));
    }
    expect(hex(t1Block(0x00, new Uint8Array([0x80, 0x04, 0x00, 0x20, 0x09])))).toBe('5a00058004002009' + hex(encodeBlock(blocks[0]!).slice(-2)));
  });
});

describe('exchanging APDUs with the SE', () => {
  it('starts a session with S(soft reset) and returns the ATR', () => {
    const { se, driver, exchange } = harness();
    const { error, data } = exchange((done) => driver.request(S_SOFT_RESET, undefined, done));
    expect(error).toBeUndefined();
    expect(hex(data!)).toBe(hex(ATR));
    expect(hex(se.frames[0]!)).toBe(hex(encodeBlock({ type: 'S', nad: 0x5a, kind: 'soft-reset', response: false, inf: new Uint8Array(0) })));
  });

  it('announces its IFSD with S(IFS request), keeping the sequence numbers', () => {
    const { se, driver, exchange, transceive } = harness();
    expect(transceive(apduOf(5)).error).toBeUndefined();
    expect(exchange((done) => driver.request(S_IFS, new Uint8Array([250]), done))).toEqual({ error: undefined, data: new Uint8Array([250]) });
    expect(hex(se.frames[1]!)).toBe(hex(encodeBlock({ type: 'S', nad: 0x5a, kind: 'ifs', response: false, inf: new Uint8Array([250]) })));
    expect(transceive(apduOf(5)).error).toBeUndefined();
    expect(se.received.at(-1)).toMatchObject({ type: 'I', ns: 1 });
  });

  it('keeps every block within the 255 bytes an nRF52832 TWI transfer can move (IFSC 250 by default)', () => {
    const { se, transceive } = harness();
    const apdu = apduOf(600);
    expect(transceive(apdu).error).toBeUndefined();
    expect(se.apdus).toEqual([apdu]);
    expect(se.frames.map((f) => f.length)).toEqual([255, 255, 105]);
  });

  it('sends an APDU in one I-block and alternates N(S) from one APDU to the next', () => {
    const { se, transceive } = harness();
    const first = apduOf(5);
    expect(transceive(first)).toEqual({ error: undefined, data: new Uint8Array([first[0]!, first[1]!, 0x90, 0x00]) });
    expect(transceive(apduOf(9, 2)).error).toBeUndefined();
    expect(hex(se.frames[0]!)).toBe(hex(encodeBlock({ type: 'I', nad: 0x5a, ns: 0, more: false, inf: first })));
    expect(se.received.map((b) => (b.type === 'I' ? b.ns : '-'))).toEqual([0, 1]);
  });

  it('does not block: the call returns before the SE answers, and the answer comes on a timer', () => {
    const { se, driver } = harness();
    se.busyReads = 3;
    const done = vi.fn();
    driver.transceive(apduOf(4), done);
    expect(done).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1000);
    expect(done).toHaveBeenCalledWith(undefined, expect.any(Uint8Array));
  });

  it('answers a second call while one runs with busy', () => {
    const { se, driver } = harness();
    se.busyReads = 3;
    driver.transceive(apduOf(4), () => undefined);
    const second = vi.fn();
    driver.transceive(apduOf(4), second);
    expect(second).toHaveBeenCalledWith('busy');
  });

  it('polls through address NACKs while the SE is busy, within the block waiting time', () => {
    const { se, transceive } = harness({ bwtMs: 100, pollMs: 10 });
    se.busyReads = 8;
    expect(transceive(apduOf(6)).error).toBeUndefined();
    expect(se.nacks).toBe(8);
    expect(se.received.filter((b) => b.type === 'R')).toEqual([]);
  });

  it('chains a long APDU into I-blocks of at most IFSC bytes, acknowledged one by one, as the codec segments it', () => {
    const { se, transceive } = harness({ ifsc: 16 });
    const apdu = apduOf(40);
    expect(transceive(apdu).error).toBeUndefined();
    expect(se.apdus).toEqual([apdu]);
    expect(se.frames.map(hex)).toEqual(segmentApdu(apdu, 16, 0, 0x5a).map((b) => hex(encodeBlock(b))));
  });

  it('joins a chained response, acknowledging each block with the next N(R)', () => {
    const { se, transceive } = harness();
    se.chainSize = 10;
    const response = apduOf(27, 5);
    se.answer = () => response;
    expect(transceive(apduOf(5)).data).toEqual(response);
    expect(se.received.slice(1)).toEqual([
      { type: 'R', nad: 0x5a, nr: 1, error: 'none' },
      { type: 'R', nad: 0x5a, nr: 0, error: 'none' },
    ]);
  });
});

describe('recovering from errors', () => {
  it('asks for a block again with R(CRC error) when the CRC is wrong, and takes the good copy', () => {
    const { se, transceive } = harness();
    se.faults.push('crc');
    expect(transceive(apduOf(5)).data).toEqual(new Uint8Array([1, 38, 0x90, 0x00]));
    expect(hex(se.frames[1]!)).toBe(hex(encodeBlock({ type: 'R', nad: 0x5a, nr: 0, error: 'crc' })));
    expect(se.apdus).toHaveLength(1);
  });

  it('sends its block again when the SE answers R(CRC error)', () => {
    const { se, transceive } = harness();
    se.faults.push('garbled-in');
    const apdu = apduOf(5);
    expect(transceive(apdu).error).toBeUndefined();
    expect(se.frames[1]).toEqual(se.frames[0]);
    expect(se.apdus).toEqual([apdu]);
  });

  it('answers S(WTX) with the same multiplier and waits that much longer without an R-block', () => {
    const { se, transceive } = harness({ bwtMs: 100, pollMs: 10 });
    se.faults.push('wtx');
    se.wtxMultiplier = 3;
    se.busyAfterWtx = 25; // 250 ms: past one BWT, inside three
    expect(transceive(apduOf(5)).error).toBeUndefined();
    expect(hex(se.frames[1]!)).toBe(hex(encodeBlock({ type: 'S', nad: 0x5a, kind: 'wtx', response: true, inf: new Uint8Array([3]) })));
    expect(se.received.filter((b) => b.type === 'R')).toEqual([]);
  });

  it('sends an R-block when the SE stays silent for a block waiting time, and gets the answer again', () => {
    const { se, transceive } = harness();
    se.faults.push('silent');
    expect(transceive(apduOf(5)).error).toBeUndefined();
    expect(se.received[1]).toEqual({ type: 'R', nad: 0x5a, nr: 0, error: 'other' });
  });

  it('resynchronises after repeated errors: the APDU ends with resynch and the next one starts from N(S) 0', () => {
    const { se, transceive } = harness({ retries: 3 });
    expect(transceive(apduOf(5)).error).toBeUndefined(); // host N(S) is now 1
    se.faults.push('crc', 'crc', 'crc', 'crc');
    expect(transceive(apduOf(6)).error).toBe('resynch');
    const resynch = se.received.findIndex((b) => b.type === 'S' && b.kind === 'resynch');
    expect(hex(se.frames[resynch]!)).toBe(hex(encodeBlock({ type: 'S', nad: 0x5a, kind: 'resynch', response: false, inf: new Uint8Array(0) })));
    expect(se.received.slice(2, resynch).map((b) => b.type)).toEqual(['R', 'R', 'R']);
    expect(transceive(apduOf(7)).error).toBeUndefined();
    expect(se.received.at(-1)).toMatchObject({ type: 'I', ns: 0 });
  });

  it('gives up with failed, leaving no timer, when the SE never answers', () => {
    const { se, transceive } = harness();
    se.dead = true;
    expect(transceive(apduOf(5)).error).toBe('failed');
    expect(vi.getTimerCount()).toBe(0);
  });
});
