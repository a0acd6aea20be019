// The strap's event frames (event-stream.ts) are the protocols codec's
// (protocols/strap-rpc/frame.ts eventLine), printed and replayed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventLine } from '../../protocols/strap-rpc/frame';
import { createEventStream } from './event-stream';
import { installConsoleGlobals } from './testing/console-globals';

let globals: ReturnType<typeof installConsoleGlobals>;
beforeEach(() => (globals = installConsoleGlobals()));
afterEach(() => globals.uninstall());


describe("the strap's event frames equal the protocols codec", () => {
  it('prints each event as eventLine(boots, seq, name, data), seq from 1 after the announced ones', () => {
    const stream = createEventStream(3, (s) => s.emit('boot', { boots: 3, mode: 'normal', upS: 0 }));
    stream.emit('hb', { upS: 60, battPct: 80, battV: 3.95, mode: 'normal' });
    expect(stream.subscribe()).toEqual({ boots: 3, seq: 0 });
    stream.emit('btn', { long: false, heldMs: 93, presses: 1 });
    stream.emit('notice', { text: 'caf\u00e9 | paid' });
    expect(globals.printed).toEqual([
      eventLine(3, 1, 'boot', { boots: 3, mode: 'normal', upS: 0 }),
      eventLine(3, 2, 'btn', { long: false, heldMs: 93, presses: 1 }),
      eventLine(3, 3, 'notice', { text: 'caf\u00e9 | paid' }),
    ]);
  });

  it('replays the same bytes it printed', () => {
    const stream = createEventStream(1, () => undefined);
    stream.subscribe();
    for (let i = 0; i < 5; i++) stream.emit('hb', { upS: i, battPct: 80, battV: 3.95, mode: 'normal' });
    const printed = globals.printed.slice();
    expect(stream.replay(3)).toBe(3);
    expect(globals.printed.slice(5)).toEqual(printed.slice(2));
    expect(printed[4]).toBe(eventLine(1, 5, 'hb', { upS: 4, battPct: 80, battV: 3.95, mode: 'normal' }));
  });
});
