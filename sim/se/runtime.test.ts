import { describe, expect, it } from 'vitest';
import { NonVolatileMemory } from './nvm';
import { AppletRegistry, LIFE_CYCLE } from './registry';
import { ApduRuntime } from './runtime';
import type { SeEvent } from './applet';
import { EchoApplet, hexBytes, toHex } from './testing/echo-applet';

const PAY_A = hexBytes('A0000000031010');
const PAY_B = hexBytes('A0000000032020');
const OTHER = hexBytes('B000000001');

function setup() {
  const nvm = new NonVolatileMemory();
  const registry = new AppletRegistry(nvm);
  const a = new EchoApplet(PAY_A);
  const b = new EchoApplet(PAY_B);
  const c = new EchoApplet(OTHER);
  for (const applet of [a, b, c]) registry.install(applet);
  const events: SeEvent[] = [];
  const runtime = new ApduRuntime({ via: 'contactless', registry, notify: (e) => events.push(e) });
  const send = (h: string) => toHex(runtime.process(hexBytes(h)));
  return { nvm, registry, a, b, c, runtime, send, events };
}

describe('APDU runtime: malformed commands get their status word', () => {
  it.each([
    ['a 3-byte command', '00A404', '6700'],
    ['Lc longer than the data', '00A4040007A00000', '6700'],
    ['extended Lc 0000 with data', '00A40400000000AA', '6700'],
    ["CLA 'FF'", 'FFA4040000', '6E00'],
    ["CLA '20' (RFU)", '20A4040000', '6E00'],
    ["INS '6X'", '0060000000', '6D00'],
    ['an AID nobody has', '00A4040005D000000001', '6A82'],
    ['SELECT last occurrence (unsupported P2)', '00A4040107A0000000031010', '6A86'],
    ['logical channel 7', '47A4040000', '6881'],
    ['a closed channel 2', '02A4040000', '6881'],
    ['GET RESPONSE with nothing pending', '00C0000000', '6985'],
    ['a command with no applet selected', '8001000000', '6985'],
  ])('%s → %s', (_, command, expected) => {
    expect(setup().send(command)).toBe(expected);
  });
});

describe('APDU runtime: SELECT by AID (ISO/IEC 7816-4 7.1.1)', () => {
  it('selects by full AID, answers the applet’s FCI, and passes the next commands to it', () => {
    const { send, a } = setup();
    expect(send('00A4040007A000000003101000')).toBe('6F098407A00000000310109000');
    expect(send('800100000311223300')).toBe('1122339000');
    expect(a.commands).toHaveLength(1);
  });

  it('selects by partial AID, first then next occurrence, and wraps around to nothing', () => {
    const { send, runtime, a, b } = setup();
    expect(send('00A4040005A00000000300').endsWith('9000')).toBe(true);
    expect(runtime.selectedOn(0)?.applet).toBe(a);
    expect(send('00A4040205A00000000300').endsWith('9000')).toBe(true);
    expect(runtime.selectedOn(0)?.applet).toBe(b);
    expect(a.deselects).toBe(1);
    expect(send('00A4040205A00000000300')).toBe('6A82');
    expect(runtime.selectedOn(0)?.applet).toBe(b); // a failed SELECT keeps the selection
  });

  it("P2 '0C' asks for no answer data", () => {
    expect(setup().send('00A4040C07A0000000031010')).toBe('9000');
  });

  it('a LOCKED applet is not selectable (6A81)', () => {
    const { send, registry } = setup();
    registry.setLifeCycle(registry.find(PAY_A)!, LIFE_CYCLE.selectable | LIFE_CYCLE.lockedBit);
    expect(send('00A4040007A0000000031010')).toBe('6A81');
  });

  it('field off (deselectAll + reset) deselects the applet', () => {
    const { send, runtime, a } = setup();
    send('00A4040007A0000000031010');
    runtime.reset();
    expect(a.deselects).toBe(1);
    expect(send('8001000000')).toBe('6985');
  });
});

describe('APDU runtime: answers longer than Ne (ISO/IEC 7816-4 5.1.3)', () => {
  it('gives Ne bytes and 61XX, then the rest by GET RESPONSE, ending with the applet’s status', () => {
    const { send } = setup();
    send('00A4040007A0000000031010');
    const first = send('8002012C00'); // 300 bytes wanted, Le 00 = 256
    expect(first.length).toBe(2 * 256 + 4);
    expect(first.slice(-4)).toBe('612C');
    const rest = send('00C000002C');
    expect(rest.length).toBe(2 * 44 + 4);
    expect(rest.slice(-4)).toBe('9000');
    expect(send('00C0000000')).toBe('6985');
  });

  it('a case 3 command whose applet answers data gets 61XX (the T=0 rule)', () => {
    const { send } = setup();
    send('00A4040007A0000000031010');
    expect(send('800100000211 22')).toBe('6102');
    expect(send('00C0000002')).toBe('11229000');
  });

  it('any other command drops the pending bytes', () => {
    const { send } = setup();
    send('00A4040007A0000000031010');
    send('8002012C00');
    send('8001000000');
    expect(send('00C0000010')).toBe('6985');
  });
});

describe('APDU runtime: logical channels (MANAGE CHANNEL, ISO/IEC 7816-4 7.1.2)', () => {
  it('opens channel 1, selects another applet there, and closes it', () => {
    const { send, runtime, a, b } = setup();
    send('00A4040007A0000000031010');
    expect(send('0070000001')).toBe('019000');
    expect(send('01A4040007A000000003202000').endsWith('9000')).toBe(true);
    expect(runtime.selectedOn(1)?.applet).toBe(b);
    expect(runtime.selectedOn(0)?.applet).toBe(a);
    expect(send('01A4040007A0000000031010')).toBe('6985'); // already selected on channel 0
    expect(send('0070800100')).toBe('9000');
    expect(b.deselects).toBe(1);
    expect(send('01A4040000')).toBe('6881');
  });

  it('refuses a fifth channel and closing the basic one', () => {
    const { send } = setup();
    for (const n of ['01', '02', '03']) expect(send('0070000001')).toBe(`${n}9000`);
    expect(send('0070000001')).toBe('6881');
    expect(send('0070800000')).toBe('6A86');
  });
});

describe('APDU runtime: applets', () => {
  it('an applet’s exception becomes 6F00 and the runtime goes on', () => {
    const { send } = setup();
    send('00A4040007A0000000031010');
    expect(send('8005000000')).toBe('6F00');
    expect(send('8001000001AA00')).toBe('AA9000');
  });

  it('events and the interface reach the applet’s context; records persist per applet', () => {
    const { send, events, nvm } = setup();
    send('00A4040007A0000000031010');
    expect(send('800300000100'.slice(0, 8) + '00')).toBe('019000');
    expect(send('8003000000')).toBe('029000');
    expect(new TextDecoder().decode(nvm.get('A0000000031010/last-via'))).toBe('contactless');
    send('8004000002CAFE');
    expect(events).toEqual([{ kind: 'transaction', aid: PAY_A, data: hexBytes('CAFE') }]);
  });
});
