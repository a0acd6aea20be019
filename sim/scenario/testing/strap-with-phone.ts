/**
 * The firmware bundle (dist/strap.js) on a virtual strap with the SoftDevice
 * model and a phone (ble-host as central) on one air: the strap's BLE side as
 * a phone meets it. The SoftDevice's ble-host is up before the board powers
 * on, so the firmware's boot finds its radio, as on a Puck.js.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_PATH } from '../../../firmware/build/outputs';
import { encodeRequest, FRAME_START, parseFrame, type ReplyFrame } from '../../../protocols/strap-rpc/frame';
import { ConsoleChar } from '../../../protocols/espruino/console-bytes';
import { printed } from '../../board/board-test-kit';
import { Air } from '../../radio/air';
import type { BleManager } from '../../radio/ble-host-api';
import { createRadioDevice } from '../../radio/radio-device';
import type { RadioDevice } from '../../radio/radio-device';
import { runUntil } from '../../radio/run-until';
import { SoftDevice } from '../../softdevice/softdevice';
import { PHONE_ADDRESS, STRAP_ADDRESS } from '../../softdevice/testing/strap-and-phone';
import type { PhoneSide } from '../../softdevice/testing/strap-and-phone';
import { createVirtualStrap } from '../virtual-strap';
import type { VirtualStrap } from '../virtual-strap';

export interface StrapWithPhone extends PhoneSide, VirtualStrap {
  phone: RadioDevice;
  air: Air;
  output(): string;
  lines(): string[];
  /** A console RPC call (the framed protocol, echo off); the reply frame. */
  call(method: string, params?: unknown): ReplyFrame;
  value(expression: string): unknown;
}

let firmware: string | undefined;

export function strapWithPhone(seed: number): StrapWithPhone {
  firmware ??= readFileSync(BUNDLE_PATH, 'latin1');
  const strap = createVirtualStrap({ firmware, seed, powerOn: false, board: { busyLoopLimitMs: 5000 } });
  const air = new Air({ clock: strap.clock, seed, lossRate: 0 });
  const root = mkdtempSync(join(tmpdir(), 'strap-pairing-'));
  // a payment strap asks 16-octet keys (firmware/ble/README.md)
  const softDevice = new SoftDevice({ air, board: strap.board, name: 'strap', address: STRAP_ADDRESS, bondDir: join(root, 'strap'), minKeySize: 16 });
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
  const call = (method: string, params?: unknown): ReplyFrame => {
    const id = `b${nextId++}`;
    const request = encodeRequest(id, method, params);
    if ('problem' in request) throw new Error(request.problem);
    strap.board.console.input(ConsoleChar.DLE + request.statement + '\n');
    strap.board.run(20);
    const reply = printed(out)
      .filter((line) => line.includes(FRAME_START))
      .flatMap((line) => line.split(FRAME_START).slice(1).map(parseFrame))
      .find((f): f is ReplyFrame => f.kind === 'reply' && f.id === id);
    if (!reply) throw new Error(`no reply to ${method}`);
    return reply;
  };
  const value = (expression: string): unknown => {
    const outcome = strap.board.evaluate(expression);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  };
  return { ...strap, softDevice, phone, air, phoneManager: phoneManager!, until, output: () => out, lines: () => printed(out), call, value };
}
