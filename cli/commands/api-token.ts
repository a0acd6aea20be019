/**
 * Where `strap api` takes its bearer token from. Never the command line: an
 * argument is readable by every local user in the process list (`ps`,
 * /proc/PID/cmdline), so `--token` is refused and the message names the
 * ways that are not:
 *
 *   --token-file <path>   the first line of a file only its owner may read
 *                         (mode 0600: group/other bits refused, like ssh's
 *                         keys); a missing file is created with a new token,
 *                         mode 0600, for the app to read
 *   $STRAP_API_TOKEN      the environment (readable only by the same user)
 *   neither               a new random token (256 bits), printed once
 *
 * Any token given must pass tokenWeakness (../../host-bridge/api/bearer-token.ts):
 * at least 32 characters of base64url/hex, at least 10 different ones.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { generateToken, tokenWeakness } from '../../host-bridge/api/bearer-token';
import { UsageError } from '../exit-codes';

export const TOKEN_ENV = 'STRAP_API_TOKEN';

export const TOKEN_ON_COMMAND_LINE =
  `--token is refused: a token on the command line is visible to every local user in the process list. ` +
  `Put it in $${TOKEN_ENV}, or in a file only you can read (--token-file <path>, chmod 600), ` +
  `or give neither and strap api makes one`;

export interface ApiToken {
  token: string;
  /** Where it came from, for the start-up line (which shows only a generated token). */
  origin: 'file' | 'env' | 'generated';
  /** The token file, when one was read or written. */
  path?: string;
  /** The file did not exist and now holds a new token. */
  created?: boolean;
}

/** The token for `strap api`; a UsageError (exit 2) saying what to do when none can be used. */
export function resolveApiToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv = process.env): ApiToken {
  if (tokenFile !== undefined) return fromFile(tokenFile);
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    checkStrength(fromEnv, `$${TOKEN_ENV}`);
    return { token: fromEnv, origin: 'env' };
  }
  return { token: generateToken(), origin: 'generated' };
}

function fromFile(path: string): ApiToken {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return createTokenFile(path);
    if (code === 'ELOOP') throw new UsageError(`--token-file ${path} is a symbolic link; give the file itself`);
    throw new UsageError(`--token-file ${path} cannot be read: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UsageError(`--token-file ${path} is not a regular file`);
    const mode = stat.mode & 0o777;
    if (mode & 0o077) {
      throw new UsageError(`--token-file ${path} can be read by others (mode ${mode.toString(8).padStart(3, '0')}); run chmod 600 ${path}`);
    }
    const token = readFileSync(fd, 'utf8').split(/\r?\n/)[0]!.trim();
    checkStrength(token, `the token in ${path}`);
    return { token, origin: 'file', path };
  } finally {
    closeSync(fd);
  }
}

function createTokenFile(path: string): ApiToken {
  const token = generateToken();
  try {
    writeFileSync(path, token + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    throw new UsageError(`--token-file ${path} cannot be created: ${(error as Error).message}`);
  }
  return { token, origin: 'file', path, created: true };
}

function checkStrength(token: string, where: string): void {
  const weakness = tokenWeakness(token);
  if (weakness) throw new UsageError(`${where} is too weak to guard the API: ${weakness}`);
}
