/**
 * `strap api`: the local API (../../api/, HTTP + WebSocket on 127.0.0.1 with a
 * bearer token) in front of one board, for the companion app, a dashboard or
 * a rig in another process. Runs until Ctrl-C or the board's port goes
 * away (exit 3). The token never comes from the command line (api-token.ts).
 */
import { startLocalApi } from '../../host-bridge/api/local-api';
import { RpcClient } from '../../host-bridge/rpc/rpc-client';
import { connectBoard, requireStrapFirmware } from '../board';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes';
import { BOARD_OPTIONS, BOARD_OPTIONS_HELP, HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, boardTarget, parseOptions, positiveInteger } from '../options';
import { printJson, reportFailure } from '../output';
import { TOKEN_ENV, TOKEN_ON_COMMAND_LINE, resolveApiToken, type ApiToken } from './api-token';

const HELP = `Usage: strap api --port <port> [--api-port <n>] [--token-file <path>] [--json]

Serves the board's console RPC and event stream on 127.0.0.1 (the local API:
GET /health, GET /status, POST /rpc {"method","params"}, WebSocket /events),
every request but /health with "Authorization: Bearer <token>". Prints the
URL (and the token when it made one), then runs until Ctrl-C.
Reference: host-bridge/api/README.md.

The token, never on the command line (every local user can read the process
list; --token is refused):
  --token-file <path>  the first line of a file only you can read (chmod 600);
                       if it does not exist, a new token is written to it (mode 600)
  $STRAP_API_TOKEN     used when there is no --token-file
  neither              a new random token (256 bits), printed once
A token of your own: at least 32 characters of letters, digits, - _ . ~
(base64url or hex: openssl rand -hex 32), at least 10 different ones.

Options:
${BOARD_OPTIONS_HELP}
      --api-port <n>     the API's TCP port (default: a free one, printed)
      --token-file <path> where the bearer token is (see above)
${JSON_OPTION_HELP.replace('print the result', 'print {url, port, token}')}
${HELP_OPTION_HELP}

Examples:
  strap api --port /dev/ttyACM0
  strap api --port /dev/ttyACM0 --token-file ~/.config/strap/api-token
  curl -H "Authorization: Bearer $(cat ~/.config/strap/api-token)" http://127.0.0.1:PORT/status

${EXIT_CODES_HELP}`;

export const apiCommand: Command = {
  name: 'api',
  summary: 'the local API (HTTP + WebSocket on 127.0.0.1, with a token) in front of a board',
  help: HELP,
  async run(argv) {
    const values = parseOptions('api', argv, {
      ...BOARD_OPTIONS,
      'api-port': { type: 'string' },
      'token-file': { type: 'string' },
      // parsed only to be refused with a message that says where the token goes instead
      token: { type: 'string' },
      ...JSON_OPTION,
    });
    if (values.token !== undefined) throw new UsageError(TOKEN_ON_COMMAND_LINE);
    const target = boardTarget(values);
    const apiPort = values['api-port'] === undefined ? 0 : positiveInteger('--api-port', values['api-port']);
    const apiToken = resolveApiToken(values['token-file']);
    try {
      const client = await connectBoard(target);
      await requireStrapFirmware(client, target.timeoutMs);
      const rpc = new RpcClient(client, { timeoutMs: target.timeoutMs });
      const api = await startLocalApi({
        rpc,
        port: apiPort,
        token: apiToken.token,
        announce: (line) => {
          if (!values.json) process.stderr.write(announcement(line, apiToken) + '\n');
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

/** The start-up line: a token the user gave (file, environment) is not echoed, only where it is. */
function announcement(line: string, apiToken: ApiToken): string {
  if (apiToken.origin === 'generated') return line;
  const where = apiToken.origin === 'env' ? `from $${TOKEN_ENV}` : apiToken.created ? `new, written to ${apiToken.path} (mode 600)` : `from ${apiToken.path}`;
  return line.replace(`(token: ${apiToken.token})`, `(token ${where})`);
}
