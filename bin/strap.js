#!/usr/bin/env node
// The `strap` CLI (cli/README.md). The project's TypeScript is not
// precompiled: register tsx's loader, then run the CLI's entry.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../cli/main.ts', import.meta.url).href);
