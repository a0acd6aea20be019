/**
 * `strap hil`: the HIL scenario suite (hil/run-suite.ts) on a rig, in this
 * process: one line per scenario on stderr as it ends, the summary (or
 * --json) on stdout. A rig's own output never reaches stdout (the rigs write
 * to their reports), so --json stays parseable.
 */
import { resolve } from 'node:path';
import type { RigKind } from '../../hil/rig/rig';
import type { HilSuiteSummary, ScenarioResult } from '../../hil/run-suite';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes';
import { HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, checkPort, parseOptions } from '../options';
import { note, printJson, reportFailure } from '../output';
import { checkSerialDevice } from '../board';

const RIGS: readonly RigKind[] = ['in-process', 'pty', 'realtime', 'bench'];

const HELP = `Usage: strap hil [--rig in-process|pty|realtime|bench] [--port <port>] [--report <dir>] [--tags a,b] [--without a,b] [--json]

Runs the hardware-in-the-loop scenario suite (hil/) on a rig, one line per
scenario on stderr; scenarios needing what the rig lacks are skipped with the
reason; each line gives the scenario's wall time, and the summary the whole
run's (on realtime and bench: what the suite costs in real time). Writes
<report>/junit.xml and each scenario's artifacts; the previous junit.xml is
removed first. Ctrl-C stops the scenario under way, closes the
rig and writes a report that says the run was interrupted (exit 130).

Rigs:
  in-process   the virtual board in this process, on virtual time (default)
  pty          the virtual board as a separate process on a pseudo-terminal (needs socat)
  realtime     the same, in real time: never skipped ahead, only a bench's instruments (needs socat)
  bench        a real board at --port or $HIL_PORT ($PPK2_PORT adds current probing,
               $PCSC_READER a POS terminal on that PC/SC contactless reader,
               $HIL_HCI with $HIL_STRAP_ADDRESS a phone on that Bluetooth LE controller)

Options:
      --rig <rig>      in-process, pty, realtime or bench (default in-process)
  -p, --port <port>    the bench board (default $HIL_PORT): /dev/ttyACM0 or tcp://HOST:PORT
      --report <dir>   where reports go (default artifacts/hil/<rig> in the repository)
      --tags <a,b>     only the scenarios with one of these tags or names (an unknown one is a usage error)
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
  summary: 'the HIL scenario suite on a rig (in-process, pty, realtime, bench); JUnit report',
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
    const rig = values.rig as RigKind;
    if (!RIGS.includes(rig)) throw new UsageError(`--rig must be one of ${RIGS.join(', ')}, got ${JSON.stringify(values.rig)}`);
    const port = benchPort(rig, values.port);
    // Loaded when needed: the suite brings its rigs and the simulator.
    const { runHilSuite, selectScenarios, checkCapabilities, SuiteOptionError } = await import('../../hil/run-suite');
    const { SCENARIOS } = await import('../../hil/scenarios/index');
    const tags = list(values.tags);
    const without = list(values.without);
    try {
      selectScenarios(SCENARIOS, tags);
      checkCapabilities(without ?? []);
    } catch (error) {
      if (error instanceof SuiteOptionError) throw new UsageError(`--${error.option}: ${error.message}`);
      throw error;
    }
    const stop = new AbortController();
    const onSigint = () => {
      if (stop.signal.aborted) process.exit(ExitCode.interrupted); // a second Ctrl-C: at once
      note('hil', 'Ctrl-C: stopping the scenario under way, then closing the rig and writing the report (Ctrl-C again quits at once)');
      stop.abort();
    };
    process.on('SIGINT', onSigint);
    let summary: HilSuiteSummary;
    try {
      if (port) checkSerialDevice(port);
      summary = await runHilSuite({
        rig,
        port,
        reportDir: values.report === undefined ? undefined : resolve(values.report),
        tags,
        without,
        signal: stop.signal,
        onResult: (result) => process.stderr.write(describeResult(result)),
      });
    } catch (error) {
      return reportFailure('hil', error, { json: values.json, port });
    } finally {
      process.off('SIGINT', onSigint);
    }
    if (values.json) printJson({ rig, ...summary });
    else process.stdout.write(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped on the ${rig} rig in ${(summary.wallMs / 1000).toFixed(1)} s${summary.interrupted ? ', INTERRUPTED (Ctrl-C)' : ''}; report in ${summary.reportDir}\n`);
    if (summary.interrupted) {
      note('hil', `interrupted: the report (junit.xml) marks the scenario stopped as failed and the rest as not run`);
      return ExitCode.interrupted;
    }
    return summary.failed > 0 ? ExitCode.failed : ExitCode.ok;
  },
};

function list(option: string | undefined): string[] | undefined {
  return option?.split(',').map((t) => t.trim()).filter(Boolean);
}

function benchPort(rig: RigKind, option: string | undefined): string | undefined {
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

