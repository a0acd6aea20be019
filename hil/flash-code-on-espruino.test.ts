// The code the flasher puts on a board (the loader in .bootcde, the probe it
// evaluates) is not built by the firmware build, so it gets the build's
// Espruino 2v29 checks here: what passes Node but not Espruino would brick
// every board it boots.
import { describe, expect, it } from 'vitest';
import { checkOutput } from '../firmware/build/check-output';
import { LOADER_SOURCE, PROBE_EXPRESSION } from '../host-bridge/flash/slot-layout';
import { OTHER_FILES_EXPRESSION } from '../host-bridge/flash/storage-plan';

describe('code the flasher writes or evaluates passes the Espruino 2v29 checks', () => {
  it('the loader', () => {
    expect(checkOutput(LOADER_SOURCE)).toEqual([]);
  });

  it('the board probe', () => {
    expect(checkOutput(`(${PROBE_EXPRESSION})`)).toEqual([]);
  });

  it("the look at Storage's other files when a bundle does not fit", () => {
    expect(checkOutput(`(${OTHER_FILES_EXPRESSION})`)).toEqual([]);
  });

  it('the checks would catch a loader that leaned on what Espruino lacks', () => {
    const broken = LOADER_SOURCE.replace('["a","b"].forEach(', 'Array.from(["a","b"]).forEach(');
    expect(checkOutput(broken).map((f) => f.rule)).not.toEqual([]);
  });
});
