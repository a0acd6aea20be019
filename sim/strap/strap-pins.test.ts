// The firmware's pin file and the strap's wiring name the same pads: the
// firmware's own firmware/board/strap-pins.ts, compiled as the build would,
// runs on the virtual Puck.js, and each constant it exports is the Pin the
// wiring gives that part.
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { startBoard } from '../board/board-test-kit';
import { STRAP_PINS } from './wiring';

const PIN_FILE = new URL('../../firmware/board/strap-pins.ts', import.meta.url);

describe("the strap's wiring", () => {
  it('gives each part the pin firmware/board/strap-pins.ts drives it on', () => {
    const source = readFileSync(PIN_FILE, 'utf8');
    const compiled = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES5 } });
    const t = startBoard();
    t.board.writeFile('strap-pins', compiled.outputText);
    const firmware = JSON.parse(t.value('JSON.stringify(require("strap-pins"))') as string) as Record<string, string>;
    const wiring = Object.fromEntries(Object.entries(STRAP_PINS).map(([part, pin]) => [part, 'D' + pin]));
    expect(firmware).toEqual(wiring);
  });
});
