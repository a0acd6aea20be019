import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files that mostly wait, longest first: the real-time rig, then child processes, the espruino CLI, pseudo-terminals. */
const WAITING = [/^hil\/suite-realtime[.-]/, /^(hil|cli)\//];

/**
 * Vitest runs the files that took longest last time first. Without that record (a clean clone, as in CI)
 * it would start with the biggest files, leaving the small files that wait longest (the real-time rig's)
 * to the end, where nothing runs beside them: then the waiting ones go first.
 */
class WaitingFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const relative = (file: TestSpecification) => path.relative(this.ctx.config.root, file.moduleId);
    const recorded = sorted.every((file) => this.ctx.cache.getFileTestResults(`${file.project.name}:${relative(file)}`));
    if (recorded) return sorted;
    const rank = (file: TestSpecification) => {
      const index = WAITING.findIndex((pattern) => pattern.test(relative(file)));
      return index === -1 ? WAITING.length : index;
    };
    return sorted.map((file, order) => ({ file, order, rank: rank(file) })).sort((a, b) => a.rank - b.rank || a.order - b.order).map(({ file }) => file);
  }
}

export default defineConfig({
  test: {
    include: ['{protocols,firmware,sim,host-bridge,hil,bench,cli,testing,fuzz}/**/*.test.ts'],
    // Integration tests start child processes (espruino CLI, socat); give them room on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['./vitest.global-setup.ts'],
    // Many files spend their time waiting (child processes starting, the espruino CLI's quiet periods, the
    // real-time rig): more workers than cores keep the cores busy meanwhile (vitest's default is cores - 1).
    // Measured on a quiet 2-core machine, whole suite: 3 workers 152 s, 4 workers 126 s, 5 workers 113 s.
    // Again once the real-time rig's quick part was split over four files, on the same 2-core machine busy with
    // other work (load average 8-10), vitest alone: 4 workers 156 s, 6 workers 112 s, 8 workers 109 s; the
    // suite used ~1.1 cores of the 2 at 4 workers, and the timing-sensitive files (real-time rig, espruino CLI)
    // passed at 6 and 8. 6: past it the gain is small and the workers' module loading grows (import 67 s at 6,
    // 87 s at 8, summed over workers).
    maxWorkers: 6,
    // A worker keeps the modules it loaded from one test file to the next instead of loading them again for
    // each (about a third of the suite's CPU time). Tests that stub globals or fake timers undo it in afterEach.
    isolate: false,
    sequence: { sequencer: WaitingFirst },
  },
});
