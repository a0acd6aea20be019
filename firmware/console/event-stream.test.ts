// The strap's event frames (event-stream.ts) are the protocols codec's
// (protocols/strap-rpc/frame.ts eventLine), printed and replayed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventLine } from '../../protocols/strap-rpc/frame';
import { createEventStream, replay, subscribe, unsubscribe } from './event-stream';
import type { StrapState } from './status';
import { installConsoleGlobals } from './testing/console-globals';

let globals: ReturnType<typeof installConsoleGlobals>;
beforeEach(() => {
  globals = installConsoleGlobals();
  vi.stubGlobal('getTime', () => 12.4);
});
afterEach(() => {
  globals.uninstall();
  vi.unstubAllGlobals();
});

function strapState(boots: number, safeReason?: string): StrapState {
  const state: StrapState = { mode: safeReason ? 'safe' : 'normal', boots, bootTimeS: 0, presses: 0, paid: 0, lastTap: '' };
  if (safeReason) state.safeReason = safeReason;
  return state;
}


describe("the strap's event frames equal the protocols codec", () => {
  it('prints each event as eventLine(boots, seq, name, data), seq from 1 after the announced ones', () => {
    const stream = createEventStream(strapState(3));
    stream.emit('hb', { upS: 60, battPct: 80, battV: 3.95, mode: 'normal' });
    expect(subscribe()).toEqual({ boots: 3, seq: 0 });
    stream.emit('btn', { long: false, heldMs: 93, presses: 1 });
    stream.emit('notice', { text: 'caf\u00e9 | paid' });
    expect(globals.printed).toEqual([
      eventLine(3, 1, 'boot', { boots: 3, mode: 'normal', upS: 12 }),
      eventLine(3, 2, 'btn', { long: false, heldMs: 93, presses: 1 }),
      eventLine(3, 3, 'notice', { text: 'caf\u00e9 | paid' }),
    ]);
  });

  it('announces safe mode after the boot, on the first subscription only', () => {
    const stream = createEventStream(strapState(2, 'strap.cfg fails its CRC'));
    subscribe();
    unsubscribe();
    stream.emit('hb', { upS: 60, battPct: 80, battV: 3.95, mode: 'safe' });
    expect(subscribe()).toEqual({ boots: 2, seq: 2 });
    expect(globals.printed).toEqual([eventLine(2, 1, 'boot', { boots: 2, mode: 'safe', upS: 12 }), eventLine(2, 2, 'safe', { reason: 'strap.cfg fails its CRC' })]);
  });

  it('replays the same bytes it printed', () => {
    const stream = createEventStream(strapState(1));
    subscribe();
    for (let i = 0; i < 5; i++) stream.emit('hb', { upS: i, battPct: 80, battV: 3.95, mode: 'normal' });
    const printed = globals.printed.slice();
    // The boot event and five beats, seq 1..6: the last four are kept.
    expect(replay(4)).toBe(3);
    expect(globals.printed.slice(6)).toEqual(printed.slice(3));
    expect(replay(1)).toBe(4);
    expect(printed[5]).toBe(eventLine(1, 6, 'hb', { upS: 4, battPct: 80, battV: 3.95, mode: 'normal' }));
  });
});
