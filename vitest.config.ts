import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{protocols,firmware,sim,host-bridge,hil,bench,cli,testing,fuzz}/**/*.test.ts'],
    // Integration tests start child processes (espruino CLI, socat); give them room on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
