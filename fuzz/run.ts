/**
 * `npm run fuzz`: the long run. 100,000 cases by default over the eight kinds,
 * in child processes watched for hangs and crashes (supervisor.ts); prints how
 * many it tried per kind and how they ended, then each finding with its seed
 * and the command that replays it. Exit 0 when every case was ok, 1 when
 * something was found, 2 for a usage error.
 *
 *   npm run fuzz -- [--count N] [--seed TEXT] [--kind K[,K...]] [--jobs J] [--include-open-defects]
 *   npm run fuzz -- --replay KIND:SEED       one case, in this process, with its input and verdict
 *
 * The generators leave out the triggers of the defects listed in
 * open-defects.ts (being fixed elsewhere) unless --include-open-defects: each
 * of those costs a wall budget (a hang) or ten seconds (a crash), so a run
 * with them takes hours until they are fixed.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { FUZZ_KINDS, isFuzzKind, replayCommand, type CaseResult, type FuzzKind } from './fuzz-case';
import { FuzzSession } from './run-case';
import { emptyTally, record, type KindTally } from './runner';
import { runBatch } from './supervisor';

/** Share of the cases each kind gets (the slower kinds fewer). */
const WEIGHTS: Record<FuzzKind, number> = { 'console-bytes': 0.35, 'hostile-js': 0.3, 'packet-frames': 0.2, 'rpc-frames': 0.1, 'api-requests': 0.05, 'se-frames': 0.1, 'nci-packets': 0.05, 'payment-apdus': 0.05 };
const BATCH = 2500;

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        count: { type: 'string', default: '100000' },
        seed: { type: 'string', default: 'fuzz' },
        kind: { type: 'string' },
        jobs: { type: 'string', default: String(Math.min(2, availableParallelism())) },
        replay: { type: 'string' },
        'include-open-defects': { type: 'boolean', default: false },
        'wall-budget-ms': { type: 'string', default: '15000' },
      },
      strict: true,
    }).values;
  } catch (error) {
    process.stderr.write(`fuzz: ${(error as Error).message}\n`);
    return 2;
  }
  const avoidOpenDefects = !values['include-open-defects'];
  if (values.replay !== undefined) return replay(values.replay, avoidOpenDefects);
  const count = Number(values.count);
  const jobs = Number(values.jobs);
  const wallBudgetMs = Number(values['wall-budget-ms']);
  const kinds = values.kind === undefined ? [...FUZZ_KINDS] : values.kind.split(',');
  if (!Number.isInteger(count) || count < 1) return usage('--count must be a whole number > 0');
  if (!Number.isInteger(jobs) || jobs < 1) return usage('--jobs must be a whole number > 0');
  const unknown = kinds.find((k) => !isFuzzKind(k));
  if (unknown) return usage(`unknown kind ${unknown}; kinds: ${FUZZ_KINDS.join(', ')}`);

  const chosen = kinds as FuzzKind[];
  const weight = chosen.reduce((sum, k) => sum + WEIGHTS[k], 0);
  const tasks: { kind: FuzzKind; from: number; count: number }[] = [];
  for (const kind of chosen) {
    const n = Math.max(1, Math.round((count * WEIGHTS[kind]) / weight));
    for (let from = 0; from < n; from += BATCH) tasks.push({ kind, from, count: Math.min(BATCH, n - from) });
  }
  const tallies = new Map<FuzzKind, KindTally>(chosen.map((k) => [k, emptyTally()]));
  const started = Date.now();
  let done = 0;
  const total = tasks.reduce((sum, t) => sum + t.count, 0);
  process.stderr.write(`fuzz: ${total} cases (seed "${values.seed}", ${jobs} process${jobs > 1 ? 'es' : ''}${avoidOpenDefects ? ', open defects avoided' : ''})\n`);
  const onResult = (result: CaseResult) => {
    record(tallies.get(result.kind)!, result);
    if (++done % 1000 === 0) process.stderr.write(`fuzz: ${done}/${total} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  };
  const queue = tasks.slice();
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        await runBatch({ ...task, master: values.seed!, avoidOpenDefects }, { wallBudgetMs, heapMb: 1024 }, onResult);
      }
    }),
  );
  return report(tallies, (Date.now() - started) / 1000);
}

function report(tallies: Map<FuzzKind, KindTally>, seconds: number): number {
  const rows = [['kind', 'tried', 'ok', 'crash', 'hang', 'unhealthy', 'escape']];
  let tried = 0;
  let found = 0;
  for (const [kind, t] of tallies) {
    rows.push([kind, t.tried, t.outcomes.ok, t.outcomes.crash, t.outcomes.hang, t.outcomes.unhealthy, t.outcomes.escape].map(String));
    tried += t.tried;
    found += t.tried - t.outcomes.ok;
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) process.stdout.write(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ') + '\n');
  process.stdout.write(`${tried} inputs in ${seconds.toFixed(0)} s; ${found} finding${found === 1 ? '' : 's'}\n`);
  for (const t of tallies.values()) {
    for (const f of t.findings) {
      process.stdout.write(`\n${f.verdict.outcome} in ${f.kind} seed ${f.seed}: ${'detail' in f.verdict ? f.verdict.detail : ''}\n  input ${f.input}\n  replay: ${replayCommand(f.kind, f.seed)}\n`);
    }
  }
  return found === 0 ? 0 : 1;
}

async function replay(spec: string, avoidOpenDefects: boolean): Promise<number> {
  const [kind, seedText] = spec.split(':');
  if (kind === undefined || !isFuzzKind(kind) || !/^\d+$/.test(seedText ?? '')) return usage('--replay takes KIND:SEED, e.g. hostile-js:123456');
  const session = new FuzzSession({ avoidOpenDefects });
  try {
    const result = await session.runCase(kind, Number(seedText));
    process.stdout.write(`${kind} seed ${result.seed}\n  input ${result.input}\n  verdict ${JSON.stringify(result.verdict)}\n`);
    return result.verdict.outcome === 'ok' ? 0 : 1;
  } finally {
    await session.close();
  }
}

function usage(message: string): number {
  process.stderr.write(`fuzz: ${message}\n`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
