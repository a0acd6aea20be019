/** `strap api`'s command line: the token is refused there (exit 2) and the message says where it goes. */
import { describe, expect, it } from 'vitest';
import { runStrap } from '../testing/run-strap';

describe('strap api usage', () => {
  it('--token on the command line: exit 2, the token not echoed, $STRAP_API_TOKEN and --token-file named (regression: the token sat in the process list)', async () => {
    const secret = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8';
    const run = await runStrap(['api', '--port', 'tcp://127.0.0.1:9', '--token', secret]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('strap api: --token is refused: a token on the command line is visible to every local user in the process list.');
    expect(run.stderr).toContain('$STRAP_API_TOKEN');
    expect(run.stderr).toContain('--token-file <path>');
    expect(run.stderr + run.stdout).not.toContain(secret);
  });

  it('a weak $STRAP_API_TOKEN: exit 2 before any board is contacted, saying why', async () => {
    const run = await runStrap(['api', '--port', 'tcp://127.0.0.1:9'], { env: { STRAP_API_TOKEN: 'eighteen-char-tokn' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('strap api: $STRAP_API_TOKEN is too weak to guard the API: it is 18 characters long; at least 32 are needed');
  });

  it('--help says where the token goes and what a token must be', async () => {
    const run = await runStrap(['api', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--token-file <path>');
    expect(run.stdout).toContain('$STRAP_API_TOKEN');
    expect(run.stdout).toContain('--token is refused');
    expect(run.stdout).toContain('at least 32 characters');
  });
});
