import { minify } from 'terser';
import { FIXED_NAME } from './post-process';
import type { RawSourceMap } from './source-maps';

export interface Minified {
  code: string;
  map: RawSourceMap;
}

/**
 * Step 5: terser, ES5 in and out. Options that move declarations (hoist_funs,
 * hoist_vars) stay off: Espruino runs declarations where they stand.
 * hoist_props stays on: it turns a constant object that never escapes
 * (`var o={a:1}` read as `o.a`) into variables declared where it stood. The
 * output is checked afterwards anyway, so anything terser does that relies on
 * hoisting still fails the build.
 * `privateNames` are property names terser may shorten (private-names.ts);
 * `reservedNames` are short names an earlier step gave (statechart-names.ts),
 * which a shortened private name must not take.
 */
export async function minifyEs5(code: string, outName: string, privateNames: readonly string[] = [], reservedNames: readonly string[] = []): Promise<Minified> {
  const result = await minify(
    { [FIXED_NAME]: code },
    {
      ecma: 5,
      ie8: false,
      safari10: false,
      toplevel: false,
      module: false,
      compress: {
        ecma: 5,
        hoist_funs: false,
        hoist_vars: false,
        hoist_props: true,
        // `!function(){}()` instead of `(function(){})()`: keep the plain form for Espruino's parser.
        negate_iife: false,
        unsafe: false,
        keep_fargs: true,
        // Deeper inlining declares the inlined parameters with a `var` after the `return`, relying on hoisting.
        inline: 1,
        passes: 2,
        // `void 0` becomes the bundle's local `var undefined;` (post-process.ts), renamed to one letter.
        unsafe_undefined: true,
      },
      // Private members' names (private-names.ts) are shortened too; every other property keeps its name.
      mangle: { toplevel: false, properties: privateNames.length > 0 ? { regex: exactly(privateNames), keep_quoted: true, reserved: [...reservedNames] } : false },
      // ASCII only: Espruino strings are 8-bit and the espruino CLI sends files over TCP as UTF-8.
      format: { ecma: 5, comments: false, ascii_only: true, semicolons: true, wrap_iife: true },
      sourceMap: { filename: outName, asObject: true, includeSources: false },
    },
  );
  if (result.code === undefined || result.map === undefined) throw new Error('terser produced no output');
  const map = (typeof result.map === 'string' ? JSON.parse(result.map) : result.map) as RawSourceMap;
  return { code: result.code, map };
}

function exactly(names: readonly string[]): RegExp {
  return new RegExp(`^(?:${names.map((name) => name.replace(/\$/g, '\\$')).join('|')})$`);
}
