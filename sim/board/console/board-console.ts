/**
 * The board's console links (src/jsinteractive.c, src/jsdevices.c): the UART
 * `Serial1` and the BLE UART `Bluetooth` as hosts see them, which of them the
 * REPL talks on (E.setConsole), echo, and firmware text on the console.
 * Bytes for the other device go to its `data` events or its buffer.
 */
import type { BoardClock } from '../runtime/board-clock';
import type { BoardEvents } from '../board-events';
import type { Ram, RamSlot } from '../runtime/ram';
import type { BoardRepl } from './board-repl';
import { ConsoleLink } from './console-link';
import { ConsoleLock } from './console-lock';
import { buffered, setBuffered } from './rx-buffer';

const CTRL_C = '\x03';

export type LinkName = 'Serial1' | 'Bluetooth';

/** The device the REPL talks on (E.setConsole): a link, or none. */
export type ConsoleDeviceName = LinkName | 'null';

export interface BoardConsoleWiring {
  clock: BoardClock;
  slot: RamSlot;
  events: BoardEvents;
}

export class BoardConsole {
  readonly repl: BoardRepl;
  /** The console password (E.setPassword / E.lockConsole), on whichever link the REPL talks. */
  readonly lock: ConsoleLock;
  /** Text from firmware and boot is dropped (replaying the saved state). */
  muted = false;
  private readonly links: Record<LinkName, ConsoleLink>;
  private device: ConsoleDeviceName = 'Serial1';
  private forcedDevice = false;
  private echo = true;

  /** `createRepl` builds the REPL around the console's output and its password lock. */
  constructor(
    private readonly wiring: BoardConsoleWiring,
    createRepl: (write: (bytes: string) => void, lock: ConsoleLock) => BoardRepl,
  ) {
    this.links = { Serial1: this.makeLink('Serial1'), Bluetooth: this.makeLink('Bluetooth') };
    this.lock = new ConsoleLock(wiring.slot);
    this.repl = createRepl((bytes) => this.output(bytes), this.lock);
  }

  link(name: LinkName): ConsoleLink {
    return this.links[name];
  }

  /** The device the REPL currently talks on. */
  get deviceName(): ConsoleDeviceName {
    return this.device;
  }

  get echoOn(): boolean {
    return this.echo;
  }

  /** Whether the last E.setConsole forced the device (jsiIsConsoleDeviceForced). */
  get forced(): boolean {
    return this.forcedDevice;
  }

  /** Power-on / hard reset: the console is back on Serial1. */
  resetDevice(): void {
    this.device = 'Serial1';
    this.forcedDevice = false;
  }

  /** reset()/load()/power-on: echo back on (the REPL's own state is reset separately). */
  resetEcho(): void {
    this.echo = true;
  }

  /** E.setEcho. */
  setEcho(on: boolean): void {
    this.echo = on;
    this.repl.setEcho(on);
  }

  /** Firmware/boot text for the console ('\n' line ends; the REPL sends "\r\n"). */
  printText(ram: Ram, text: string): void {
    if (this.muted || !this.wiring.slot.isCurrent(ram)) return;
    this.repl.printFromFirmware(text);
  }

  /** Serial1.write / Bluetooth.write from the firmware of `ram`. */
  writeToDevice(ram: Ram, device: ConsoleDeviceName, bytes: string): void {
    if (device !== 'null' && this.wiring.slot.isCurrent(ram)) this.links[device].emit(bytes);
  }

  /** jsiSetConsoleDevice: with echo on, "-> new" on the old device and "<- old" on the new one. */
  setConsole(device: ConsoleDeviceName, force = false): void {
    this.forcedDevice = force;
    const old = this.device;
    if (device === old) return;
    if (this.echo && old !== 'null') this.links[old].emit(`-> ${device}\r\n`);
    this.device = device;
    if (this.echo && device !== 'null') {
      this.links[device].emit(`<- ${old}\r\n`);
      this.repl.showPrompt();
    }
  }

  private makeLink(name: LinkName): ConsoleLink {
    return new ConsoleLink(
      name,
      (bytes) => this.receive(name, bytes),
      (listeners) => this.wiring.events.emit('link', { name, listeners }),
    );
  }

  /** Bytes arriving on a link are taken in the board's next idle pass. */
  private receive(device: LinkName, bytes: string): void {
    this.wiring.clock.scheduleIn(0, () => this.takeInput(device, bytes), `board:rx:${device}`);
  }

  private takeInput(device: LinkName, bytes: string): void {
    const slot = this.wiring.slot;
    const ram = slot.current;
    if (!slot.powered || !ram) return;
    if (ram.loop.isStuck) {
      // Espruino is inside one pass: input waits in its buffer, but Ctrl-C is
      // taken in the UART interrupt and stops the running code (src/jsdevices.c
      // jshPushIOCharEvent; src/jsparse.h EXEC_CTRL_C: a Ctrl-C that the idle
      // loop does not get to clear interrupts what runs).
      if (device === this.device && bytes.includes(CTRL_C)) ram.loop.ctrlC();
      this.wiring.clock.scheduleAt(ram.loop.resumeAtMs, () => this.takeInput(device, bytes), `board:rx:${device}`);
      return;
    }
    if (device === this.device) {
      if (bytes.includes(CTRL_C)) ram.loop.ctrlC();
      this.repl.receive(bytes);
      if (slot.current) slot.current.loop.queueWork();
      return;
    }
    const stream = device === 'Serial1' ? ram.devices.serial1 : ram.devices.bluetooth;
    try {
      // firmware owns the device object: what it put there is read under the busy-loop limit
      ram.runner.guardHost(() => {
        if (ram.realm.listeners(stream, 'data').length > 0) {
          ram.loop.queueEvent((stream as { emit: Function }).emit, stream, ['data', bytes]);
        } else {
          setBuffered(stream, buffered(stream) + bytes);
        }
      });
    } catch {
      // a device object firmware broke loses the bytes, as a UART nobody reads does
    }
  }

  /** REPL output: to the console device while the RAM runs. */
  private output(bytes: string): void {
    const ram = this.wiring.slot.current;
    if (!this.wiring.slot.powered || !ram || ram.halted || this.device === 'null') return;
    this.links[this.device].emit(bytes);
  }
}
