// `npm start`: `strap sim` (cli/commands/sim.ts) on this process's arguments,
// so that it checks its command line, reports errors and exits as every
// strap command does. An entry point like bin/strap.js; nothing imports it.
import { runCli } from '../cli/cli';

// Exit explicitly: the console's TCP server and the paced driver hold the event loop.
process.exit(await runCli(['sim', ...process.argv.slice(2)]));
