import * as acorn from 'acorn';
import MagicString from 'magic-string';
import { describe, expect, it } from 'vitest';
import { checkFirmwareSource, formatProblem } from '../build/build';
import { runWithoutHoisting } from '../build/run-without-hoisting';
import { measureStatecharts, RUNTIME_GOAL_BYTES } from '../build/statechart-size';
import { FakeClock } from './host/testing/fake-clock';

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
    expect(figures[0]!.bytes).toBeLessThanOrEqual(RUNTIME_GOAL_BYTES);
  });

  it('builds the payment session with its table, type-checked, and runs a paid tap (field, the SE\'s ARQC, field gone) without hoisting', async () => {
    const source = [
      "import type { EventStream } from '../console/event-stream';",
      "import { hapticMotor } from '../drivers/haptic-motor';",
      "import { startPayments } from './payment-session';",
      'const events: EventStream = {',
      "  emit: (name, data) => print(name + ' ' + JSON.stringify(data)),",
      '};',
      'const ports = {',
      "  requestTap: (run: (done: (ok: boolean) => void) => void) => {",
      "    run((ok) => print('task ' + (ok ? 'done' : 'failed')));",
      "    return '';",
      '  },',
      '  peakSafe: () => true,',
      '  paymentsLeft: () => 12,',
      "  fieldSeen: () => print('field'),",
      "  tapReported: () => print('power report'),",
      '  onReport: () => {},',
      '};',
      'const tally = { paid: 0, lastTap: "" };',
      'const payments = startPayments(ports, { motor: hapticMotor({ pin: D6 }) }, tally, events);',
      '(globalThis as any).hooks.show = () => print(JSON.stringify(payments.session.value()) + \' \' + tally.paid);',
      '(globalThis as any).hooks.nci = payments.nci;',
      '',
    ].join('\n');
    const result = await checkFirmwareSource(source, { fileName: 'firmware/payments/session.fixture.ts', typeCheck: true });
    expect(result.problems.map(formatProblem)).toEqual([]);

    const clock = new FakeClock();
    const pin = () => ({ on: false, write(value: boolean) { this.on = value; }, set() { this.on = true; }, reset() { this.on = false; } });
    const pulses: Array<[string, unknown]> = [];
    const hooks: { show?: () => void; nci?: (event: unknown) => void } = {};
    const globals: Record<string, unknown> = {
      hooks,
      setTimeout: clock.setTimeout,
      clearTimeout: clock.clearTimeout,
      getTime: () => clock.nowMs / 1000,
      digitalPulse: (target: unknown, _value: number, ms: unknown) => pulses.push([target === globals.D6 ? 'D6' : '?', ms]),
      LED1: pin(), LED2: pin(), LED3: pin(), D6: pin(), D7: pin(), D8: pin(),
    };
    const printed = runWithoutHoisting(separateDeclarations(result.code), { globals });
    const on = (name: string) => (globals[name] as { on: boolean }).on;
    // RF_FIELD_INFO_NTF on; RF_NFCEE_ACTION_NTF with the SE's EVT_TRANSACTION ('81' AID, '82' amount 12.50, EUR, ATC 1, ARQC); field off.
    hooks.nci!({ kind: 'field', fieldOn: true });
    hooks.show!();
    expect(on('LED3')).toBe(true);
    const params = [0x9f, 0x02, 6, 0, 0, 0, 0, 0x12, 0x50, 0x5f, 0x2a, 2, 0x09, 0x78, 0x9f, 0x36, 2, 0, 1, 0x9f, 0x27, 1, 0x80];
    hooks.nci!({ kind: 'action', nfceeId: 0xc0, trigger: 0x10, data: Uint8Array.of(0x81, 7, 0xa0, 0, 0, 0, 3, 0x10, 0x10, 0x82, params.length, ...params) });
    hooks.nci!({ kind: 'field', fieldOn: false });
    hooks.show!();
    expect(printed).toEqual([
      'field',
      '"session" 0',
      'task done',
      '[tap] paid, payments left 12 (12.50 EUR, atc 1)',
      'tap {"ok":true,"why":"","payLeft":12,"atc":1,"amount":1250,"currency":978}',
      'power report',
      '"ready" 1',
    ]);
    expect([on('LED3'), on('LED2'), pulses]).toEqual([false, true, [['D6', 100]]]);
    // The green flash ends; the SE's 2.5 s limit was cancelled when the field went.
    expect(clock.pending()).toEqual([200]);
    while (clock.advanceToNext());
    expect(on('LED2')).toBe(false);
  });

  it('refuses an import of a machine (xstate) into the firmware, naming the table to import instead', async () => {
    const result = await checkFirmwareSource("import { paymentSessionMachine } from './host/payment-session.machine';\nprint(paymentSessionMachine.id);\n", {
      fileName: 'firmware/statecharts/machine-import.fixture.ts',
    });
    expect(result.problems.map(formatProblem)).toEqual([
      "firmware/statecharts/machine-import.fixture.ts:1:39: bundle: './host/payment-session.machine' is an xstate machine, which stays on the host: import its generated table './tables/payment-session.table' and run it with createTableActor",
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
  visit(acorn.parse(code, { ecmaVersion: 'latest' }));
  return magic.toString();
}
