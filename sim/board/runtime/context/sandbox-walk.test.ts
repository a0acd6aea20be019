/**
 * The board is a sandbox (issue 8): nothing the board hands to firmware leads
 * to the host realm. A probe inside the board (testing/realm-probe.ts) walks
 * the global object graph and everything callbacks were handed — timers,
 * watches, events, promises, the 'init' and 'kill' handlers,
 * process.on('uncaughtException'), I2C results, objects the host formats —
 * and calls every modelled API function with good and bad arguments, checking
 * that every object it meets is the board's and that every
 * `x.constructor.constructor` is the board's own Function.
 *
 * On the code before the membrane this walk reports, among others,
 * `recorded[…] is an object of another realm` for E.sum()'s TypeError and the
 * `global.E.reboot(…) threw` path the issue's console line used.
 */
import { describe, expect, it } from 'vitest';
import { encodePacket, PacketType } from '../../../../protocols/espruino/packet';
import { startBoard } from '../../board-test-kit';
import { bytesToLatin1 } from '../bytes';
import { REALM_PROBE_SOURCE } from './testing/realm-probe';

const PROBE_BUSY_LIMIT_MS = 60_000;
/** The probe keeps every object it met in its closures: more variables than a Puck.js has (the board counts them, closure-scan.ts). */
const PROBE_MEMORY_BLOCKS = 1_000_000;

interface ProbeStats {
  walked: number;
  apis: number;
  calls: number;
  recorded: number;
}

function probeBoard() {
  const t = startBoard({ busyLoopLimitMs: PROBE_BUSY_LIMIT_MS, buttonBounce: false, memoryBlocks: PROBE_MEMORY_BLOCKS });
  t.value(REALM_PROBE_SOURCE);
  return t;
}

describe('the board is a sandbox: no value it hands to firmware leads to the host realm', () => {
  // ~4 s alone; under a full suite beside other work it has taken 33 s
  it('walks the global object graph and every modelled API called with good and bad arguments', { timeout: 90_000 }, () => {
    const t = probeBoard();
    t.value('__probe.record(require("Storage"), process.env, process.memory(), E.getErrorFlags())');
    expect(t.value('__probe.run(true)')).toBe('');
    const stats = t.value('__probe.stats()') as ProbeStats;
    expect(stats.apis).toBeGreaterThan(150);
    expect(stats.calls).toBeGreaterThan(5_000);
    expect(stats.walked).toBeGreaterThan(2_000);
  });

  it("walks what callbacks, events, promises and the host's own calls into the board were handed", () => {
    const t = probeBoard();
    t.board.i2c1.attach(0x10, { write: () => undefined, read: (n) => new Uint8Array(n).fill(7) });
    t.value(`
      var rec = __probe.record;
      setTimeout(function t1() { rec(this, arguments, t1.caller, arguments.callee.caller); }, 5, "a", { b: 1 });
      var iv = setInterval(function t2() { rec(this, arguments, t2.caller); clearInterval(iv); }, 5);
      setTimeout("__probe.record(this)", 5);
      setWatch(function w1(e) { rec(this, arguments, w1.caller, e); }, BTN, { repeat: true, edge: "both" });
      pinMode(D1, "output");
      setWatch(function w2(e) { rec(this, arguments, w2.caller, e); }, D1, { repeat: true });
      process.on("uncaughtException", function u(e) { rec(this, arguments, u.caller, e); });
      setTimeout(function () { throw new Error("thrown by firmware"); }, 6);
      setTimeout(function () { E.sum(); }, 7);
      setTimeout(function () { Serial1.write([1, [2, [3]]], { data: { get data() { rec(this, arguments); return 1; } } }); }, 8);
      Bluetooth.on("data", function d(x) { rec(this, arguments, d.caller, x); });
      E.on("packet", function p(x) { rec(this, arguments, p.caller, x); });
      new Promise(function pe(res, rej) { rec(this, arguments, pe.caller); res(E.getErrorFlags()); })
        .then(function pt(v) { rec(this, arguments, pt.caller); return require("Storage").list(); })
        .then(rec);
      Promise.reject(new Error("rejected")).catch(function pc(e) { rec(this, arguments, pc.caller); });
      Promise.all([1, Promise.resolve(process.memory())]).then(rec);
      I2C1.setup({});
      rec(I2C1.readFrom(0x10, 4));
      try { I2C1.readFrom(0x11, 1); } catch (e) { rec(e); }
      try { I2C1.writeTo(0x11, 1); } catch (e) { rec(e); }
      require("Storage").write("probe.json", { a: [1, 2] });
      rec(process.memory(), process.env, NRF.getBattery(), Puck.getBatteryPercentage(), E.getTemperature(), new Date(),
        E.toUint8Array(1, 2), E.toArrayBuffer("ab"), require("Storage").readArrayBuffer("probe.json"),
        require("Storage").readJSON("probe.json"), require("Storage").getStats(), require("Storage").list());
      function K() {}
      K.prototype.toString = function kt() { rec(this, arguments, kt.caller); return "k"; };
      var kObj = new K();
    `);
    digitalWrite(t, 'D1', 1);
    t.board.pressButton(100);
    t.board.link('Bluetooth').input('hello');
    t.board.console.input(bytesToLatin1(encodePacket(PacketType.EVENT, new TextEncoder().encode('{"x":[1]}'))));
    t.board.run(200);
    expect(t.type('kObj')).toContain('=K: k');
    expect(t.value('__probe.run(false)')).toBe('');
    expect((t.value('__probe.stats()') as ProbeStats).recorded).toBeGreaterThan(60);
  });

  it("walks what the 'kill' and 'init' handlers of a reset() were handed", () => {
    const t = probeBoard();
    t.board.writeFile(
      '.boot0',
      REALM_PROBE_SOURCE +
        `E.on("init", function i() { __probe.record(this, arguments, i.caller); });
         E.on("kill", function k() { __probe.record(this, arguments, k.caller); require("Storage").write("kill-walk", __probe.run(false) || "clean"); });`,
    );
    t.value('reset()');
    t.board.run(10);
    t.value('reset()');
    t.board.run(10);
    expect(t.board.readFile('kill-walk')).toBe('clean');
    expect(t.value('__probe.run(false)')).toBe('');
  });

  it('walks what board code caught from E.reboot(), the path of the issue', () => {
    const t = probeBoard();
    const global = t.value('globalThis') as Record<string, unknown>;
    t.value('try { E.reboot(); } catch (e) { __probe.record(e); var walk = __probe.run(false); }');
    expect(global.walk).toBe('');
  });

  it('walks what board code caught from a Storage write cut by a power loss', () => {
    const t = probeBoard();
    const global = t.value('globalThis') as Record<string, unknown>;
    t.board.flash.cutPowerAfterBytes(4);
    t.value('try { require("Storage").write("f", "hello world"); } catch (e) { __probe.record(e); var walk = __probe.run(false); }');
    expect(t.board.powered).toBe(false);
    expect(global.walk).toBe('');
  });
});

function digitalWrite(t: ReturnType<typeof startBoard>, pin: string, level: number): void {
  t.value(`digitalWrite(${pin}, ${level})`);
}
