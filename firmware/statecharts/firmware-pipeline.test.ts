import * as acorn from 'acorn';
import MagicString from 'magic-string';
import { describe, expect, it } from 'vitest';
import { checkFirmwareSource, formatProblem } from '../build/build';
import { runWithoutHoisting } from '../build/run-without-hoisting';
import { measureStatecharts, RUNTIME_GOAL_BYTES } from '../build/statechart-size';
import { FakeClock } from './testing/fake-clock';

// The runtime and a table, bundled by the real firmware pipeline (esbuild,
// ES5 lowering, Espruino-safe helpers, terser) and checked by the same rules
// as dist/strap.js; then run the way Espruino runs code (no hoisting, none of
// the globals Espruino lacks).

describe('the statechart runtime in the firmware pipeline', () => {
  it('passes the Espruino 2v29 checks, the runtime within 2 KB minified, and so do the tables', async () => {
    const figures = await measureStatecharts();
    for (const figure of figures) console.log(`${figure.what}: ${figure.bytes} bytes minified (${figure.addedBytes} added to a bundle)`);
    expect(figures.flatMap((figure) => figure.problems)).toEqual([]);
    expect(figures.map((figure) => figure.what)).toEqual([
      'runtime',
      'payment-session.table.ts (table only)',
      'power-mode.table.ts (table only)',
      'task-lifecycle.table.ts (table only)',
    ]);
    expect(figures[0].bytes).toBeLessThanOrEqual(RUNTIME_GOAL_BYTES);
  });

  it('builds the example with its table, type-checked, and runs a tap to completion without hoisting', async () => {
    const source = [
      "import { startPaymentSession } from './payment-session.example';",
      'const session = startPaymentSession({',
      "  setSePower: (on) => print('se ' + (on ? 'on' : 'off')),",
      "  routeFieldToSe: () => print('route'),",
      '  seOperationSafe: () => true,',
      '  indicate: (on) => LED2.write(on),',
      "  haptic: (pattern) => print('haptic ' + pattern),",
      "  notifyPhone: (report) => print('phone ' + report),",
      '});',
      'const show = () => print(JSON.stringify(session.value()));',
      "session.send({ type: 'FIELD_DETECTED' });",
      'show();',
      "session.send({ type: 'SE_SELECTED' });",
      "session.send({ type: 'APDU_EXCHANGED' });",
      "session.send({ type: 'TRANSACTION_COMPLETED' });",
      'show();',
      '// After the feedback delay (tuned to 1000 ms by the example), the session is ready again.',
      'setTimeout(show, 1500);',
      '',
    ].join('\n');
    const result = await checkFirmwareSource(source, { fileName: 'firmware/statecharts/example.fixture.ts', typeCheck: true });
    expect(result.problems.map(formatProblem)).toEqual([]);

    const clock = new FakeClock();
    const led = () => ({ on: false, write(value: boolean) { this.on = value; }, toggle() { this.on = !this.on; return this.on; } });
    const globals: Record<string, unknown> = { setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, LED1: led(), LED2: led() };
    const printed = runWithoutHoisting(separateDeclarations(result.code), { globals });
    expect(printed).toEqual(['se on', 'route', '{"session":"selectingSe"}', 'se off', 'haptic success', 'phone 1 taps, last failure none', '"completed"']);
    expect((globals.LED2 as { on: boolean }).on).toBe(false);
    expect(clock.pending()).toEqual([1000, 1500]);
    while (clock.advanceToNext());
    expect(printed.at(-1)).toBe('"ready"');
    expect(clock.nowMs).toBe(1500);
  });

  it('refuses an import of a machine (xstate) into the firmware, naming the table to import instead', async () => {
    const result = await checkFirmwareSource("import { paymentSessionMachine } from './payment-session.machine';\nprint(paymentSessionMachine.id);\n", {
      fileName: 'firmware/statecharts/machine-import.fixture.ts',
    });
    expect(result.problems.map(formatProblem)).toEqual([
      "firmware/statecharts/machine-import.fixture.ts:1:39: bundle: './payment-session.machine' is an xstate machine, which stays on the host: import its generated table './tables/payment-session.table' and run it with createTableActor",
    ]);
  });
});

/**
 * An empty statement after each function declaration. Works around
 * run-without-hoisting.ts, whose rewrite of two adjacent declarations
 * (terser writes `}function b(`) comes out as `}var b = ;function b(`.
 */
function separateDeclarations(code: string): string {
  const magic = new MagicString(code);
  const visit = (node: acorn.Node): void => {
    if (node.type === 'FunctionDeclaration') magic.appendLeft(node.end, ';');
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof child === 'object' && typeof (child as acorn.Node).type === 'string') visit(child as acorn.Node);
      }
    }
  };
  visit(acorn.parse(code, { ecmaVersion: 5 }));
  return magic.toString();
}
