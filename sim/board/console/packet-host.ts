/**
 * What the REPL's 2v25+ packet protocol (../repl/packet-handler.ts) works on:
 * the board's Storage, E 'packet' events in the live RAM, and its clock.
 */
import type { BoardClock } from '../runtime/board-clock';
import type { PacketHost } from '../repl/repl';
import { latin1ToBytes } from '../runtime/bytes';
import type { RamSlot } from '../runtime/ram';
import { StorageError, type JsfStorage } from '../storage/jsf-storage';

export interface PacketHostWiring {
  storage: JsfStorage;
  slot: RamSlot;
  clock: BoardClock;
  /** A Storage file as text, as the board's readFile(). */
  readFile(name: string): string | undefined;
}

export function createPacketHost({ storage, slot, clock, readFile }: PacketHostWiring): PacketHost {
  return {
    writeFile: (name, data, offset, size) => {
      try {
        storage.write(name, latin1ToBytes(data), offset, size);
      } catch (error) {
        // Espruino reports Storage failures as a plain Error
        throw error instanceof StorageError ? new Error(error.message) : error;
      }
    },
    readFile: (name) => readFile(name),
    emitPacketEvent: (json) => {
      const ram = slot.current;
      if (!ram || !slot.isCurrent(ram)) return;
      let value: unknown;
      try {
        value = ram.realm.jsonParse(json);
      } catch {
        value = undefined;
      }
      let emit: unknown;
      try {
        emit = ram.runner.guardHost(() => (ram.E as { emit?: unknown }).emit);
      } catch {
        return; // firmware broke E.emit: the event is lost
      }
      if (typeof emit === 'function') ram.loop.queueEvent(emit, ram.E, ['packet', value]);
    },
    setTimer: (ms, callback) => {
      const id = clock.scheduleIn(ms, callback, 'board:packet-timeout');
      return () => clock.cancel(id);
    },
  };
}
