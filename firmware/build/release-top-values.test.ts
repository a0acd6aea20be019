import { describe, expect, it } from 'vitest';
import { checkFirmwareSource } from './build';
import { releaseTopValues } from './release-top-values';
import { runWithoutHoisting } from './run-without-hoisting';

// A bundle's top as the build leaves it: boot's wiring made once at the top, a config read there, a loop
// counter, and the module state and functions that live on.
const BUNDLE = `(function(){var wiring={pin:5,label:"led"},config={ms:250},state=0,i,tick=function(){state++;return state};
for(i=0;i<3;i++)tick();
var led=wiring.pin,every=config.ms;
print(led,every,tick());
})()`;

describe('the bundle top lets go of what only it reads', () => {
  it('sets the variables no function reads to undefined at its end, and leaves those a function reads', () => {
    const out = releaseTopValues(BUNDLE);
    // `every` starts after `wiring`'s last use: it takes that name (one JsVar fewer kept)
    expect(out.code).toContain('var led=wiring.pin,wiring=config.ms;\nprint(led,wiring,tick());');
    expect(out.released.sort()).toEqual(['config', 'i', 'led', 'tick', 'wiring']);
    expect(out.code).toMatch(/;(?:\w+=){5}void 0\}\)\(\)$/);
    expect(runWithoutHoisting(out.code)).toEqual(runWithoutHoisting(BUNDLE));
    expect(runWithoutHoisting(out.code)).toEqual(['5 250 4']);
  });

  it('shares no name between variables whose lives overlap, in a loop, or where a scope of the top declares the name', () => {
    // a is used in a loop that c's declaration follows; d is read before it is declared; e is declared without a value
    const code = '(function(){var a=[1,2],b=0;for(var k=0;k<2;k++)b+=a[k];var c=b*2;print(d);var d=c;var e;e=3;print(e)})()';
    const out = releaseTopValues(code);
    expect(runWithoutHoisting(out.code)).toEqual(runWithoutHoisting(code));
    expect(out.code).toContain('for(var k=0;k<2;k++)b+=a[k];var a=b*2;print(d);var d=a;var e;e=3');
    // g's life starts after a's, but an immediate function that reads g declares its own a
    const shadowed = '(function(){var a=1;print(a);var g=3;(function(){var a=2;print(a,g)})();print(g)})()';
    expect(releaseTopValues(shadowed).code).toContain('var g=3');
  });

  it("keeps a variable read by a function made at the top, even one called only there (a watch's, a timer's callback)", () => {
    const out = releaseTopValues('(function(){var a={n:1},b=[2];setTimeout(function(){print(a.n)},10);(function(){print(b[0])})()})()');
    expect(out.released).toEqual(['b']);
  });

  it('changes nothing without a wrapper function, or when every variable is read by a function', () => {
    expect(releaseTopValues('var a=1;print(a)').code).toBe('var a=1;print(a)');
    expect(releaseTopValues('(function(){var a=1;setTimeout(function(){print(a)},1)})()').released).toEqual([]);
  });

  it('runs in the firmware build: the strap-like top releases its one-time objects', async () => {
    const result = await checkFirmwareSource(
      `const wiring: { pins: number[] } = { pins: [5, 6, 7] };
let count = 0;
setInterval(function () { count++; }, 1000);
for (let i = 0; i < wiring.pins.length; i++) pinMode(wiring.pins[i]!, 'output');
print(wiring.pins.join(), count);
`,
      { fileName: 'firmware/build/fixtures/release-top.ts' },
    );
    expect(result.problems).toEqual([]);
    expect(result.code).toMatch(/=void 0\}\)\(\)/);
  });
});
