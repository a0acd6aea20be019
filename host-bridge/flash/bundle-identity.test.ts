// A bundle is the strap firmware when it parses and builds the strap's
// banner: decided from its text alone, before anything is sent.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE_PATH } from '../../firmware/build/outputs';
import { identifyBundle } from './bundle-identity';

describe('identifyBundle', () => {
  it('the built dist/strap.js names itself with its version', () => {
    expect(identifyBundle(readFileSync(BUNDLE_PATH, 'latin1'))).toEqual({ ours: true, firmware: 'strap 0.1.0' });
  });

  it('the banner built from separate name and version literals, or from one "strap X" literal', () => {
    const banner = `+" on "+process.env.BOARD+" (Espruino "+process.env.VERSION+"), boot #"+1`;
    expect(identifyBundle(`var n="strap",v="2.0.0-rc.1";print(n+" "+v${banner});`)).toEqual({ ours: true, firmware: 'strap 2.0.0-rc.1' });
    expect(identifyBundle(`var v="strap 1.2.3";print(v${banner});`)).toEqual({ ours: true, firmware: 'strap 1.2.3' });
  });

  it('another program is not: it does not print the strap banner', () => {
    expect(identifyBundle('print("hello")')).toEqual({ ours: false, reason: 'it does not print the strap banner ("strap X on BOARD (Espruino V), boot #N")' });
    // the name alone is not enough
    expect(identifyBundle('var strap={name:"strap"};').ours).toBe(false);
  });

  it('a syntax error is not, and says where', () => {
    expect(identifyBundle('function (\n')).toEqual({ ours: false, reason: 'it is not valid JavaScript: Unexpected token (1:9)' });
    expect(identifyBundle('var n="strap",a=" (Espruino ",b="), boot #";\nif (x {')).toEqual({ ours: false, reason: 'it is not valid JavaScript: Unexpected token (2:6)' });
  });
});
