/**
 * A HIL scenario: written once against the rig interface, tagged with the
 * capabilities it needs, run by hil/run-suite.ts on whichever rig. Bodies
 * assert with node:assert (the suite also runs outside vitest, for
 * `strap hil`) and may throw `skipScenario(reason)` when they find, while
 * running, that the board cannot do what they test.
 */
import { STRAP_BANNER, type FirmwareEvent } from '../../host-bridge/rpc/rpc-client';
import type { Capability, Rig } from '../rig/rig';

export interface ScenarioContext {
  /** A note in the scenario's console log. */
  note(text: string): void;
  /** Writes an artifact next to the console log. */
  attach(fileName: string, content: string | Buffer): void;
}

export interface Scenario {
  /** A file-safe id: the artifact folder and the JUnit test case name. */
  name: string;
  title: string;
  tags: readonly Capability[];
  /** Why no rig can run it yet (it is skipped everywhere with this reason). */
  unavailable?: string;
  /** Longest wall time it may take besides the board time it lets pass (default 60 s). */
  timeoutMs?: number;
  /**
   * The board time it lets pass at most (its waits and measurements), when
   * more than a few seconds: on a real-time rig the runner adds it to the
   * wall budget, and `npm test`'s real-time run leaves such scenarios to the
   * full `strap hil --rig realtime`.
   */
  boardTimeMs?: number;
  run(rig: Rig, context: ScenarioContext): Promise<void>;
}

export class ScenarioSkipped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ScenarioSkipped';
  }
}

/** Waits for the strap's boot banner after `since` and returns its boot number. */
export async function waitForBoot(rig: Rig, since: number, timeoutMs = 30_000): Promise<number> {
  const banner = await rig.waitForLine(STRAP_BANNER, { timeoutMs, since });
  return Number(banner[1]);
}

/** Rejects after `ms` of wall time: for what happens on the host (reconnects), not on the board. */
export function withinWallMs<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `body` with the strap's event stream subscribed; `events` fills as they arrive. */
export async function withEvents<T>(rig: Rig, body: (events: readonly FirmwareEvent[]) => Promise<T>): Promise<T> {
  const events: FirmwareEvent[] = [];
  const onEvent = (e: FirmwareEvent) => events.push(e);
  rig.rpc.on('event', onEvent);
  try {
    await rig.rpc.subscribe();
    return await body(events);
  } finally {
    rig.rpc.off('event', onEvent);
    await rig.rpc.unsubscribe();
  }
}
