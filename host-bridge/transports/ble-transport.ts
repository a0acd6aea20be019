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
 * MTU exchange. Espruino answers the exchange with its build's
 * NRF_SDH_BLE_GATT_MAX_MTU_SIZE (targets/nrf5x/bluetooth.c; 23 on a Puck.js,
 * 131 on boards whose board file raises it) and its RX takes Nordic's
 * BLE_NUS_MAX_DATA_LEN, that MTU − 3 (a longer write is refused with Invalid
 * Attribute Value Length, 0x0D), so the negotiated MTU − 3 is exactly what
 * RX takes.
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
   * After subscribing, how long to wait at most for the board's first bytes
   * (the strap's firmware moves its console to Bluetooth once the link is
   * encrypted, and Espruino says `<- Serial1` and a prompt); default 3 s.
   * EspruinoTools waits a fixed 500 ms before calling a Web Bluetooth port
   * open; the strap may take a poll (250 ms) and more when busy.
   */
  settleMs?: number;
}


/** Quiet after the console's first bytes before the port counts as open. */
const QUIET_MS = 50;

/** Octets the outgoing queue holds before a write waits: two Write Requests at the nRF52's largest MTU (247 − 3). */
const HIGH_WATER = 2 * 244;

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
  /** Bytes not yet in a Write Request, and whether one is in flight. */
  private outgoing: Buffer[] = [];
  private outgoingBytes = 0;
  private writing = false;
  /** Writers waiting for the queue to drain below HIGH_WATER. */
  private drained: { resolve: () => void; reject: (error: Error) => void }[] = [];
  private flushed: (() => void) | undefined;
  /** Rejects what is in flight (a step of open(), a write) when the link goes. */
  private abort: ((error: Error) => void) | undefined;
  private settled: ((value: Buffer) => void) | undefined;

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

  /**
   * Bytes join the outgoing queue; the queue goes out as Write Requests of up to ATT_MTU − 3 octets, one at a
   * time, so bytes from several writes share a request. Resolves once the queue holds at most HIGH_WATER
   * octets (as a socket's write is done once the kernel holds the bytes); what happens to them afterwards is
   * the port's: a link that drops is a 'close' with a PortClosedError.
   */
  protected send(bytes: Buffer): Promise<void> {
    this.outgoing.push(bytes);
    this.outgoingBytes += bytes.length;
    this.pump();
    if (this.outgoingBytes <= HIGH_WATER) return Promise.resolve();
    return new Promise((resolve, reject) => this.drained.push({ resolve, reject }));
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    await this.flush(2000);
    this.state = 'closing';
    await this.hangUp(2000);
    this.release();
    this.closedByUs();
  }

  /** Waits (at most `limitMs`) until the outgoing queue has gone out, as a socket's end() does. */
  private flush(limitMs: number): Promise<void> {
    if (this.state !== 'open' || (this.outgoingBytes === 0 && !this.writing)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, limitMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.flushed = () => {
        if (this.writing) return;
        this.flushed = undefined;
        done();
      };
      if (this.outgoingBytes === 0) this.flushed = () => done();
    });
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
    // the console is the host's once the board has said so (`<- Serial1` and a prompt, as Espruino prints when its
    // console moves; the strap's firmware moves it away at connect and back once the link is encrypted): then a
    // quiet moment, or settleMs without a word
    await new Promise<void>((resolve, reject) => {
      let quiet: ReturnType<typeof setTimeout> | undefined;
      const stop = () => {
        clearTimeout(limit);
        clearTimeout(quiet);
        this.settled = undefined;
        this.abort = undefined;
      };
      const done = () => {
        stop();
        resolve();
      };
      const limit = setTimeout(done, this.options.settleMs ?? 3000);
      this.abort = (error) => {
        stop();
        reject(error);
      };
      let heard = '';
      this.settled = (value) => {
        heard += value.toString('latin1');
        clearTimeout(quiet);
        // Espruino says `-> NEW` on the device its console leaves and `<- OLD` on the one it comes to
        // (jsiSetConsoleDevice, src/jsinteractive.c): wait while the last word is that it left Bluetooth
        if (heard.lastIndexOf('-> ') > heard.lastIndexOf('<- ')) return;
        quiet = setTimeout(done, QUIET_MS);
      };
    });
  }

  /** Bytes from TX: the board's console. Before open() resolves they are the console moving to Bluetooth (`<- Serial1`, a prompt): dropped. */
  private received(value: Buffer): void {
    if (this.state === 'open') return this.emitData(Buffer.from(value));
    this.settled?.(value);
  }

  private pump(): void {
    const rx = this.rx;
    if (this.writing || this.state !== 'open' || !rx || this.outgoingBytes === 0) return;
    const all = Buffer.concat(this.outgoing);
    const chunk = all.subarray(0, this.mtu - 3);
    const rest = all.subarray(chunk.length);
    this.outgoing = rest.length ? [rest] : [];
    this.outgoingBytes = rest.length;
    this.writing = true;
    rx.write(chunk, (err) => {
      this.writing = false;
      if (err !== 0) {
        // bytes the console never got: the stream is broken, as a serial port that lost bytes would be
        this.gone(`the board refused a console write (ATT 0x${err.toString(16).padStart(2, '0')})`);
        this.conn?.disconnect();
        return;
      }
      while (this.drained.length && this.outgoingBytes <= HIGH_WATER) this.drained.shift()!.resolve();
      if (this.outgoingBytes === 0) this.flushed?.();
      this.pump();
    });
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
    for (const w of this.drained.splice(0)) w.reject(error);
    this.release();
    this.lost(error);
  }

  private release(): void {
    const error = new PortClosedError(this.port, `${this.port} is closed`);
    for (const w of this.drained.splice(0)) w.reject(error);
    this.outgoing = [];
    this.outgoingBytes = 0;
    this.writing = false;
    this.flushed?.();
    this.flushed = undefined;
    this.conn = undefined;
    this.rx = undefined;
    this.settled = undefined;
    const link = this.link;
    this.link = undefined;
    link?.removeAllListeners('close');
    link?.close();
  }
}
