// Issue 8, "a flasher that always recovers": a flash cut at every packet
// (power and port gone as the k-th Espruino packet starts to arrive) and
// after every phase, on the layouts a board can be in. Each time the error
// must say what the board boots, that must be what it boots, and the next
// plain flash must bring up the new firmware. Boards are in-memory
// (hil/board-on-memory-link.ts): a cut is deterministic and a flash takes
// a few milliseconds of wall time.
import { describe, expect, it } from 'vitest';
import type { EspruinoConsoleClient } from '../host-bridge/console/index';
import { describeOutcome, flashFirmware, type BootClaim, type BootOutcome, type FlashProgress } from '../host-bridge/flash/index';
import { BoardOnMemoryLink, OTHER_APP_LINE, type BootSeen } from './board-on-memory-link';
import { miniFirmware } from './mini-firmware';

interface Layout {
  name: string;
  /** Storage size: 40 KB as on a Puck.js, or smaller so that two slots do not fit. */
  pages?: number;
  /** How the board is before the flash under test. */
  setUp(board: BoardOnMemoryLink): Promise<void>;
  bundle: string;
  /** The firmware's banner after the flash. */
  firmware: string;
  force?: boolean;
  /** The previous firmware stays in the other slot (FlashResult.keptPrevious). */
  keepsPrevious: boolean;
  /** What the board boots after the cuts, taken together. */
  windows: BootSeen['kind'][];
}

/** Few DATA packets per bundle: each is cut like the others, and the sweep stays short. */
const CHUNK_BYTES = 512;
const PHASES: FlashProgress['phase'][] = ['identify', 'prepare', 'upload', 'verify', 'activate', 'reset'];

const LAYOUTS: Layout[] = [
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
      const start = await startImage(layout);
      const packets = await packetsOfAFlash(layout, start);
      expect(packets).toBeGreaterThan(5);
      const cuts: { at: string; cut: (b: BoardOnMemoryLink) => (p: FlashProgress) => void }[] = [];
      for (let k = 1; k <= packets; k++) cuts.push({ at: `packet ${k} of ${packets}`, cut: (b) => (b.cutAtPacket(k), () => undefined) });
      for (const phase of PHASES) {
        cuts.push({ at: `after ${phase}`, cut: (b) => (p) => p.phase === phase && p.sentBytes === p.totalBytes && b.cutNow() });
      }
      const seen = new Set<string>();
      for (const { at, cut } of cuts) {
        const board = new BoardOnMemoryLink({ image: start.image, flash: { pageCount: layout.pages } });
        const client = await board.connect();
        const onProgress = cut(board);
        const error = await flashFirmware(client, { bundle: layout.bundle, force: layout.force, chunkBytes: CHUNK_BYTES, bannerTimeoutMs: 1000, onProgress }).then(
          () => undefined,
          (e: unknown) => e as Error & Partial<BootClaim> & { nothingWritten?: boolean },
        );
        await client.close().catch(() => undefined);
        // The reset phase's cut comes after load(): the board may be booting the new firmware already.
        if (!error) {
          expect(at, 'only a cut after the last step lets the flash finish').toBe('after reset');
          continue;
        }
        const booted = board.boot();
        if (error.nothingWritten) {
          expect(booted, `${at}: ${error.message}`).toEqual(start.booted);
        } else {
          expect(error.boots?.length, `${at}: ${error.name}: ${error.message}`).toBeGreaterThan(0);
          const claims = error.boots!;
          for (const claim of claims) expect(error.message, at).toContain(describeOutcome(claim));
          expect(claims.some((c) => fits(booted, c)), `${at}: claimed "${error.message}", booted ${JSON.stringify(booted)}`).toBe(true);
        }
        seen.add(booted.kind);

        const again = await board.connect();
        const result = await flashFirmware(again, { bundle: layout.bundle, force: layout.force, chunkBytes: CHUNK_BYTES, bannerTimeoutMs: 1000 }).catch((e: Error) => {
          throw new Error(`${at}: the next flash failed after "${error.message}": ${e.message}`);
        });
        expect(result.banner, at).toContain(`${layout.firmware} on PUCKJS`);
        await again.close();
        expect(board.boot(), at).toEqual({ kind: 'strap', firmware: layout.firmware });
      }
      // The sweep went through the windows that matter for this layout.
      expect([...seen].sort()).toEqual([...layout.windows].sort());
    }, 60_000);
  }
});

/** Whether what booted is what the claim says. */
function fits(booted: BootSeen, claim: BootOutcome): boolean {
  switch (claim.kind) {
    case 'slot':
      return booted.kind === 'strap' && (claim.firmware === undefined || claim.firmware === booted.firmware);
    case 'bootcde':
      return claim.strap ? booted.kind === 'strap' && (claim.firmware === undefined || claim.firmware === booted.firmware) : booted.kind === 'other';
    case 'safe-mode':
      return booted.kind === 'safe-mode';
    case 'prompt':
      return booted.kind === 'prompt';
  }
}

async function flashWith(board: BoardOnMemoryLink, bundle: string, force: boolean): Promise<void> {
  const client = await board.connect();
  await flashFirmware(client, { bundle, force, chunkBytes: CHUNK_BYTES, bannerTimeoutMs: 1000 });
  await client.close();
}

/** The layout's Storage before the flash under test, and what it boots. */
async function startImage(layout: Layout): Promise<{ image: Uint8Array; booted: BootSeen }> {
  const board = new BoardOnMemoryLink({ flash: { pageCount: layout.pages } });
  await layout.setUp(board);
  const booted = board.boot();
  return { image: board.board.flash.snapshot(), booted };
}

/** How many packets a whole flash of the layout sends (a clean run). */
async function packetsOfAFlash(layout: Layout, start: { image: Uint8Array }): Promise<number> {
  const board = new BoardOnMemoryLink({ image: start.image, flash: { pageCount: layout.pages } });
  const client: EspruinoConsoleClient = await board.connect();
  board.cutAtPacket(Number.POSITIVE_INFINITY);
  const result = await flashFirmware(client, { bundle: layout.bundle, force: layout.force, chunkBytes: CHUNK_BYTES, bannerTimeoutMs: 1000 });
  expect(result.keptPrevious).toBe(layout.keepsPrevious);
  await client.close();
  return board.packets;
}
