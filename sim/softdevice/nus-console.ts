/**
 * Espruino's console over the Nordic UART Service, the SoftDevice's side:
 * bytes a central writes to RX go into the board's `Bluetooth` link; bytes
 * the board sends on that link go out as TX notifications of at most
 * MTU − 3 octets, one after the other as the link layer takes them (the
 * next is queued when ble-host has handed the previous one to the
 * controller), so the connection interval and packet size pace the console.
 * While one is in flight the rest waits, up to `BUFFER_LIMIT` octets, beyond
 * which the oldest is dropped.
 *
 * Output while the central has not subscribed to TX is dropped, as Espruino
 * drops it: targets/nrf5x/bluetooth.c, nus_transmit_string() (run on every
 * radio event and every notification sent), clears nusTxBuf and the whole
 * Bluetooth transmit queue (`jshTransmitClearDevice(EV_BLUETOOTH)`) when
 * there is no connection, when `bleStatus & BLE_NUS_INITED` is off, or when
 * ble_nus_data_send() fails with NRF_ERROR_INVALID_STATE, which is what it
 * gives while notifications are not enabled ("the central isn't reading").
 * Espruino drops it at the next radio event (within one connection
 * interval); the model at once.
 */
import type { ConsolePort } from '../board/console/console-contract';
import type { Connection } from '../radio/ble-host-api';
import type { ServerCharacteristic } from './server-api';

const BUFFER_LIMIT = 4096;

export class NusConsole {
  private pending = '';
  private inFlight = false;
  private connection: Connection | undefined;
  private subscribed = false;
  private tx: ServerCharacteristic | undefined;
  private stopOutput: (() => unknown) | undefined;

  constructor(private readonly link: ConsolePort) {}

  /** A central connected: listen to the board's Bluetooth output from now on. */
  open(connection: Connection, tx: ServerCharacteristic | undefined): void {
    this.connection = connection;
    this.tx = tx;
    this.subscribed = false;
    this.stopOutput ??= this.link.onOutput((bytes) => this.queue(bytes));
  }

  /** The service table changed (a BLE restart): the new TX characteristic. */
  setTx(tx: ServerCharacteristic | undefined): void {
    this.tx = tx;
  }

  close(): void {
    this.stopOutput?.();
    this.stopOutput = undefined;
    this.connection = undefined;
    this.subscribed = false;
    this.pending = '';
    this.inFlight = false;
  }

  subscription(connection: Connection, on: boolean): void {
    if (connection !== this.connection) return;
    this.subscribed = on;
    if (!on) this.pending = '';
    this.pump();
  }

  received(data: Uint8Array): void {
    this.link.input(String.fromCharCode(...data));
  }

  private queue(bytes: string): void {
    if (!this.subscribed) return;
    this.pending += bytes;
    if (this.pending.length > BUFFER_LIMIT) this.pending = this.pending.slice(-BUFFER_LIMIT);
    this.pump();
  }

  private pump(): void {
    const conn = this.connection;
    if (!conn || !this.subscribed || this.inFlight || !this.tx?.notify || this.pending.length === 0) return;
    const room = Math.max(1, conn.gatt.currentMtu - 3);
    const chunk = this.pending.slice(0, room);
    this.pending = this.pending.slice(chunk.length);
    this.inFlight = true;
    const sent = this.tx.notify(conn, Buffer.from(chunk, 'latin1'), () => {
      this.inFlight = false;
      this.pump();
    });
    if (!sent) this.inFlight = false;
  }
}
