// `npm start`: the simulator (cli.ts) on this process's arguments, stdout and stderr.
import { runSimulator } from './cli';

// Exit explicitly: the console's TCP server and the paced driver hold the event loop.
process.exit(await runSimulator(process.argv.slice(2)));
