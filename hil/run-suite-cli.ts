/**
 * The HIL suite as a child process of `strap hil` (host-bridge/cli/commands/hil.ts):
 * host-bridge must not import hil/, so the CLI spawns this file by path.
 * Options arrive as one JSON argument (already checked by the CLI); each
 * scenario result, then the summary or the error, go back over the IPC
 * channel; the CLI does the printing and picks the exit code.
 */
import { runHilSuite, type HilSuiteOptions } from './run-suite';

type Options = Omit<HilSuiteOptions, 'onResult'>;

const send = (message: unknown) => new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
let pending = Promise.resolve();
try {
  const summary = await runHilSuite({
    ...options,
    onResult: (result) => {
      pending = pending.then(() => send({ type: 'result', result }));
    },
  });
  await pending;
  await send({ type: 'summary', summary });
} catch (error) {
  await pending;
  const e = error instanceof Error ? error : new Error(String(error));
  await send({ type: 'error', name: e.name, message: e.message });
}
// A rig may leave handles behind (a serial port, a child board): the CLI has all it needs.
process.exit(0);
