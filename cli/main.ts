// The `strap` binary's entry (bin/strap.js loads it with tsx).
import { runCli } from './cli';

// Exit explicitly: a port library may keep the event loop alive after its port is closed.
process.exit(await runCli(process.argv.slice(2)));
