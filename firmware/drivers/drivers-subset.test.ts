// The payment drivers are not bundled by boot/ yet, so the firmware build does
// not check them: each one is bundled alone here through the build's own
// pipeline (the Espruino 2v29 rules of firmware/build/espruino-2v29.ts, type
// check against Espruino's globals, minify), so a subset violation fails a test.
import { describe, expect, it } from 'vitest';
import { checkFirmwareSource, formatProblem } from '../build/build';

const DRIVERS = ['se-t1', 'nfc-nci'];

describe('the payment drivers stay inside the Espruino 2v29 subset', () => {
  for (const driver of DRIVERS) {
    it(`${driver} bundles alone with no problem the board would refuse`, async () => {
      const source = `import * as driver from './${driver}';\n(globalThis as any).driver = driver;\n`;
      const result = await checkFirmwareSource(source, { fileName: `firmware/drivers/${driver}-bundle-check.ts`, typeCheck: true });
      expect(result.problems.map(formatProblem)).toEqual([]);
      console.log(`${driver}: ${result.bytes} bytes minified, alone`);
    }, 60_000);
  }
});
