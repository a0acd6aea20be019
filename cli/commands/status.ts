/** `strap status`: connect, check it is a strap, call the RPC `status`, print it. */
import type { StrapStatus } from '../../protocols/strap-rpc/contract';
import { RpcClient } from '../../host-bridge/rpc/rpc-client';
import { connectBoard, requireStrapFirmware } from '../board';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode } from '../exit-codes';
import { BOARD_OPTIONS, BOARD_OPTIONS_HELP, HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, boardTarget, parseOptions } from '../options';
import { printJson, reportFailure } from '../output';

const HELP = `Usage: strap status --port <port> [--json]

Connects to the board's console, checks that it runs the strap firmware and
asks it for its status (the console RPC method \`status\`, what strap.status()
answers): firmware, Espruino, board, mode, uptime, boots, battery, presses,
power mode and shed level, payments left and paid, error flags.

Options:
${BOARD_OPTIONS_HELP}
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

Examples:
  strap status --port /dev/ttyACM0
  strap status --port tcp://127.0.0.1:4000 --json | jq .battPct

${EXIT_CODES_HELP}`;

export const statusCommand: Command = {
  name: 'status',
  summary: "the strap's status: firmware, boots, battery, mode, payments left",
  help: HELP,
  async run(argv) {
    const values = parseOptions('status', argv, { ...BOARD_OPTIONS, ...JSON_OPTION });
    const target = boardTarget(values);
    try {
      const client = await connectBoard(target);
      try {
        await requireStrapFirmware(client, target.timeoutMs);
        const rpc = new RpcClient(client, { timeoutMs: target.timeoutMs });
        const status = await rpc.status().finally(() => rpc.close());
        if (values.json) printJson(status);
        else process.stdout.write(describeStatus(status, target.port));
      } finally {
        await client.close().catch(() => undefined);
      }
      return ExitCode.ok;
    } catch (error) {
      return reportFailure('status', error, { json: values.json, port: target.port });
    }
  },
};

export function describeStatus(s: StrapStatus, port: string): string {
  const rows: [string, string][] = [
    ['mode', s.mode === 'safe' ? `safe (${s.safeReason ?? 'no reason given'})` : s.mode],
    ['up', `${s.upS} s`],
    ['boots', String(s.boots)],
    ['battery', `${s.battPct} % (${s.battV.toFixed(2)} V)`],
    ['presses', String(s.presses)],
    ...(s.pwr === undefined ? [] : ([['power', `${s.pwr}, shed ${s.shed}, estimate ${s.estPct} %`]] as [string, string][])),
    ['payments', `${s.payLeft === undefined ? 'unknown' : s.payLeft} left, ${s.paid} paid${s.lastTap ? ` (last: ${s.lastTap})` : ''}`],
    ['errors', s.errors.length ? s.errors.join(', ') : 'none'],
  ];
  return [`${s.fw} on ${s.board} (Espruino ${s.espruino}) at ${port}`, ...rows.map(([k, v]) => `  ${k.padEnd(8)} ${v}`)].join('\n') + '\n';
}
