/**
 * One fuzz case from its kind and seed: build the input, give it to a board
 * as good as new (or to the API in front of one), then judge (fuzz-case.ts
 * Verdict): an exception out of the board or the link is a crash; the
 * console not answering `print(1+1)` in time a hang; the mark an escape
 * probe leaves on the host's `process` an escape.
 */
import { readFileSync } from 'node:fs';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { apiAnswers, sendRaw, startApiFixture, type ApiFixture } from './api-fixture';
import { checkHealth, createBoardUnderTest, describeError, HostCrash, resetBoard, type BoardUnderTest } from './board-fixture';
import { describeBytes, type CaseResult, type FuzzKind, type Verdict } from './fuzz-case';
import { apiRequestCase } from './generators/api-requests';
import { consoleBytesCase, type ConsoleStep } from './generators/console-bytes';
import { hostileJsCase } from './generators/hostile-js';
import { ESCAPE_MARK, type NastyLine } from './generators/known-nasty';
import { packetFramesCase } from './generators/packet-frames';
import { rpcFramesCase } from './generators/rpc-frames';
import { nciPacketsCase } from './generators/nci-packets';
import { paymentApdusCase } from './generators/payment-apdus';
import { seFramesCase } from './generators/se-frames';

export interface SessionOptions {
  /** Leave out triggers of open defects (open-defects.ts): the fast subset in npm test. */
  avoidOpenDefects: boolean;
}

/** The boards (and the API) a run of cases reuses. */
export class FuzzSession {
  private plain: BoardUnderTest | undefined;
  private strap: BoardUnderTest | undefined;
  private api: ApiFixture | undefined;
  private firmware: string | undefined;

  constructor(readonly options: SessionOptions) {}

  async runCase(kind: FuzzKind, seed: number): Promise<CaseResult> {
    let input = '';
    const verdict = await this.judge(async () => {
      if (kind === 'se-frames') {
        const burst = seFramesCase(seed);
        input = describeBytes(burst.input);
        return burst.verdict;
      }
      if (kind === 'nci-packets' || kind === 'payment-apdus') {
        const burst = kind === 'nci-packets' ? await nciPacketsCase(seed) : await paymentApdusCase(seed);
        input = describeBytes(burst.input);
        return burst.verdict;
      }
      if (kind === 'api-requests') {
        const { api, token } = await this.apiFixture();
        const request = apiRequestCase(seed, { port: api.port, token });
        input = describeBytes(request);
        return this.apiCase(request);
      }
      const steps = this.steps(kind, seed);
      input = describeBytes(steps.map((s) => s.bytes).join(''));
      const board = kind === 'rpc-frames' ? this.strapBoard() : this.plainBoard();
      resetBoard(board, kind === 'rpc-frames' ? this.firmwareText() : undefined);
      return this.consoleCase(board, steps);
    });
    return { kind, seed, input, verdict };
  }

  /** A corpus entry (known-nasty.ts) on a fresh plain board. */
  async runNasty(entry: NastyLine): Promise<CaseResult> {
    const steps = entry.lines.map((line) => ({ bytes: line + '\n', thenMs: 100 }));
    const verdict = await this.judge(async () => {
      const board = this.plainBoard();
      resetBoard(board);
      return this.consoleCase(board, steps);
    });
    return { kind: 'hostile-js', seed: 0, input: entry.name, verdict };
  }

  async close(): Promise<void> {
    await this.api?.close();
    this.api = undefined;
  }

  private steps(kind: Exclude<FuzzKind, 'api-requests' | 'se-frames' | 'nci-packets' | 'payment-apdus'>, seed: number): ConsoleStep[] {
    switch (kind) {
      case 'console-bytes':
        return consoleBytesCase(seed);
      case 'hostile-js':
        return hostileJsCase(seed, this.options);
      case 'packet-frames':
        return packetFramesCase(seed);
      case 'rpc-frames':
        return rpcFramesCase(seed);
    }
  }

  private async judge(run: () => Promise<Verdict>): Promise<Verdict> {
    let verdict: Verdict;
    try {
      verdict = await run();
    } catch (error) {
      verdict =
        error instanceof HostCrash
          ? { outcome: 'crash', detail: error.detail }
          : { outcome: 'crash', detail: `the fuzz harness caught ${describeError(error)}` };
    }
    return escapeMark() ?? verdict;
  }

  /** The steps, then the health check. */
  private consoleCase(board: BoardUnderTest, steps: readonly ConsoleStep[]): Verdict {
    for (const step of steps) {
      board.type(step.bytes);
      board.run(step.thenMs);
    }
    return checkHealth(board);
  }

  private async apiCase(request: string): Promise<Verdict> {
    const fixture = await this.apiFixture();
    const board = this.strapBoard();
    resetBoard(board, this.firmwareText());
    await sendRaw(fixture.api.port, request);
    if (!(await apiAnswers(fixture.api))) return { outcome: 'hang', detail: 'the API no longer answers GET /health' };
    return checkHealth(board);
  }

  private plainBoard(): BoardUnderTest {
    this.plain ??= createBoardUnderTest();
    return this.plain;
  }

  private strapBoard(): BoardUnderTest {
    this.strap ??= createBoardUnderTest({ firmware: this.firmwareText() });
    return this.strap;
  }

  private async apiFixture(): Promise<ApiFixture> {
    this.api ??= await startApiFixture(this.strapBoard());
    return this.api;
  }

  private firmwareText(): string {
    this.firmware ??= readFileSync(BUNDLE_PATH, 'latin1');
    return this.firmware;
  }
}

/** An escape probe (known-nasty.ts ESCAPE_PROBE) that reached the host left its mark on `process`: taken off and reported. */
function escapeMark(): Verdict | undefined {
  const host = process as unknown as Record<string, unknown>;
  const mark = host[ESCAPE_MARK];
  if (mark === undefined) return undefined;
  delete host[ESCAPE_MARK];
  return { outcome: 'escape', detail: `board code ${String(mark)}` };
}
