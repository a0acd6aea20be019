/**
 * The firmware's JS variables on the board, through the console alone (every
 * rig): `process.memory()` after boot and after the strap has answered a
 * status, against the goal of 60 % of the board's variables, and
 * `E.getErrorFlags()` free of LOW_MEMORY and MEMORY (Espruino raises them
 * once it ran short, src/jsvar.c jsvNewWithFlags). On a virtual rig the figure
 * is the board's deep count, closures included (sim/board/README.md,
 * "Memory"); on a dev board it is Espruino's own, the one that says whether
 * the bundle fits.
 */
import assert from 'node:assert/strict';
import type { Scenario } from './scenario';

/** The goal for the firmware's peak: 60 % of the board's variables. */
const MOST_USED = 0.6;

interface Memory {
  usage: number;
  total: number;
}

export const memoryScenario: Scenario = {
  name: 'memory',
  title: "the firmware's JS variables after boot and after a status are at most 60 % of the board's, and it never ran short",
  tags: [],
  async run(rig, context) {
    const read = async (when: string): Promise<Memory> => {
      const m = (await rig.console.evaluate('process.memory()')) as Memory;
      context.note(`process.memory() ${when}: ${m.usage} of ${m.total}`);
      return m;
    };
    const booted = await read('after boot');
    await rig.rpc.status();
    const after = await read('after a status');
    for (const m of [booted, after]) assert.ok(m.usage <= m.total * MOST_USED, `${m.usage} of ${m.total} variables in use (goal ≤ ${MOST_USED * 100} %)`);
    const flags = (await rig.console.evaluate('E.getErrorFlags()')) as string[];
    assert.ok(!flags.includes('LOW_MEMORY') && !flags.includes('MEMORY'), `error flags: ${flags.join(', ')}`);
  },
};
