/**
 * `strap api`: the local API (../../api/, HTTP + WebSocket on 127.0.0.1 with a
 * bearer token) in front of one board, for the companion app, a dashboard or
 * a rig in another process. Runs until Ctrl-C or the board's port goes
 * away (exit 3).
 */
import { startLocalApi } from '../../host-bridge/api/local-api';
import { RpcClient } from '../../host-bridge/rpc/rpc-client';
import { connectBoard, requireStrapFirmware } from '../board';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode } from '../exit-codes';
import { BOARD_OPTIONS, BOARD_OPTIONS_HELP, HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, boardTarget, parseOptions, positiveInteger } from '../options';
import { printJson, reportFailure } from '../output';

const HELP = `Usage: strap api --port <port> [--api-port <n>] [--token <t>] [--json]

Serves the board's console RPC and event stream on 127.0.0.1 (the local API:
GET /health, GET /status, POST /rpc {"method","params"}, WebSocket /events),
every request but /health with "Authorization: Bearer <token>". Prints the
URL and the token (a new random one unless --token or $STRAP_API_TOKEN), then
runs until Ctrl-C. Reference: host-bridge/api/README.md.

Options:
${BOARD_OPTIONS_HELP}
      --api-port <n>   the API's TCP port (default: a free one, printed)
      --token <t>      the bearer token (default $STRAP_API_TOKEN, else random)
${JSON_OPTION_HELP.replace('print the result', 'print {url, port, token}')}
${HELP_OPTION_HELP}

Examples:
  strap api --port /dev/ttyACM0
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:PORT/status

${EXIT_CODES_HELP}`;

export const apiCommand: Command = {
  name: 'api',
  summary: 'the local API (HTTP + WebSocket on 127.0.0.1, with a token) in front of a board',
  help: HELP,
  async run(argv) {
    const values = parseOptions('api', argv, { ...BOARD_OPTIONS, 'api-port': { type: 'string' }, token: { type: 'string' }, ...JSON_OPTION });
    const target = boardTarget(values);
    const apiPort = values['api-port'] === undefined ? 0 : positiveInteger('--api-port', values['api-port']);
    try {
      const client = await connectBoard(target);
      await requireStrapFirmware(client, target.timeoutMs);
      const rpc = new RpcClient(client, { timeoutMs: target.timeoutMs });
      const api = await startLocalApi({
        rpc,
        port: apiPort,
        token: values.token ?? process.env.STRAP_API_TOKEN,
        announce: (line) => {
          if (!values.json) process.stderr.write(line + '\n');
        },
      });
      if (values.json) printJson({ url: api.url, port: api.port, token: api.token });
      const gone = new Promise<number>((resolve) => client.transport.on('close', () => resolve(ExitCode.unreachable)));
      const interrupted = new Promise<number>((resolve) => process.once('SIGINT', () => resolve(ExitCode.ok)));
      const code = await Promise.race([gone, interrupted]);
      if (code === ExitCode.unreachable) process.stderr.write(`strap api: ${target.port} is gone\n`);
      await api.close();
      rpc.close();
      await client.close().catch(() => undefined);
      return code;
    } catch (error) {
      return reportFailure('api', error, { json: values.json, port: target.port });
    }
  },
};
