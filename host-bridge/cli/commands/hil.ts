/**
 * `strap hil`: the HIL scenario suite on a rig. The suite lives in hil/,
 * which host-bridge must not import (hil/ imports host-bridge and sim/), so
 * it runs as a child process (hil/run-suite-cli.ts) that reports each
 * result over an IPC channel; a child also keeps a rig's virtual board and
 * its timers out of the CLI's process. Results are printed here.
 */
import { resolve } from 'node:path';
import { runChildScript } from '../child-script.js';
import type { Command } from '../command.js';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes.js';
import { HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, checkPort, parseOptions } from '../options.js';
import { printJson, reportFailure } from '../output.js';

const RIGS = ['in-process', 'pty', 'bench'] as const;
type Rig = (typeof RIGS)[number];

/** What hil/run-suite.ts reports per scenario (the fields printed here). */
export interface ScenarioResult {
  name: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  reason?: string;
  durationMs: number;
  artifacts: string[];
}

export interface SuiteSummary {
  passed: number;
  failed: number;
  skipped: number;
  results: ScenarioResult[];
  reportDir: string;
}

type SuiteMessage =
  | { type: 'result'; result: ScenarioResult }
  | { type: 'summary'; summary: SuiteSummary }
  | { type: 'error'; name: string; message: string };

const HELP = `Usage: strap hil [--rig in-process|pty|bench] [--port <port>] [--report <dir>] [--tags a,b] [--without a,b] [--json]

Runs the hardware-in-the-loop scenario suite (hil/) on a rig, one line per
scenario on stderr; scenarios needing what the rig lacks are skipped with the
reason. Writes <report>/junit.xml and each scenario's artifacts.

Rigs:
  in-process   the virtual board in this process, on virtual time (default)
  pty          the virtual board as a separate process on a pseudo-terminal (needs socat)
  bench        a real board at --port or $HIL_PORT ($PPK2_PORT adds current probing)

Options:
      --rig <rig>      in-process, pty or bench (default in-process)
  -p, --port <port>    the bench board (default $HIL_PORT): /dev/ttyACM0 or tcp://HOST:PORT
      --report <dir>   where reports go (default artifacts/hil/<rig> in the repository)
      --tags <a,b>     only the scenarios with one of these tags or names
      --without <a,b>  run as a rig without these capabilities would (e.g. current,led): their scenarios skip
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

Examples:
  strap hil
  strap hil --rig pty --tags boot,console-rpc --json
  HIL_PORT=/dev/ttyACM0 strap hil --rig bench --report artifacts/bench

${EXIT_CODES_HELP}`;

export const hilCommand: Command = {
  name: 'hil',
  summary: 'the HIL scenario suite on a rig (in-process, pty, bench); JUnit report',
  help: HELP,
  async run(argv) {
    const values = parseOptions('hil', argv, {
      rig: { type: 'string', default: 'in-process' },
      port: { type: 'string', short: 'p' },
      report: { type: 'string' },
      tags: { type: 'string' },
      without: { type: 'string' },
      ...JSON_OPTION,
    });
    const rig = values.rig as Rig;
    if (!RIGS.includes(rig)) throw new UsageError(`--rig must be one of ${RIGS.join(', ')}, got ${JSON.stringify(values.rig)}`);
    const port = benchPort(rig, values.port);
    const options = {
      rig,
      port,
      reportDir: values.report === undefined ? undefined : resolve(values.report),
      tags: list(values.tags),
      without: list(values.without),
    };

    let summary: SuiteSummary | undefined;
    let failure: { name: string; message: string } | undefined;
    const exitCode = await runChildScript('hil/run-suite-cli.ts', [JSON.stringify(options)], {
      // The suite's own output (console logs of rigs) goes to stderr: stdout is for the summary.
      stdio: ['ignore', 2, 2],
      onMessage: (raw) => {
        const message = raw as SuiteMessage;
        if (message.type === 'result') process.stderr.write(describeResult(message.result));
        else if (message.type === 'summary') summary = message.summary;
        else failure = message;
      },
    });
    if (failure) return reportFailure('hil', Object.assign(new Error(failure.message), { name: failure.name }), { json: values.json, port });
    if (!summary) return reportFailure('hil', new Error(`the HIL suite process ended without a summary (exit code ${exitCode})`), { json: values.json });
    if (values.json) printJson({ rig, ...summary });
    else process.stdout.write(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped on the ${rig} rig; report in ${summary.reportDir}\n`);
    return summary.failed > 0 ? ExitCode.failed : ExitCode.ok;
  },
};

function list(option: string | undefined): string[] | undefined {
  return option?.split(',').map((t) => t.trim()).filter(Boolean);
}

function benchPort(rig: Rig, option: string | undefined): string | undefined {
  if (rig !== 'bench') {
    if (option !== undefined) throw new UsageError(`--port is for --rig bench only (the ${rig} rig makes its own board)`);
    return undefined;
  }
  const port = option ?? process.env.HIL_PORT;
  if (!port) throw new UsageError('--rig bench needs the board: --port <port> or HIL_PORT');
  return checkPort(port);
}

function describeResult(r: ScenarioResult): string {
  const label = r.status === 'passed' ? 'pass' : r.status === 'failed' ? 'FAIL' : 'skip';
  return `  ${label}  ${r.name}: ${r.title} (${(r.durationMs / 1000).toFixed(1)} s)${r.reason ? ` - ${r.reason}` : ''}\n`;
}

