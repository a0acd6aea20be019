/**
 * The fuzz suite's fast subset (npm test): a few cases of every kind from a
 * fixed seed, the corpus of known-nasty lines, and proof that the runner
 * catches what it is there to catch. The long run: `npm run fuzz` (run.ts).
 * A failure names the case's seed and the command that replays it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { answersTwo, checkHealth, createBoardUnderTest, HostCrash } from './board-fixture';
import { caseSeed, FUZZ_KINDS, replayCommand, type CaseResult, type FuzzKind } from './fuzz-case';
import { consoleBytesCase } from './generators/console-bytes';
import { hostileJsCase } from './generators/hostile-js';
import { ESCAPE_MARK, KNOWN_NASTY } from './generators/known-nasty';
import { nciPacketsCase } from './generators/nci-packets';
import { packetFramesCase } from './generators/packet-frames';
import { paymentApdusCase } from './generators/payment-apdus';
import { rpcFramesCase } from './generators/rpc-frames';
import { OPEN_DEFECTS } from './open-defects';
import { FuzzSession } from './run-case';
import { runBatch } from './supervisor';

const MASTER = 'npm-test';
const FAST_COUNT: Record<FuzzKind, number> = { 'console-bytes': 25, 'hostile-js': 25, 'packet-frames': 25, 'rpc-frames': 8, 'api-requests': 8, 'se-frames': 25, 'nci-packets': 10, 'payment-apdus': 10 };

const session = new FuzzSession({ avoidOpenDefects: true });
afterAll(() => session.close());

function explain(result: CaseResult): string {
  return `${result.verdict.outcome} in ${result.kind} seed ${result.seed}: ${'detail' in result.verdict ? result.verdict.detail : ''}\n  input ${result.input}\n  replay: ${replayCommand(result.kind, result.seed)}`;
}

describe('fuzz, fast subset: after every case the board answers print(1+1) with 2 and the host lives', () => {
  for (const kind of FUZZ_KINDS) {
    it(`${FAST_COUNT[kind]} cases of ${kind}`, async () => {
      for (let index = 0; index < FAST_COUNT[kind]; index++) {
        const result = await session.runCase(kind, caseSeed(MASTER, kind, index));
        expect(result.verdict.outcome, explain(result)).toBe('ok');
      }
    });
  }
});

describe('fuzz corpus: known-nasty console lines', () => {
  for (const entry of KNOWN_NASTY) {
    if (entry.openDefect) {
      it.todo(`${entry.name} — skipped until fixed: ${OPEN_DEFECTS[entry.openDefect]}`);
      continue;
    }
    it(entry.name, async () => {
      const result = await session.runNasty(entry);
      expect(result.verdict.outcome, explain(result)).toBe('ok');
    });
  }
});

describe('fuzz cases are reproducible from their seed', () => {
  it('the same seed gives the same input, another seed another one', () => {
    const seed = caseSeed(MASTER, 'hostile-js', 7);
    expect(caseSeed(MASTER, 'hostile-js', 7)).toBe(seed);
    for (const generate of [consoleBytesCase, packetFramesCase, rpcFramesCase, (s: number) => hostileJsCase(s, { avoidOpenDefects: true })]) {
      expect(generate(seed)).toEqual(generate(seed));
      expect(generate(seed)).not.toEqual(generate(seed + 1));
    }
  });

  it('the NFC controller and payment applet bursts are rebuilt from their seed, and another seed gives another burst', async () => {
    const seed = caseSeed(MASTER, 'payment-apdus', 3);
    for (const burst of [nciPacketsCase, paymentApdusCase]) {
      const a = await burst(seed);
      expect(await burst(seed)).toEqual(a);
      expect((await burst(seed + 1)).input).not.toBe(a.input);
    }
  });

  it('with no defect open, the generators make every trigger even in the fast subset', () => {
    const lines = Array.from({ length: 400 }, (_, i) => hostileJsCase(caseSeed(MASTER, 'hostile-js', i), { avoidOpenDefects: true }).map((s) => s.bytes).join('')).join('');
    expect(Object.keys(OPEN_DEFECTS)).toEqual([]);
    expect(lines).toMatch(/Promise\.resolve\(\)\.then\(f\)/);
    expect(lines).toMatch(/, (0|-5|0\.001)\)/);
    expect(lines).toMatch(/(Array|repeat|count:)\(?(1e8|2e9)\b/);
    expect(lines).toMatch(/Function\.prototype\.call/);
  });
});

describe('the fuzz runner catches what it is for', () => {
  it('reads the answer to print(1+1) as Espruino sends it, and only that', () => {
    expect(answersTwo('\r\n2\r\n>')).toBe(true);
    expect(answersTwo('\x1b[D\x1b[D\r\x1b[J>2\r\n>')).toBe(true); // a DLE line prints after the prompt
    expect(answersTwo('print(1+1)\r\n2\r\n=undefined\r\n>')).toBe(true);
    expect(answersTwo('12\r\n')).toBe(false);
    expect(answersTwo('=2\r\n')).toBe(false);
    expect(answersTwo('2')).toBe(false);
  });

  it('a console that no longer answers is a hang; a board that is off is unhealthy', () => {
    const deaf = createBoardUnderTest();
    expect(checkHealth({ ...deaf, type: () => undefined }).outcome).toBe('hang');
    const off = createBoardUnderTest();
    off.board.powerOff();
    expect(checkHealth(off).outcome).toBe('unhealthy');
  });

  it('an exception out of the board is a crash (the simulator\'s TCP handler would not catch it)', () => {
    const but = createBoardUnderTest();
    but.board.run = () => {
      throw new Error('board event loop: more than 100000 events in one pass');
    };
    expect(() => but.run(1)).toThrow(HostCrash);
  });

  it('an escape probe\'s mark on the host process is an escape', async () => {
    const probe = new FuzzSession({ avoidOpenDefects: true });
    (process as unknown as Record<string, unknown>)[ESCAPE_MARK] = 'reached the host process (simulated)';
    const escaped = await probe.runNasty({ name: 'nothing nasty', lines: ['1+1'] });
    expect(escaped.verdict).toEqual({ outcome: 'escape', detail: 'board code reached the host process (simulated)' });
    expect((process as unknown as Record<string, unknown>)[ESCAPE_MARK]).toBeUndefined();
    await probe.close();
  });

  it('a fuzz process that hangs or dies is replaced, and the case is reported with its seed', async () => {
    const results: CaseResult[] = [];
    await runBatch(
      { kind: 'hostile-js', master: MASTER, from: 0, count: 4, avoidOpenDefects: true },
      { wallBudgetMs: 3000, heapMb: 256, workerUrl: new URL('./testing/scripted-worker.ts', import.meta.url) },
      (result) => results.push(result),
    );
    expect(results.map((r) => [r.seed, r.verdict.outcome])).toEqual([
      [1000, 'ok'],
      [1001, 'hang'],
      [1002, 'crash'],
      [1003, 'ok'],
    ]);
    expect(results[2]!.verdict).toMatchObject({ detail: expect.stringContaining('case 2 blew up') });
  });
});
