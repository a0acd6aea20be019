/**
 * The virtual strap on an air that a host outside the simulation joins:
 * the strap `strap pair` paired (its flash and its SoftDevice's bonds from
 * `<state>/strap`), and beside it one more controller, with the companion
 * phone's address, whose HCI is offered as H4 over TCP on 127.0.0.1
 * (sim/radio/h4-tcp-server.ts). A host stack that connects there with the
 * phone's bond folder (`<state>/phone`) is the phone again: the strap knows
 * its keys, so the host bridge's BLE transport
 * (host-bridge/transports/ble-transport.ts) reconnects and encrypts without
 * pairing, and the strap's firmware hands it the console.
 *
 *   const s = await startStrapOnHci({ bootCode, seed: 1, stateDir, pace: 1 });
 *   // strap status --port ble:C0:11:22:33:44:01 --hci tcp:127.0.0.1:<s.port> --bonds <stateDir>/phone
 *   await s.close();   // the flash back into <state>/strap/flash.bin
 *
 * `strap sim --hci-port` runs the same parts (attachStrapRadio) with its own
 * board and paced driver.
 */
import { join } from 'node:path';
import { NEXT_LOOP_TURN, PacedDriver } from '../clock/paced-driver';
import type { VirtualClock } from '../clock/virtual-clock';
import type { FlashMemory } from '../board/storage/flash-memory';
import type { VirtualBoard } from '../board/virtual-board';
import { Air } from '../radio/air';
import type { VirtualController } from '../radio/controller';
import { startH4TcpServer, type H4TcpServer } from '../radio/h4-tcp-server';
import { HostTurn } from '../radio/host-turn';
import { runUntil } from '../radio/run-until';
import { createVirtualStrap } from '../scenario/virtual-strap';
import { SoftDevice } from '../softdevice/softdevice';
import { loadStrapFlash, saveStrapFlash } from './strap-flash';
import { VIRTUAL_PHONE_ADDRESS, VIRTUAL_STRAP_ADDRESS } from './virtual-pairing';

/** Where `strap pair` keeps the strap and the phone (`--state`). */
export function pairState(stateDir: string): { strapDir: string; phoneDir: string; flashFile: string } {
  const strapDir = join(stateDir, 'strap');
  return { strapDir, phoneDir: join(stateDir, 'phone'), flashFile: join(strapDir, 'flash.bin') };
}

export interface StrapRadio {
  air: Air;
  softDevice: SoftDevice;
  /** The controller with the phone's address that an outside host drives. */
  hostController: VirtualController;
}

/** The strap's SoftDevice (bonds in `<state>/strap`) and the host's controller on a new air; run the clock until `softDevice.ready` before powering the board on. */
export function attachStrapRadio(board: VirtualBoard, clock: VirtualClock, options: { seed: number | string; stateDir: string }): StrapRadio {
  const air = new Air({ clock, seed: options.seed, lossRate: 0 });
  const softDevice = new SoftDevice({ air, board, name: 'strap', address: VIRTUAL_STRAP_ADDRESS, bondDir: pairState(options.stateDir).strapDir });
  const hostController = air.addController({ name: 'host', publicAddress: VIRTUAL_PHONE_ADDRESS });
  return { air, softDevice, hostController };
}

export interface StrapOnHciOptions {
  bootCode: string;
  seed: number | string;
  /** `strap pair`'s state folder. */
  stateDir: string;
  /** Virtual seconds per wall second (the paced driver's scale). */
  pace: number;
  /**
   * The air waits for the host's answer to each packet the controller hands it (host-turn.ts, up to this many turns
   * of the event loop), so the host's latency costs no board time: a pace above 1 then keeps what the board's own
   * timeouts see of the host (an Espruino packet within 1 s of board time) as in real time. Default: no wait.
   */
  hostTurnLoopTurns?: number;
  /** The H4 port on 127.0.0.1 (default 0: a free one). */
  hciPort?: number;
}

export interface StrapOnHci extends StrapRadio {
  board: VirtualBoard;
  clock: VirtualClock;
  flash: FlashMemory;
  driver: PacedDriver;
  /** The H4 server's port, and `tcp:127.0.0.1:<port>` as the transport's `--hci` takes it. */
  port: number;
  hci: string;
  /** The strap's address (`ble:<address>` is its port) and the bond folder the host uses. */
  address: string;
  bondDir: string;
  /** Everything the board's console printed (on whichever link). */
  output(): string;
  close(): Promise<void>;
}

export async function startStrapOnHci(options: StrapOnHciOptions): Promise<StrapOnHci> {
  const paths = pairState(options.stateDir);
  const flash = loadStrapFlash(paths.flashFile);
  const { clock, board } = createVirtualStrap({ firmware: options.bootCode, seed: options.seed, powerOn: false, flash, board: { busyLoopLimitMs: 5000 } });
  const radio = attachStrapRadio(board, clock, options);
  if (!runUntil(clock, () => radio.softDevice.ready, 60_000)) throw new Error('the virtual strap did not start its BLE host');
  let out = '';
  board.console.onOutput((bytes) => (out += bytes));
  board.link('Bluetooth').onOutput((bytes) => (out += bytes));
  board.powerOn();
  board.run(1000);
  const turn = options.hostTurnLoopTurns === undefined ? undefined : new HostTurn(options.hostTurnLoopTurns, NEXT_LOOP_TURN);
  const driver = new PacedDriver(clock, { scale: options.pace, ...(turn ? { hold: turn.holds } : {}) });
  if (turn) turn.onLapse = () => driver.poke();
  let server: H4TcpServer;
  try {
    server = await startH4TcpServer(radio.hostController, clock, { port: options.hciPort ?? 0, afterHostPacket: () => driver.poke(), ...(turn ? { turn } : {}) });
  } catch (error) {
    saveStrapFlash(paths.flashFile, flash);
    throw error;
  }
  driver.start();
  return {
    ...radio,
    board,
    clock,
    flash,
    driver,
    port: server.port,
    hci: `tcp:127.0.0.1:${server.port}`,
    address: VIRTUAL_STRAP_ADDRESS,
    bondDir: paths.phoneDir,
    output: () => out,
    close: async () => {
      driver.stop();
      await server.close();
      saveStrapFlash(paths.flashFile, flash);
    },
  };
}
