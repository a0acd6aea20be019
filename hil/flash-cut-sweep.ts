/**
 * Cuts a flash at every packet and after every phase, and checks what each
 * cut left (issue 8, "a flasher that always recovers"): the error must say
 * what the board boots, the board must boot that, and the next flash with
 * the same options must bring up the new firmware. Boards are in-memory
 * (board-on-memory-link.ts), so a cut is deterministic and a flash of a few
 * KB costs milliseconds. hil/flash-cut-anywhere.test.ts sweeps small
 * bundles; run this file for the long sweep with the real bundle:
 *
 *   npx tsx hil/flash-cut-sweep.ts          # dist/strap.js on a Puck.js's 40 KB, 1 KB packets
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeOutcome, flashFirmware, type BootClaim, type BootOutcome, type FlashProgress } from '../host-bridge/flash/index';
import { BUNDLE_PATH } from '../firmware/build/outputs';
import { BoardOnMemoryLink, type BootSeen } from './rigs/virtual/board-on-memory-link';
import { withVersion } from './mini-firmware';

export interface CutLayout {
  name: string;
  /** Storage pages (4 KB each): 10 on a Puck.js, fewer so that two slots do not fit. */
  pages?: number;
  /** How the board is before the flash under test. */
  setUp(board: BoardOnMemoryLink): Promise<void>;
  bundle: string;
  /** The new firmware's name and version in its banner (`strap 1.1.0`). */
  firmware: string;
  force?: boolean;
  /** The previous firmware stays in the other slot (FlashResult.keptPrevious). */
  keepsPrevious: boolean;
  /** What the board boots after the cuts, taken together: the windows the sweep must go through. */
  windows: BootSeen['kind'][];
}

export interface SweepResult {
  /** Packets a whole flash sends. */
  packets: number;
  /** Cuts made (every packet, and after every phase). */
  cuts: number;
  /** What the board booted after the cuts, taken together. */
  windows: Set<BootSeen['kind']>;
  /** Every way a cut's error, boot or next flash was not what it should be; empty when all were. */
  problems: string[];
}

const PHASES: FlashProgress['phase'][] = ['identify', 'prepare', 'upload', 'verify', 'activate', 'reset'];
type CutError = Error & Partial<BootClaim> & { nothingWritten?: boolean };

export async function sweepFlashCuts(layout: CutLayout, chunkBytes: number): Promise<SweepResult> {
  const flash = (board: BoardOnMemoryLink, onProgress?: (p: FlashProgress) => void) =>
    board.connect().then(async (client) => {
      try {
        return await flashFirmware(client, { bundle: layout.bundle, force: layout.force, chunkBytes, bannerTimeoutMs: 1000, onProgress });
      } finally {
        await client.close().catch(() => undefined);
      }
    });
  const fresh = () => new BoardOnMemoryLink({ image: start.image, flash: { pageCount: layout.pages } });
  const problems: string[] = [];
  const windows = new Set<BootSeen['kind']>();

  const start = await startImage(layout);
  const counting = fresh();
  counting.cutAtPacket(Number.POSITIVE_INFINITY);
  const clean = await flash(counting);
  const packets = counting.packets;
  if (clean.keptPrevious !== layout.keepsPrevious) problems.push(`a clean flash: keptPrevious ${clean.keptPrevious}, expected ${layout.keepsPrevious}`);

  const cuts: { at: string; arm: (b: BoardOnMemoryLink) => ((p: FlashProgress) => void) | undefined }[] = [];
  for (let k = 1; k <= packets; k++) cuts.push({ at: `packet ${k} of ${packets}`, arm: (b) => (b.cutAtPacket(k), undefined) });
  for (const phase of PHASES) cuts.push({ at: `after ${phase}`, arm: (b) => (p) => void (p.phase === phase && p.sentBytes === p.totalBytes && b.cutNow()) });

  for (const { at, arm } of cuts) {
    const board = fresh();
    const error = await flash(board, arm(board)).then(
      () => undefined,
      (e: unknown) => e as CutError,
    );
    if (!error) {
      // Only a cut after load() (the reset phase) lets the flash finish.
      if (at !== 'after reset') problems.push(`${at}: the flash finished although it was cut`);
      continue;
    }
    const booted = board.boot();
    windows.add(booted.kind);
    if (error.nothingWritten) {
      if (!sameBoot(booted, start.booted)) problems.push(`${at}: "${error.message}" but it booted ${JSON.stringify(booted)}, not ${JSON.stringify(start.booted)}`);
    } else if (!error.boots?.length) {
      problems.push(`${at}: ${error.name} says nothing of what the board boots: ${error.message}`);
    } else {
      for (const claim of error.boots) if (!error.message.includes(describeOutcome(claim))) problems.push(`${at}: the message does not say "${describeOutcome(claim)}": ${error.message}`);
      if (!error.boots.some((c) => claimFits(booted, c))) problems.push(`${at}: claimed "${error.message}", booted ${JSON.stringify(booted)}`);
    }
    const again = await flash(board).catch((e: Error) => e);
    if (again instanceof Error) {
      problems.push(`${at}: the next flash failed after "${error.message}": ${again.message}`);
      continue;
    }
    if (!again.banner.includes(`${layout.firmware} on PUCKJS`)) problems.push(`${at}: the next flash printed "${again.banner}"`);
    const after = board.boot();
    if (!sameBoot(after, { kind: 'strap', firmware: layout.firmware })) problems.push(`${at}: after the next flash it booted ${JSON.stringify(after)}`);
  }
  const missing = layout.windows.filter((w) => !windows.has(w));
  const extra = [...windows].filter((w) => !layout.windows.includes(w));
  if (missing.length || extra.length) problems.push(`windows: booted ${[...windows].join(', ')}; expected ${layout.windows.join(', ')}`);
  return { packets, cuts: cuts.length, windows, problems };
}

/** Whether what booted is what the claim says. */
export function claimFits(booted: BootSeen, claim: BootOutcome): boolean {
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

/** Flashes `bundle` (chunks of 512 bytes) onto `board`, for a layout's set-up. */
export async function flashWith(board: BoardOnMemoryLink, bundle: string, force: boolean): Promise<void> {
  const client = await board.connect();
  await flashFirmware(client, { bundle, force, chunkBytes: 512, bannerTimeoutMs: 1000 });
  await client.close();
}

function sameBoot(a: BootSeen, b: BootSeen): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The layout's Storage before the flash under test, and what it boots. */
async function startImage(layout: CutLayout): Promise<{ image: Uint8Array; booted: BootSeen }> {
  const board = new BoardOnMemoryLink({ flash: { pageCount: layout.pages } });
  await layout.setUp(board);
  const booted = board.boot();
  return { image: board.board.flash.snapshot(), booted };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bundle = readFileSync(BUNDLE_PATH, 'latin1');
  const next = withVersion(bundle, '0.1.0', '0.2.0');
  const layouts: CutLayout[] = [
    {
      name: 'dist/strap.js in slot a behind the loader → 0.2.0 (single slot)',
      setUp: (b) => flashWith(b, bundle, true),
      bundle: next,
      firmware: 'strap 0.2.0',
      keepsPrevious: false,
      windows: ['strap', 'safe-mode'],
    },
    {
      name: 'dist/strap.js in .bootcde (the espruino CLI) → 0.2.0 (loader first)',
      setUp: async (b) => b.board.writeFile('.bootcde', bundle),
      bundle: next,
      firmware: 'strap 0.2.0',
      keepsPrevious: false,
      // The 0.7 KB loader is one 1 KB packet: cut before it or after it, never inside (no bare prompt).
      windows: ['strap', 'safe-mode'],
    },
  ];
  let failed = false;
  for (const layout of layouts) {
    const started = performance.now();
    const sweep = await sweepFlashCuts(layout, 1024);
    failed ||= sweep.problems.length > 0;
    console.log(`${sweep.problems.length ? 'FAIL' : 'ok  '} ${layout.name}: ${sweep.cuts} cuts (${sweep.packets} packets + phases), booted ${[...sweep.windows].join(', ')}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const problem of sweep.problems) console.log(`     ${problem}`);
  }
  process.exit(failed ? 1 : 0);
}
