import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{protocols,firmware,sim,host-bridge,hil,bench,cli,testing,fuzz}/**/*.test.ts'],
    // Integration tests start child processes (espruino CLI, socat); give them room on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['./vitest.global-setup.ts'],
    // Many files spend their time waiting (child processes starting, the espruino CLI's quiet periods, the
    // real-time rig): more workers than cores keep the cores busy meanwhile (vitest's default is cores - 1).
    maxWorkers: 3,
    // A worker keeps the modules it loaded from one test file to the next instead of loading them again for
    // each (about a third of the suite's CPU time). Tests that stub globals or fake timers undo it in afterEach.
    isolate: false,
  },
});
