import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock';
import { FieldLost } from '../nfc/contactless';
import type { SeEvent } from './applet';
import { SecureElement } from './secure-element';
import { EchoApplet, hexBytes, toHex } from './testing/echo-applet';

const KEYS = { enc: new Uint8Array(16).fill(1), mac: new Uint8Array(16).fill(2), dek: new Uint8Array(16).fill(3) };
const PAY = hexBytes('A0000000031010');

function rig() {
  const clock = new VirtualClock();
  const se = new SecureElement({ clock, isdKeys: KEYS, powered: true });
  const applet = new EchoApplet(PAY);
  se.install(applet);
  const target = se.contactless;
  const tx = (h: string) => toHex(target.transceive(hexBytes(h)).response);
  return { clock, se, applet, target, tx };
}

describe('SE contactless interface (ContactlessTarget)', () => {
  it('has no applet selected when the field comes up: a terminal starts with SELECT', () => {
    const { target, tx } = rig();
    target.fieldOn();
    expect(tx('80010000')).toBe('6985');
    expect(tx('00A4040007A000000003101000').slice(-4)).toBe('9000');
    expect(tx('8001000002CAFE00')).toBe('CAFE9000');
  });

  it('keeps its own selection, apart from the host interface’s', () => {
    const { target, tx, se } = rig();
    target.fieldOn();
    tx('00A4040007A000000003101000');
    expect(se.hostRuntime.selectedOn(0)?.applet).toBe(se.isd);
    expect(target.runtime.selectedOn(0)?.applet.aid).toEqual(PAY);
  });

  it('field off deselects the applet and drops the session', () => {
    const { target, tx, applet } = rig();
    target.fieldOn();
    tx('00A4040007A000000003101000');
    target.fieldOff();
    expect(applet.deselects).toBe(1);
    target.fieldOn();
    expect(tx('80010000')).toBe('6985');
  });

  it('reports its processing time: base, bytes, non-volatile writes and the applet’s own', () => {
    const { target, se } = rig();
    target.fieldOn();
    target.transceive(hexBytes('00A4040007A000000003101000'));
    const plain = target.transceive(hexBytes('80010000')).processingUs;
    const counting = target.transceive(hexBytes('80030000')).processingUs; // 2 records, journalled: 6 writes
    const slow = target.transceive(hexBytes('80060064')).processingUs; // the applet declares 100 ms
    expect(counting - plain).toBeGreaterThanOrEqual(6 * se.timing.nvmWriteUs - 50);
    expect(slow - plain).toBeGreaterThanOrEqual(100_000);
  });

  it('passes applet events to listeners until they unsubscribe', () => {
    const { target, tx } = rig();
    const seen: SeEvent[] = [];
    const off = target.onEvent((e) => seen.push(e));
    target.fieldOn();
    tx('00A4040007A000000003101000');
    tx('8004000001AA');
    off();
    tx('8004000001BB');
    expect(seen).toEqual([{ kind: 'transaction', aid: PAY, data: hexBytes('AA') }]);
  });

  it('the issuer security domain is not reachable over the air (6A82): no SCP03 attempts, no sequence counter wear', () => {
    const { target, tx } = rig();
    target.fieldOn();
    expect(tx('00A4040008A00000015100000000')).toBe('6A82');
    expect(tx('00A4040000')).toBe('6F098407A00000000310109000'); // an empty name selects the first contactless applet
  });

  it('malformed APDUs get their status word over the air too', () => {
    const { target, tx } = rig();
    target.fieldOn();
    expect(tx('00')).toBe('6700');
    expect(tx('FF000000')).toBe('6E00');
    expect(tx('00600000')).toBe('6D00');
  });

  it('an unpowered SE, or no field, is a card that does not answer (FieldLost)', () => {
    const { target, se } = rig();
    expect(() => target.transceive(hexBytes('00A4040000'))).toThrow(FieldLost);
    target.fieldOn();
    se.setPowered(false);
    expect(() => target.transceive(hexBytes('00A4040000'))).toThrow(FieldLost);
  });

  it('a power cut at every non-volatile write of a command: FieldLost, and after power-up the counter is old or new, never torn', () => {
    const reference = rig();
    reference.target.fieldOn();
    reference.tx('00A4040007A000000003101000');
    const before = reference.se.nvm.writeCount;
    reference.tx('8003000000');
    const writes = reference.se.nvm.writeCount - before;
    for (let n = 0; n < writes; n++) {
      const { target, tx, se, applet } = rig();
      target.fieldOn();
      tx('00A4040007A000000003101000');
      expect(tx('8003000000')).toBe('019000');
      se.nvm.cutPowerAfterWrites(n);
      expect(() => target.transceive(hexBytes('8003000000'))).toThrow(FieldLost);
      se.setPowered(true);
      target.fieldOff();
      target.fieldOn();
      tx('00A4040007A000000003101000');
      const count = tx('8003000000');
      expect(['029000', '039000']).toContain(count);
      void applet;
    }
  });
});
