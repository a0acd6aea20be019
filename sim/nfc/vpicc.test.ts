// The strap as vpcd's virtual card, against a stand-in for vpcd on 127.0.0.1
// speaking vsmartcard's message layout (protocols/pcsc/vpcd.ts): what pcscd
// would get back for each request. The run through the real pcscd and vpcd
// is hil/rigs/bench/pcsc-pos-reader.test.ts.
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { I2CBus } from '../board/buses/i2c-bus';
import { SeededRandom } from '../clock/seeded-random';
import { VirtualClock } from '../clock/virtual-clock';
import { STRAP_PINS } from '../strap/wiring';
import type { SeEvent } from '../se/applet';
import * as rf from '../../protocols/nci/rf';
import { encodeVpcdMessage, splitVpcdStream } from '../../protocols/pcsc/vpcd';
import { concatBytes } from '../../protocols/bytes';
import type { ContactlessTarget } from './contactless';
import { VirtualField } from './field';
import { EMBEDDED_SE_NFCEE_ID, NciController, PN7150_I2C_ADDRESS } from './nci-controller';
import { PPSE_AID, RecordingPins, TestNciHost, bringUpToListen, kinds, pick } from './testing/nci-test-host';
import { holdToReader } from './vpicc';

const h = (hex: string) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));
const SELECT_PPSE = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, PPSE_AID.length, ...PPSE_AID, 0x00]);
const PPSE_FCI = h('6F 10 84 0E 325041592E5359532E4444463031 90 00');

/** SELECT PPSE → its FCI after 2 ms; anything else → 6D00. */
class PpseTarget implements ContactlessTarget {
  readonly seen: string[] = [];
  fieldOn(): void { this.seen.push('field on'); }
  fieldOff(): void { this.seen.push('field off'); }
  transceive(apdu: Uint8Array): { response: Uint8Array; processingUs: number } {
    this.seen.push(Buffer.from(apdu.subarray(0, 2)).toString('hex'));
    return apdu[1] === 0xa4 ? { response: PPSE_FCI, processingUs: 2000 } : { response: h('6D 00'), processingUs: 500 };
  }
  onEvent(_listener: (e: SeEvent) => void): () => void {
    return () => undefined;
  }
}

function strap(options: { listen: boolean }) {
  const clock = new VirtualClock();
  const pins = new RecordingPins();
  const bus = new I2CBus();
  const nfcc = new NciController({ clock, random: new SeededRandom('vpicc-test'), pins, irqPin: STRAP_PINS.NFC_IRQ });
  bus.attach(PN7150_I2C_ADDRESS, nfcc);
  const target = new PpseTarget();
  nfcc.attachNfcee(target);
  nfcc.setVen(true);
  const host = new TestNciHost(bus, clock, () => pins.level(STRAP_PINS.NFC_IRQ));
  if (options.listen) bringUpToListen(host, EMBEDDED_SE_NFCEE_ID);
  return { clock, host, target, field: new VirtualField({ clock, controller: nfcc }) };
}

/** vpcd's side of one connection: sends requests, collects answers, sees the close. */
class FakeVpcd {
  private buffered: Uint8Array = new Uint8Array(0);
  private readonly answers: Uint8Array[] = [];
  private readonly wakers: (() => void)[] = [];
  closed = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk) => {
      const { messages, rest } = splitVpcdStream(concatBytes(this.buffered, chunk));
      this.buffered = rest;
      this.answers.push(...messages);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  send(payload: Uint8Array): void {
    this.socket.write(encodeVpcdMessage(payload));
  }

  /** The next answer, or undefined once the card closed the connection. */
  async answer(): Promise<Uint8Array | undefined> {
    while (this.answers.length === 0 && !this.closed) await new Promise<void>((resolve) => this.wakers.push(resolve));
    return this.answers.shift();
  }

  /** vpcd goes away (pcscd stopped). */
  drop(): void {
    this.socket.destroy();
  }

  async closing(): Promise<void> {
    while (!this.closed) await new Promise<void>((resolve) => this.wakers.push(resolve));
  }

  private wake(): void {
    for (const w of this.wakers.splice(0)) w();
  }
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A vpcd stand-in listening on 127.0.0.1: its port and its side of the card's connection. */
async function fakeVpcd(): Promise<{ port: number; connection: Promise<FakeVpcd> }> {
  let accept!: (c: FakeVpcd) => void;
  const connection = new Promise<FakeVpcd>((resolve) => (accept = resolve));
  server = createServer((socket) => accept(new FakeVpcd(socket)));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return { port: address.port, connection };
}

describe('the strap as a vpcd virtual card', () => {
  it("answers get-ATR with the ATR a PC/SC reader builds from its ATS, carries an APDU to the SE and back, and leaves on power off", async () => {
    const { clock, host, target, field } = strap({ listen: true });
    const { port, connection } = await fakeVpcd();
    const session = await holdToReader({ clock, field, port });
    const vpcd = await connection;

    vpcd.send(Uint8Array.of(0x04));
    // No LI_A_HIST_BY configured: an ATS without historical bytes → 3B 80 80 01 01.
    expect(await vpcd.answer()).toEqual(h('3B 80 80 01 01'));
    vpcd.send(Uint8Array.of(0x01)); // power on: the card is already active, nothing changes
    vpcd.send(Uint8Array.of(0x04));
    expect(await vpcd.answer()).toEqual(h('3B 80 80 01 01'));
    const before = clock.nowMs();
    vpcd.send(SELECT_PPSE);
    expect(await vpcd.answer()).toEqual(PPSE_FCI);
    expect(clock.nowMs()).toBeGreaterThan(before + 2); // the air time and the SE's 2 ms passed on the virtual clock
    expect(session.readers).toHaveLength(1);

    vpcd.send(Uint8Array.of(0x00));
    expect(await session.ended).toBe('powered-off');
    await vpcd.closing();
    expect(target.seen).toEqual(['field on', '00a4', 'field off']);
    const heard = host.receive();
    expect(kinds(heard)).toEqual(['NTF RF_FIELD_INFO', 'NTF RF_INTF_ACTIVATED', 'NTF RF_NFCEE_ACTION', 'NTF RF_DEACTIVATE', 'NTF RF_FIELD_INFO']);
    expect(pick(heard, rf.RF_FIELD_INFO_NTF)).toEqual([{ fieldOn: true }, { fieldOn: false }]);
    expect(session.readers[0]!.inField()).toBe(false);
  });

  it('answers get-ATR with an empty ATR when card emulation is off (the reader finds no card), and leaves', async () => {
    const { clock, host, target, field } = strap({ listen: false });
    const { port, connection } = await fakeVpcd();
    const session = await holdToReader({ clock, field, port });
    const vpcd = await connection;
    vpcd.send(Uint8Array.of(0x04));
    expect(await vpcd.answer()).toEqual(new Uint8Array(0));
    expect(await session.ended).toBe('no-card');
    await vpcd.closing();
    expect(target.seen).toEqual([]);
    expect(kinds(host.receive()).filter((k) => k.includes(' RF_'))).toEqual([]); // not listening: no field, no activation told
  });

  it('resets as a field off and on (a new RF session), and ends with the connection when vpcd goes', async () => {
    const { clock, target, field } = strap({ listen: true });
    const { port, connection } = await fakeVpcd();
    const session = await holdToReader({ clock, field, port });
    const vpcd = await connection;
    vpcd.send(Uint8Array.of(0x01));
    vpcd.send(Uint8Array.of(0x02));
    vpcd.send(Uint8Array.of(0x04));
    expect(await vpcd.answer()).toEqual(h('3B 80 80 01 01'));
    expect(session.readers).toHaveLength(2);
    vpcd.send(h('80 CA 9F 17 00'));
    expect(await vpcd.answer()).toEqual(h('6D 00'));
    vpcd.drop();
    expect(await session.ended).toBe('vpcd-closed');
    expect(target.seen).toEqual(['field on', 'field off', 'field on', '80ca', 'field off']);
  });
});
