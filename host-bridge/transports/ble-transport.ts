/**
 * A board's console over the Nordic UART Service (`ble:AA:BB:CC:DD:EE:FF`),
 * as Espruino offers it on a Puck.js: this process is the BLE central
 * (ble-host on the HCI controller `--hci` names: ble/hci-spec.ts), finds the
 * board by its address, connects, encrypts with the bond kept in `bondDir`
 * (pairing is `strap pair`'s job: without a bond the transport says "pair
 * first" and does not try), subscribes to TX (6e400003, notifications) and
 * writes RX (6e400002).
 *
 * Writes as Espruino's own tools do (EspruinoTools core/serial_noble.js and
 * core/serial_web_bluetooth.js: `write(data, false, …)` / `writeValue`, a
 * Write Request, the next only when the previous is answered): at most
 * ATT_MTU − 3 octets each. The tools send 20 (the default MTU's 23 − 3)
 * because Web Bluetooth and noble do not tell the MTU; ble-host does, after an
 * MTU exchange. Espruino's RX takes up to Nordic's BLE_NUS_MAX_DATA_LEN
 * (NRF_SDH_BLE_GATT_MAX_MTU_SIZE − 3, at most 247 − 3 on an nRF52), and a
 * longer write is refused with Invalid Attribute Value Length (0x0D), so
 * writes stop at 244 whatever MTU the exchange gave.
 *
 * The link dropping (out of range, the board reset, a power cut) is a
 * `'close'` with a PortClosedError, as a serial port unplugged, so the
 * reconnecting transport and the flasher's rollback/resume handle it alike.
 */
import type { HciLink } from './ble/hci-link';
import { openHciLink } from './ble/hci-link';
import { loadBleHostWithBonds } from './ble/ble-host-loader';
import type { CentralConnection, CentralManager, RemoteCharacteristic, ScanReport } from './ble/ble-host-types';
import { parseHciSpec } from './ble/hci-spec';
import { TransportBase } from './transport-base';
import { PortClosedError, PortOpenError, errorText } from './transport-errors';

/** The Nordic UART Service (Nordic's ble_nus; Espruino's console on nRF5x boards). */
export const NUS = {
  SERVICE: '6e400001-b5a3-f393-e0a9-e50e24dcca9e',
  RX: '6e400002-b5a3-f393-e0a9-e50e24dcca9e',
  TX: '6e400003-b5a3-f393-e0a9-e50e24dcca9e',
} as const;

export interface BleTransportOptions {
  /** The HCI controller: `tcp:HOST:PORT`, `hciN` or a serial path (ble/hci-spec.ts). */
  hci: string;
  /** The folder holding this host's bonds (ble-host's `NodeBleLib-storage-dir` inside it): `strap pair`'s `<state>/phone`. */
  bondDir: string;
  /** How long to look for the board's advertising (default 10 s). */
  scanLimitMs?: number;
  /** Each step after that: connect, encrypt, discover, subscribe (default 10 s each). */
  stepLimitMs?: number;
  /**
   * After subscribing, how long to wait for the board's first bytes (the
   * strap's firmware moves its console to Bluetooth once the link is
   * encrypted, and Espruino says `<- Serial1` and a prompt); default 1 s, as
   * EspruinoTools waits 500 ms before calling a Web Bluetooth port open.
   */
  settleMs?: number;
}

/** Nordic's BLE_NUS_MAX_DATA_LEN with the nRF52 SoftDevice's largest ATT MTU, 247. */
export const NUS_MAX_WRITE = 244;

/** HCI statuses a dropped link reports (Core v5.4 Vol 1 Part F). */
const HCI_REASONS: Record<number, string> = {
  0x06: 'PIN or key missing: the board has no bond with this host',
  0x08: 'connection timeout: the board went out of range or lost power',
  0x13: 'the board ended the connection',
  0x16: 'this host ended the connection',
  0x22: 'LL response timeout',
  0x3d: 'MIC failure: the keys do not match',
  0x3e: 'the connection failed to be established',
};

/** Connection interval 7.5–15 ms (units of 1.25 ms), supervision timeout 4 s (units of 10 ms): Espruino's own fast interval is 7.5 ms. */
const CONNECTION_PARAMETERS = { connIntervalMin: 6, connIntervalMax: 12, connLatency: 0, supervisionTimeout: 400 };

export function hciReasonText(status: number): string {
  return `${HCI_REASONS[status] ?? 'error'} (HCI 0x${status.toString(16).padStart(2, '0')})`;
}

export class BleTransport extends TransportBase {
  private link: HciLink | undefined;
  private conn: CentralConnection | undefined;
  private rx: RemoteCharacteristic | undefined;
  /** Writes one after the other: the previous one's promise. */
  private queue: Promise<void> = Promise.resolve();
  /** Rejects what is in flight (a step of open(), a write) when the link goes. */
  private abort: ((error: Error) => void) | undefined;
  private settled: (() => void) | undefined;

  constructor(
    port: string,
    private readonly address: string,
    private readonly options: BleTransportOptions,
  ) {
    super(port);
  }

  /** The ATT MTU in use (23 until the exchange); each write carries at most this − 3. */
  get mtu(): number {
    return this.conn?.gatt.currentMtu ?? 23;
  }

  async open(): Promise<void> {
    if (this.state !== 'closed') throw new PortOpenError(this.port, `${this.port} is already ${this.state}`);
    this.state = 'opening';
    try {
      await this.setUp();
      this.state = 'open';
    } catch (error) {
      this.state = 'closing';
      await this.hangUp(1000);
      this.release();
      this.state = 'closed';
      if (error instanceof PortOpenError) throw error;
      throw new PortOpenError(this.port, `cannot open ${this.port}: ${errorText(error)}`, { cause: error });
    }
  }

  protected send(bytes: Buffer): Promise<void> {
    const run = this.queue.then(() => this.writeChunks(bytes));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closing';
    await this.hangUp(2000);
    this.release();
    this.closedByUs();
  }

  /** Ends the link (so the board advertises again at once), waiting at most `limitMs` for the controller to say so. */
  private hangUp(limitMs: number): Promise<void> {
    const conn = this.conn;
    if (!conn) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, limitMs);
      conn.once('disconnect', () => {
        clearTimeout(timer);
        resolve();
      });
      conn.disconnect();
    });
  }

  private async setUp(): Promise<void> {
    const { hci, bondDir } = this.options;
    const stepMs = this.options.stepLimitMs ?? 10_000;
    const link = await openHciLink(parseHciSpec(hci), hci).catch((error: unknown) => {
      throw new PortOpenError(this.port, `cannot reach the Bluetooth controller ${hci}: ${errorText(error)}`, { cause: error });
    });
    this.link = link;
    link.on('close', (why: string) => this.gone(`the Bluetooth controller ${hci} went away: ${why}`));
    const host = loadBleHostWithBonds(bondDir);
    const manager = await this.step<CentralManager>(`the Bluetooth controller ${hci} did not initialise`, stepMs, (done, fail) =>
      host.BleManager.create(link, {}, (err, m) => (err ? fail(err) : done(m))),
    );
    // ble-host reports a controller that closed or failed as an 'error' on the manager
    manager.on('error', (error: Error) => this.gone(`the Bluetooth controller ${hci} failed: ${error.message}`));
    const scanMs = this.options.scanLimitMs ?? 10_000;
    const found = await this.step<ScanReport>(`${this.address} not found within ${scanMs / 1000} s (out of range, asleep, or connected to another central)`, scanMs, (done) => {
      const scanner = manager.startScan({});
      scanner.on('report', (r: ScanReport) => {
        if (r.address.toUpperCase() !== this.address) return;
        scanner.stopScan();
        done(r);
      });
    });
    let pending: { cancel(): void } | undefined;
    const conn = await this.step<CentralConnection>(`no connection to ${this.address} within ${stepMs / 1000} s`, stepMs, (done) => {
      pending = manager.connect(found.addressType, found.address, CONNECTION_PARAMETERS, done);
    }).catch((error: unknown) => {
      pending?.cancel();
      throw error;
    });
    this.conn = conn;
    conn.on('disconnect', (reason: number) => this.gone(`the Bluetooth link dropped: ${hciReasonText(reason)}`));
    if (!conn.smp.hasLtk) throw new PortOpenError(this.port, `no bond with ${this.address} in ${bondDir}: pair first: strap pair`);
    const status = await this.step<number>(`encryption with ${this.address} did not finish within ${stepMs / 1000} s`, stepMs, (done) => {
      conn.smp.on('encrypt', done);
      conn.smp.startEncryption();
    });
    if (status !== 0) {
      const hint = status === 0x06 ? `: ${this.address} has forgotten this host's bond: pair again (strap pair)` : '';
      throw new PortOpenError(this.port, `encryption refused: ${hciReasonText(status)}${hint}`);
    }
    await this.step<number>('the MTU exchange was not answered', stepMs, (done) => conn.gatt.exchangeMtu(done));
    const services = await this.step<{ discoverCharacteristics(cb: (cs: RemoteCharacteristic[]) => void): void }[]>('service discovery was not answered', stepMs, (done) =>
      conn.gatt.discoverServicesByUuid(NUS.SERVICE, 1, done),
    );
    if (!services[0]) throw new PortOpenError(this.port, `${this.address} has no Nordic UART Service: not an Espruino console`);
    const cs = await this.step<RemoteCharacteristic[]>('characteristic discovery was not answered', stepMs, (done) => services[0]!.discoverCharacteristics(done));
    const rx = cs.find((c) => c.uuid.toLowerCase() === NUS.RX);
    const tx = cs.find((c) => c.uuid.toLowerCase() === NUS.TX);
    if (!rx || !tx) throw new PortOpenError(this.port, `${this.address}'s Nordic UART Service lacks RX or TX`);
    this.rx = rx;
    tx.on('change', (value: Buffer) => this.received(value));
    const err = await this.step<number>('the TX subscription was not answered', stepMs, (done) => tx.writeCCCD(true, false, done));
    // ATT Insufficient Authentication / Encryption (Core v5.4 Vol 3 Part F 3.4.1.1): Espruino's encryptUart
    if (err === 0x05 || err === 0x0f) throw new PortOpenError(this.port, `${this.address} keeps its console from this link (ATT 0x${err.toString(16).padStart(2, '0')}): pair first: strap pair`);
    if (err !== 0) throw new PortOpenError(this.port, `subscribing to the console failed (ATT 0x${err.toString(16).padStart(2, '0')})`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.settled = undefined;
        resolve();
      }, this.options.settleMs ?? 1000);
      this.settled = () => {
        clearTimeout(timer);
        this.settled = undefined;
        resolve();
      };
    });
  }

  /** Bytes from TX: the board's console. Before open() resolves they are the console moving to Bluetooth (`<- Serial1`, a prompt): dropped. */
  private received(value: Buffer): void {
    if (this.state === 'open') return this.emitData(Buffer.from(value));
    this.settled?.();
  }

  private async writeChunks(bytes: Buffer): Promise<void> {
    const size = Math.min(this.mtu - 3, NUS_MAX_WRITE);
    for (let at = 0; at < bytes.length; at += size) {
      const rx = this.rx;
      if (this.state !== 'open' || !rx) throw new PortClosedError(this.port, `${this.port} went away`);
      const chunk = bytes.subarray(at, at + size);
      const err = await new Promise<number>((resolve, reject) => {
        this.abort = reject;
        rx.write(chunk, resolve);
      }).finally(() => (this.abort = undefined));
      if (err !== 0) throw new Error(`${this.port}: the board refused a console write (ATT 0x${err.toString(16).padStart(2, '0')})`);
    }
  }

  /** Starts `start` and waits for `done`; rejects on `fail`, after `limitMs`, or when the link goes meanwhile. */
  private step<T>(timeoutText: string, limitMs: number, start: (done: (value: T) => void, fail: (error: Error) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new PortOpenError(this.port, `cannot open ${this.port}: ${timeoutText}`)), limitMs);
      const finish = (f: () => void) => {
        clearTimeout(timer);
        this.abort = undefined;
        f();
      };
      this.abort = (error) => finish(() => reject(error));
      start(
        (value) => finish(() => resolve(value)),
        (error) => finish(() => reject(error)),
      );
    });
  }

  /** The link or the controller went: a step or write in flight fails, an open port is lost. */
  private gone(why: string): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    const error = new PortClosedError(this.port, `${this.port} went away: ${why}`);
    this.abort?.(this.state === 'opening' ? new PortOpenError(this.port, `cannot open ${this.port}: ${why}`) : error);
    if (this.state !== 'open') return;
    this.release();
    this.lost(error);
  }

  private release(): void {
    this.conn = undefined;
    this.rx = undefined;
    this.settled = undefined;
    const link = this.link;
    this.link = undefined;
    link?.removeAllListeners('close');
    link?.close();
  }
}
