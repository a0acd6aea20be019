/**
 * The one rig for the strap's BLE side as a phone meets it: a virtual strap
 * running the firmware bundle (dist/strap.js; or other boot code, for tests
 * that need a misbehaving strap) with the SoftDevice model and a phone on one
 * air. The phone is there twice: its raw ble-host `phoneManager` (protocol
 * tests drive SMP and GATT by hand) and `companion`, sim/phone's `Phone` on
 * that same manager (tap, pair, reconnect, GATT calls). The SoftDevice's
 * ble-host is up before the board powers on, so boot finds its radio, as on
 * a Puck.js. Bond folders are in `root` (strap/, phone/).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_PATH } from '../../../firmware/build/outputs';
import { encodeRequest, FRAME_START, parseFrame, type ReplyFrame } from '../../../protocols/strap-rpc/frame';
import { ConsoleChar } from '../../../protocols/espruino/console-bytes';
import { NordicUart } from '../../../protocols/ble/gatt/uuid';
import { printed } from '../../board/board-test-kit';
import { Phone } from '../../phone/phone';
import { virtualPhoneDriver } from '../../phone/phone-driver';
import { Air } from '../../radio/air';
import type { BleManager, Connection } from '../../radio/ble-host-api';
import { createRadioDevice } from '../../radio/radio-device';
import type { RadioDevice } from '../../radio/radio-device';
import { runUntil } from '../../radio/run-until';
import { SoftDevice } from '../../softdevice/softdevice';
import { discover, findCharacteristic, PHONE_ADDRESS, STRAP_ADDRESS, write } from '../../softdevice/testing/strap-and-phone';
import type { PhoneSide } from '../../softdevice/testing/strap-and-phone';
import { createVirtualStrap } from '../virtual-strap';
import type { VirtualStrap } from '../virtual-strap';

export { PHONE_ADDRESS, STRAP_ADDRESS };

export interface StrapWithPhone extends PhoneSide, VirtualStrap {
  phone: RadioDevice;
  /** The companion phone (sim/phone) on `phoneManager`. */
  companion: Phone;
  air: Air;
  root: string;
  output(): string;
  lines(): string[];
  /** A console RPC call over the serial console (the framed protocol, echo off); the reply frame. */
  call(method: string, params?: unknown): ReplyFrame;
  /**
   * The same call over the Nordic UART Service from the phone's connection `conn`: once a bonded phone's
   * link is encrypted the firmware gives the console to Bluetooth, and the RPC goes there.
   * Resolves `{ att }` when the strap refuses the NUS write (an unencrypted link).
   */
  callOverNus(conn: Connection, method: string, params?: unknown): ReplyFrame | { att: number };
  value(expression: string): unknown;
}

export interface StrapWithPhoneOptions {
  /** Boot code instead of the bundle: only for phone tests that need a strap misbehaving (say so where used). */
  bootCode?: string;
}

let firmware: string | undefined;

export function strapWithPhone(seed: number, options: StrapWithPhoneOptions = {}): StrapWithPhone {
  firmware ??= readFileSync(BUNDLE_PATH, 'latin1');
  const strap = createVirtualStrap({ firmware: options.bootCode ?? firmware, seed, powerOn: false, board: { busyLoopLimitMs: 5000 } });
  const air = new Air({ clock: strap.clock, seed, lossRate: 0 });
  const root = mkdtempSync(join(tmpdir(), 'strap-pairing-'));
  const softDevice = new SoftDevice({ air, board: strap.board, name: 'strap', address: STRAP_ADDRESS, bondDir: join(root, 'strap') });
  const phone = createRadioDevice({ air, name: 'phone', address: PHONE_ADDRESS, bondDir: join(root, 'phone') });
  const until = (condition: () => boolean, what: string, limitMs = 60_000): void => {
    if (!runUntil(strap.clock, condition, limitMs)) throw new Error(`not within ${limitMs} ms of virtual time: ${what}`);
  };
  let phoneManager: BleManager | undefined;
  phone.startHost((err, m) => {
    if (err) throw err;
    phoneManager = m;
  });
  until(() => softDevice.ready && phoneManager !== undefined, 'both hosts initialised');
  let out = '';
  strap.board.console.onOutput((bytes) => (out += bytes));
  strap.board.powerOn();
  strap.board.run(100);
  let nextId = 1;
  const request = (method: string, params: unknown): { id: string; line: string } => {
    const id = `b${nextId++}`;
    const encoded = encodeRequest(id, method, params);
    if ('problem' in encoded) throw new Error(encoded.problem);
    return { id, line: ConsoleChar.DLE + encoded.statement + '\n' };
  };
  const replyIn = (text: string, id: string): ReplyFrame | undefined =>
    printed(text)
      .filter((line) => line.includes(FRAME_START))
      .flatMap((line) => line.split(FRAME_START).slice(1).map(parseFrame))
      .find((f): f is ReplyFrame => f.kind === 'reply' && f.id === id);
  const call = (method: string, params?: unknown): ReplyFrame => {
    const { id, line } = request(method, params);
    strap.board.console.input(line);
    strap.board.run(20);
    const reply = replyIn(out, id);
    if (!reply) throw new Error(`no reply to ${method}`);
    return reply;
  };
  const nusText = new WeakMap<Connection, { text: string }>();
  const callOverNus = (conn: Connection, method: string, params?: unknown): ReplyFrame | { att: number } => {
    const side = { softDevice, phoneManager: phoneManager!, until };
    const cs = discover(side, conn, NordicUart.SERVICE);
    let heard = nusText.get(conn);
    if (!heard) {
      const got = { text: '' };
      heard = got;
      const tx = findCharacteristic(cs, NordicUart.TX);
      tx.on('change', (v: Buffer) => (got.text += v.toString('latin1')));
      let err: number | undefined;
      tx.writeCCCD(true, false, (e: number) => (err = e));
      until(() => err !== undefined, 'the NUS TX subscription');
      if (err !== 0) return { att: err! };
      nusText.set(conn, got);
    }
    const { id, line } = request(method, params);
    const rx = findCharacteristic(cs, NordicUart.RX);
    for (let at = 0; at < line.length; at += 20) {
      const err = write(side, rx, line.slice(at, at + 20));
      if (err !== 0) return { att: err };
    }
    const got = heard;
    until(() => replyIn(got.text, id) !== undefined, `the reply to ${method} over NUS`, 5000);
    return replyIn(got.text, id)!;
  };
  const value = (expression: string): unknown => {
    const outcome = strap.board.evaluate(expression);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
  const companion = new Phone({ manager: phoneManager!, driver: virtualPhoneDriver(strap.clock) });
  return { ...strap, softDevice, phone, companion, air, root, phoneManager: phoneManager!, until, output: () => out, lines: () => printed(out), call, callOverNus, value };
}
