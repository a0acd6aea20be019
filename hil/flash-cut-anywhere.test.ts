// Issue 8, "a flasher that always recovers": a flash cut at every packet
// (power and port gone as the k-th Espruino packet starts to arrive) and
// after every phase, on the layouts a board can be in (flash-cut-sweep.ts).
// Each time the error must say what the board boots, that must be what it
// boots, and the next flash must bring up the new firmware. Small bundles in
// 512-byte packets keep it to seconds; `npx tsx hil/flash-cut-sweep.ts`
// sweeps the real bundle.
import { describe, expect, it } from 'vitest';
import { OTHER_APP_LINE } from './rigs/virtual/board-on-memory-link';
import { flashWith, sweepFlashCuts, type CutLayout } from './flash-cut-sweep';
import { miniFirmware } from './mini-firmware';

const LAYOUTS: CutLayout[] = [
  {
    name: 'two slots: strap 1.0.0 in slot a, 1.1.0 goes to slot b',
    setUp: (b) => flashWith(b, miniFirmware('1.0.0', 600), true),
    bundle: miniFirmware('1.1.0', 600),
    firmware: 'strap 1.1.0',
    keepsPrevious: true,
    windows: ['strap'],
  },
  {
    name: 'single slot: 3 KB bundles in 8 KB of Storage',
    pages: 2,
    setUp: (b) => flashWith(b, miniFirmware('1.0.0', 3000), true),
    bundle: miniFirmware('1.1.0', 3000),
    firmware: 'strap 1.1.0',
    keepsPrevious: false,
    windows: ['strap', 'safe-mode'],
  },
  {
    name: 'the strap in .bootcde (flashed by the espruino CLI), no loader yet',
    setUp: async (b) => b.board.writeFile('.bootcde', miniFirmware('0.9.0', 600)),
    bundle: miniFirmware('1.0.0', 600),
    firmware: 'strap 1.0.0',
    keepsPrevious: false,
    windows: ['strap', 'prompt'],
  },
  {
    name: "single slot, loader first: the strap's own 3 KB .bootcde makes room in 8 KB",
    pages: 2,
    setUp: async (b) => b.board.writeFile('.bootcde', miniFirmware('0.9.0', 3000)),
    bundle: miniFirmware('1.0.0', 3000),
    firmware: 'strap 1.0.0',
    keepsPrevious: false,
    windows: ['strap', 'prompt', 'safe-mode'],
  },
  {
    name: "another app's .bootcde, replaced with --force",
    setUp: async (b) => b.board.writeFile('.bootcde', `print(${JSON.stringify(OTHER_APP_LINE)})`),
    bundle: miniFirmware('1.0.0', 600),
    firmware: 'strap 1.0.0',
    force: true,
    keepsPrevious: false,
    windows: ['other', 'prompt', 'strap'],
  },
];

describe('a flash cut at any packet or after any phase: the error says what the board boots, and the next flash boots the new firmware', () => {
  for (const layout of LAYOUTS) {
    it(layout.name, async () => {
      const sweep = await sweepFlashCuts(layout, 512);
      expect(sweep.packets).toBeGreaterThan(5);
      expect(sweep.problems).toEqual([]);
    }, 60_000);
  }
});
