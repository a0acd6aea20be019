/**
 * `strap bonds --forget` on the virtual world: the strap `strap pair` left
 * (its flash in `<state>/strap/flash.bin`, its SoftDevice's bonds in
 * `<state>/strap`) boots again and is asked `ble.forget` over its console,
 * as the host bridge would ask a real strap. The firmware erases every bond
 * (its own list and the SoftDevice's); the phone keeps its half, and hears at
 * its next reconnect that the strap has forgotten it.
 */
import { join } from 'node:path';
import { ConsoleChar } from '../../protocols/espruino/console-bytes';
import { encodeRequest, FRAME_START, parseFrame } from '../../protocols/strap-rpc/frame';
import type { ReplyFrame } from '../../protocols/strap-rpc/frame';
import { Air } from '../radio/air';
import { runUntil } from '../radio/run-until';
import { createVirtualStrap } from '../scenario/virtual-strap';
import { SoftDevice } from '../softdevice/softdevice';
import { loadStrapFlash, saveStrapFlash } from './strap-flash';
import { VIRTUAL_STRAP_ADDRESS } from './virtual-pairing';

export interface VirtualForgetOptions {
  bootCode: string;
  seed: number | string;
  stateDir: string;
}

/** The strap's answer to `ble.forget` (`{forgotten: n}`), or why there is none. */
export function forgetOnVirtualStrap(options: VirtualForgetOptions): { ok: true; forgotten: number } | { ok: false; reason: string } {
  const strapDir = join(options.stateDir, 'strap');
  const flashFile = join(strapDir, 'flash.bin');
  const flash = loadStrapFlash(flashFile);
  const { clock, board } = createVirtualStrap({ firmware: options.bootCode, seed: options.seed, powerOn: false, flash, board: { busyLoopLimitMs: 5000 } });
  const air = new Air({ clock, seed: options.seed, lossRate: 0 });
  const softDevice = new SoftDevice({ air, board, name: 'strap', address: VIRTUAL_STRAP_ADDRESS, bondDir: strapDir });
  if (!runUntil(clock, () => softDevice.ready, 60_000)) throw new Error('the virtual strap did not start its BLE host');
  let out = '';
  board.console.onOutput((bytes) => (out += bytes));
  board.powerOn();
  board.run(1000);
  const request = encodeRequest('forget1', 'ble.forget');
  if ('problem' in request) throw new Error(request.problem);
  board.console.input(ConsoleChar.DLE + request.statement + '\n');
  board.run(200);
  saveStrapFlash(flashFile, flash);
  const reply = out
    .split(FRAME_START)
    .slice(1)
    .map((raw) => parseFrame(raw.split('\r\n')[0] ?? ''))
    .find((f): f is ReplyFrame => f.kind === 'reply' && f.id === 'forget1');
  if (!reply) return { ok: false, reason: 'the strap did not answer ble.forget (is it running the firmware?)' };
  if (!reply.ok) return { ok: false, reason: `the strap refused ble.forget: ${JSON.stringify(reply.value)}` };
  const forgotten = (reply.value as { forgotten?: unknown }).forgotten;
  return { ok: true, forgotten: typeof forgotten === 'number' ? forgotten : 0 };
}
