/**
 * The nRF52's SoftDevice as Espruino drives it, for the virtual board: a
 * virtual BLE controller on the air (sim/radio) and its own ble-host copy in
 * the peripheral role, attached to the board's radio seam
 * (sim/board/buses/radio-port.ts). The board's NRF object configures it;
 * it reports connections, writes, pairing and bonding back.
 *
 *   const sd = new SoftDevice({ air, board, name: 'strap', address: 'C0:11:22:33:44:01', bondDir });
 *   runUntil(clock, () => sd.ready, 1000);      // ble-host initialised, board configured, advertising
 *
 * Where ble-host 1.0.3 is lax, this model holds what the SoftDevice holds
 * (link-security.ts): MITM only after an authenticated association, LESC
 * only after Secure Connections pairing, the stored level on a bonded
 * reconnect; with `setSecurity({lesc:true})` a legacy Pairing Request is
 * refused (Pairing Failed 0x03), a key shorter than the build's minimum
 * (espruino-build.ts) too (0x06),
 * a peer public key off the curve or equal to ours at once (0x0A,
 * peer-key-guard.ts).
 * ble-host answers an Exchange MTU Request with 517; this SoftDevice
 * answers with the build's NRF_SDH_BLE_GATT_MAX_MTU_SIZE (23 on a Puck.js,
 * espruino-build.ts; sim/radio/att-server-mtu.ts), so notifications carry
 * at most 20 octets and NUS RX takes at most 20.
 * Espruino 2v29 offers a peripheral passkey *display* only: a static
 * passkey (setSecurity's `passkey`) or one drawn per pairing, reported
 * with the 'passkey' event either way.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AdvertisingParams, BoardRadio, LinkRequirement, RadioEvent, SecuritySettings, SecurityStatus, ServiceTable } from '../board/buses/radio-port';
import type { VirtualBoard } from '../board/virtual-board';
import type { EventId } from '../clock/virtual-clock';
import type { Air } from '../radio/air';
import type { StoreChange } from '../radio/ble-host-copy';
import { createRadioDevice } from '../radio/radio-device';
import type { RadioDevice } from '../radio/radio-device';
import { strapBuild } from './espruino-build';
import type { EspruinoBuild } from './espruino-build';
import { buildGattTable } from './gatt-table';
import type { BuiltTable } from './gatt-table';
import { UNENCRYPTED, attAnswer, isBondRecord, storedLevel, withLevel } from './link-security';
import type { LinkLevel } from './link-security';
import { NusConsole } from './nus-console';
import { guardPeerPublicKeys } from './peer-key-guard';
import type { PairingFeatures, PeripheralConnection, PeripheralManager } from './server-api';

export interface SoftDeviceOptions {
  air: Air;
  board: Pick<VirtualBoard, 'radio' | 'link' | 'on' | 'powerOff'>;
  name: string;
  /** The board's public BD_ADDR, `AA:BB:CC:DD:EE:FF`. */
  address: string;
  bondDir: string;
  /**
   * The Espruino build the board runs (espruino-build.ts): its shortest
   * encryption key and ATT MTU. Default the strap's build (sim/board/espruino-board.json:
   * 16 octets, MTU 23); `STOCK_ESPRUINO` is Espruino 2v29 as released (7, 23).
   */
  build?: EspruinoBuild;
}

/** SMP Pairing Failed reasons (Core v5.4 Vol 3 Part H 3.5.5). */
const AUTHENTICATION_REQUIREMENTS = 0x03;
const ENCRYPTION_KEY_SIZE = 0x06;
/** BLE_GAP_SEC_STATUS_* of the SoftDevice (ble_gap.h): 0x80 + the SMP reason. */
const SEC_STATUS_SMP_BASE = 0x80;
/**
 * The 'security' event's auth_status as Espruino gives it: the status's name for the ones it knows
 * (targets/nrf5x/bluetooth.c, BLEP_TASK_AUTH_STATUS: "SUCCESS", "PASSKEY_ENTRY_FAILED"…), else the number.
 */
const AUTH_STATUS_NAMES: Record<number, string> = {
  0x00: 'SUCCESS', 0x01: 'TIMEOUT', 0x02: 'PDU_INVALID', 0x03: 'RFU_RANGE1_BEGIN', 0x80: 'RFU_RANGE1_END',
  0x81: 'PASSKEY_ENTRY_FAILED', 0x82: 'OOB_NOT_AVAILABLE', 0x83: 'AUTH_REQ', 0x84: 'CONFIRM_VALUE', 0x85: 'PAIRING_NOT_SUPP',
  0x86: 'ENC_KEY_SIZE', 0x87: 'SMP_CMD_UNSUPPORTED', 0x88: 'UNSPECIFIED', 0x89: 'REPEATED_ATTEMPTS', 0x8a: 'INVALID_PARAMS',
  0x8b: 'DHKEY_FAILURE', 0x8c: 'NUM_COMP_FAILURE', 0x8d: 'BR_EDR_IN_PROG', 0x8e: 'X_TRANS_KEY_DISALLOWED',
};
const authStatus = (code: number): string | number => AUTH_STATUS_NAMES[code] ?? code;
/** ble-host's IOCapabilities (Vol 3 Part H 2.3.2). */
const IoCap = { DISPLAY_ONLY: 0, KEYBOARD_ONLY: 2, NO_INPUT_NO_OUTPUT: 3, KEYBOARD_DISPLAY: 4 } as const;
/** Longer than the virtual controller takes to answer Set Advertising Parameters and Enable. */
const START_SETTLE_MS = 5;
/**
 * Espruino's dynamic connection interval on nRF52 (targets/nrf5x/bluetooth.c, DYNAMIC_INTERVAL_ADJUSTMENT):
 * after BLE_DYNAMIC_INTERVAL_IDLE_TIME radio events (120000 / 7.5 = 16,000) without peripheral activity
 * (a write, a notification, NUS data) it asks the central for BLE_DYNAMIC_INTERVAL_LOW_RATE (200 ms); two
 * activities within 10 radio events ask BLE_DYNAMIC_INTERVAL_HIGH_RATE (7.5 ms) again. The count restarts at
 * each connection; NRF.setConnectionInterval with a value turns it off, with "auto" back on. The radio
 * events are counted here as time at the link's interval.
 */
const IDLE_RADIO_EVENTS = 16_000;
const LOW_RATE_MS = 200;
const HIGH_RATE_MS = 7.5;
/** AssociationModels of ble-host: the ones with a passkey are authenticated. */
const JUST_WORKS = 0;

export class SoftDevice implements BoardRadio {
  readonly device: RadioDevice;
  readonly address: string;
  private manager: PeripheralManager | undefined;
  private report: (event: RadioEvent) => void = () => undefined;
  private conn: PeripheralConnection | undefined;
  private level: LinkLevel = UNENCRYPTED;
  private pairing: { authenticated: boolean } | undefined;
  private advertisingParams: AdvertisingParams | undefined;
  /** What the firmware sees (getSecurityStatus, the 'advertising' event). */
  private advertising = false;
  /** Whether ble-host has advertising set (its isAdvertisingUserSet). */
  private hostAdvertising = false;
  private startIssuedAtMs = -Infinity;
  private sleeping = false;
  private security: SecuritySettings = { display: false, keyboard: false, bond: true, mitm: false, lesc: false };
  private table: BuiltTable | undefined;
  private staticPasskeyDraw: Uint8Array | undefined;
  /** Store changes until an armed power cut (cutPowerAtStoreChange). */
  private cutCountdown: number | undefined;
  private readonly nus: NusConsole;
  private readonly minKeySize: number;
  /** NRF_SDH_BLE_GATT_MAX_MTU_SIZE of the board's Espruino build. */
  private readonly attMtu: number;
  private started = false;
  private readonly dynamic: { on: boolean; high: boolean; lastActivityMs: number; timer: EventId | undefined } = { on: true, high: true, lastActivityMs: 0, timer: undefined };

  constructor(private readonly options: SoftDeviceOptions) {
    this.address = `${options.address.toLowerCase()} public`;
    const build = options.build ?? strapBuild();
    this.minKeySize = build.minKeySize;
    this.attMtu = build.attMtu;
    this.device = createRadioDevice({
      attServerMtu: build.attMtu,
      air: options.air,
      name: options.name,
      address: options.address,
      bondDir: options.bondDir,
      randomBytesOverride: (n) => (n === 4 ? this.staticPasskeyDraw : undefined),
      storeWrite: (change) => this.storeChange(change),
    });
    guardPeerPublicKeys(this.device.controller.transport, options.air.clock, (refusal) => this.conn?.smp.sendPairingFailed(refusal.reason));
    this.nus = new NusConsole(options.board.link('Bluetooth'));
    options.board.on('powerOff', () => this.powerOff());
    options.board.on('boot', () => {
      if (!this.started) this.start();
    });
    this.start();
  }

  /** ble-host is up and the board has configured it. */
  get ready(): boolean {
    return this.manager !== undefined;
  }

  // ---------------------------------------------------------------- BoardRadio

  connected(): boolean {
    return this.conn !== undefined;
  }

  applyServices(table: ServiceTable): void {
    const manager = this.manager!;
    for (const s of this.table?.services ?? []) manager.gattDb.removeService(s);
    this.table = buildGattTable(table, {
      authorize: (conn, requirement) => attAnswer(requirement, conn === this.conn ? this.level : UNENCRYPTED, (conn as PeripheralConnection).smp.hasLtk),
      written: (serviceUuid, characteristicUuid, data) => {
        this.activity();
        this.report({ kind: 'write', serviceUuid, characteristicUuid, data });
      },
      uartAuthorize: (conn) => attAnswer(this.uartRequirement(), conn === this.conn ? this.level : UNENCRYPTED, (conn as PeripheralConnection).smp.hasLtk),
      uartReceived: (data) => {
        this.activity();
        this.nus.received(data);
      },
      uartSubscribed: (conn, on) => this.nus.subscription(conn, on),
    }, this.attMtu - 3);
    manager.gattDb.addServices(this.table.services);
    this.nus.setTx(this.table.uartTx);
  }

  updateValue(serviceUuid: string, characteristicUuid: string, value: Uint8Array, send: 'none' | 'notify' | 'indicate'): boolean {
    const entry = this.table?.characteristics.get(`${serviceUuid}/${characteristicUuid}`);
    if (!entry) return false;
    entry.spec.value = value.slice();
    const conn = this.conn;
    if (!conn || send === 'none') return true;
    this.activity();
    // sd_ble_gatts_hvx sends at most ATT_MTU − 3 octets (Core v5.4 Vol 3 Part F 3.4.7.1)
    const payload = Buffer.from(value.slice(0, conn.gatt.currentMtu - 3));
    if (send === 'notify' && entry.spec.notify) entry.def.notify?.(conn, payload);
    if (send === 'indicate' && entry.spec.indicate) entry.def.indicate?.(conn, payload);
    return true;
  }

  setAdvertising(params: AdvertisingParams): void {
    this.advertisingParams = params;
    const manager = this.manager;
    if (!manager) return;
    manager.setAdvertisingData(Buffer.from(params.advertisingData));
    manager.setScanResponseData(Buffer.from(params.scanResponse));
    // new interval or type: advertising restarts with them
    if (!this.hostAdvertising) return this.startAdvertising();
    this.whenStartSettled(() => {
      this.stopHostAdvertising();
      this.startAdvertising();
    });
  }

  setSecurity(settings: SecuritySettings): void {
    this.security = { ...settings };
  }

  /**
   * Espruino 2v29 (NRF.setSecurity's `encryptUart`, on by default once a `passkey` or `oob` is
   * set: Espruino fix #1705) opens its UART service only to an encrypted link; the SoftDevice then
   * answers a write to RX or to TX's CCCD on a plain link with Insufficient Authentication (0x05),
   * or Insufficient Encryption (0x0F) to a bonded peer that has not encrypted yet. Read at each
   * access, as the settings stand then.
   */
  private uartRequirement(): LinkRequirement {
    const s = this.security;
    const encrypted = s.encryptUart ?? (s.passkey !== undefined || s.oob !== undefined);
    return { encrypted, mitm: false, lesc: false, signed: false };
  }

  securityStatus(): SecurityStatus {
    const conn = this.conn;
    return {
      advertising: this.advertising,
      connected: !!conn,
      encrypted: this.level.encrypted,
      mitm_protected: this.level.encrypted && this.level.mitm,
      bonded: !!conn && conn.smp.isBonded,
      ...(conn ? { connected_addr: `${conn.peerAddress.toLowerCase()} ${conn.peerAddressType}` } : {}),
    };
  }

  disconnect(): void {
    this.conn?.disconnect();
  }

  setConnectionInterval(interval: 'auto' | { minMs: number; maxMs: number }): void {
    this.dynamic.on = interval === 'auto';
    this.armIdle();
    const [min, max] = interval === 'auto' ? [7.5, 20] : [interval.minMs, interval.maxMs];
    this.askInterval(min, max);
  }

  private askInterval(minMs: number, maxMs: number): void {
    // units of 1.25 ms (Core v5.4 Vol 4 Part E 7.8.18); timeout 4 s in units of 10 ms (bluetooth.c CONN_SUP_TIMEOUT)
    this.conn?.updateConnParams({ connIntervalMin: Math.round(minMs / 1.25), connIntervalMax: Math.round(maxMs / 1.25), connLatency: 0, supervisionTimeout: 400 });
  }

  /** The peripheral link's interval on the air, ms. */
  private linkIntervalMs(): number {
    for (const link of this.options.air.links) if (link.peripheral.ctrl === this.device.controller) return link.intervalMs;
    return HIGH_RATE_MS;
  }

  /** jsble_peripheral_activity(): the idle count restarts; at the low rate, a second activity within 10 radio events goes back to the high one. */
  private activity(): void {
    if (!this.conn) return;
    const now = this.options.air.clock.nowMs();
    if (this.dynamic.on && !this.dynamic.high && now - this.dynamic.lastActivityMs < 10 * this.linkIntervalMs()) {
      this.dynamic.high = true;
      this.askInterval(HIGH_RATE_MS, HIGH_RATE_MS);
    }
    this.dynamic.lastActivityMs = now;
    this.armIdle();
  }

  private armIdle(): void {
    const clock = this.options.air.clock;
    if (this.dynamic.timer !== undefined) clock.cancel(this.dynamic.timer);
    this.dynamic.timer = undefined;
    const conn = this.conn;
    if (!conn || !this.dynamic.on || !this.dynamic.high) return;
    this.dynamic.timer = clock.scheduleIn(IDLE_RADIO_EVENTS * this.linkIntervalMs(), () => {
      this.dynamic.timer = undefined;
      if (this.conn !== conn || !this.dynamic.on || !this.dynamic.high) return;
      this.dynamic.high = false;
      this.askInterval(LOW_RATE_MS, LOW_RATE_MS);
    }, 'softdevice:idle-interval');
  }

  sleep(): void {
    this.sleeping = true;
    this.setAdvertisingOn(false);
    this.whenStartSettled(() => {
      if (this.sleeping) this.stopHostAdvertising();
    });
    this.conn?.disconnect();
  }

  wake(): void {
    this.sleeping = false;
    this.startAdvertising();
  }

  eraseBonds(): void {
    const manager = this.manager;
    if (!manager) return;
    const root = join(this.options.bondDir, 'NodeBleLib-storage-dir');
    for (const own of safeList(root)) {
      for (const peer of safeList(join(root, own, 'bonds'))) {
        // ble-host's folder names: "00-…" public, "01-…" random, then the address with '-' for ':'
        const parts = peer.split(/[-:]/);
        if (parts.length !== 7) continue;
        const address = parts.slice(1).join(':').toUpperCase();
        if (this.conn && this.conn.peerAddress.toUpperCase() === address) continue;
        manager.removeBond(parts[0] === '00' ? 'public' : 'random', address);
      }
    }
  }

  /**
   * Fault injection: the n-th change to the bond store from now (a bond record written or removed,
   * whole: FDS) does not happen, and the board's power goes at that moment, as a cut would take it.
   */
  cutPowerAtStoreChange(n: number): void {
    if (!(n >= 1)) throw new Error('cutPowerAtStoreChange: n must be >= 1');
    this.cutCountdown = Math.floor(n);
  }

  /** What reaches the bond store: a bond's keys with the level they were made with, in one record. */
  private storeChange(change: StoreChange): string | Uint8Array | undefined {
    if (this.cutCountdown !== undefined && --this.cutCountdown <= 0) {
      this.cutCountdown = undefined;
      this.options.board.powerOff('power-cut');
      return undefined;
    }
    if (change.kind === 'remove') return '';
    if (isBondRecord(change.path) && typeof change.data === 'string') return withLevel(change.data, !!this.pairing?.authenticated);
    return change.data;
  }

  // ---------------------------------------------------------------- life

  /**
   * ble-host 1.0.3 sends a start's Advertising Enable only when its
   * parameters command has been answered: a stop issued in between would
   * reach the controller first and be undone. Stops and restarts wait
   * until a start has settled.
   */
  private whenStartSettled(work: () => void): void {
    const wait = this.startIssuedAtMs + START_SETTLE_MS - this.options.air.clock.nowMs();
    const manager = this.manager;
    if (wait <= 0) return work();
    this.options.air.clock.scheduleIn(wait, () => {
      if (this.manager === manager) work();
    }, 'softdevice:advertising');
  }

  private stopHostAdvertising(): void {
    if (!this.hostAdvertising || !this.manager) return;
    this.manager.stopAdvertising();
    this.hostAdvertising = false;
  }

  /** Advertising on or off, told to the board ('advertising' event) when it changes. */
  private setAdvertisingOn(on: boolean): void {
    if (on === this.advertising) return;
    this.advertising = on;
    this.report({ kind: 'advertising', on });
  }

  private start(): void {
    this.started = true;
    this.device.startHost((err, manager) => {
      if (err) throw err;
      this.manager = manager as PeripheralManager;
      this.report = this.options.board.radio.attach(this);
    });
  }

  private powerOff(): void {
    this.options.board.radio.detach();
    this.report = () => undefined;
    this.device.powerOff();
    this.device.powerOn();
    this.manager = undefined;
    this.conn = undefined;
    this.table = undefined;
    this.advertising = false;
    this.hostAdvertising = false;
    this.sleeping = false;
    this.started = false;
    this.dynamic.on = true; // a new RAM: NRF.setConnectionInterval's choice is gone
    this.nus.close();
  }

  private startAdvertising(): void {
    const manager = this.manager;
    const params = this.advertisingParams;
    if (!manager || !params || this.conn || this.sleeping || this.hostAdvertising) return;
    const units = Math.round(params.intervalMs / 0.625);
    const advertisingType = params.connectable ? 'ADV_IND' : params.scannable ? 'ADV_SCAN_IND' : 'ADV_NONCONN_IND';
    this.setAdvertisingOn(true);
    this.hostAdvertising = true;
    this.startIssuedAtMs = this.options.air.clock.nowMs();
    manager.startAdvertising({ intervalMin: units, intervalMax: units, advertisingType }, (status, conn) => {
      this.hostAdvertising = false;
      if (status !== 0) {
        this.setAdvertisingOn(false);
        return;
      }
      this.connect(conn as PeripheralConnection);
    });
  }

  private connect(conn: PeripheralConnection): void {
    this.setAdvertisingOn(false);
    this.conn = conn;
    this.level = UNENCRYPTED;
    this.dynamic.high = true;
    this.dynamic.lastActivityMs = this.options.air.clock.nowMs();
    this.armIdle();
    this.pairing = undefined;
    this.wireSecurity(conn);
    this.nus.open(conn, this.table?.uartTx);
    conn.on('disconnect', (reason: number) => {
      if (this.conn !== conn) return;
      this.conn = undefined;
      this.level = UNENCRYPTED;
      this.dynamic.high = true;
      this.armIdle();
      this.nus.close();
      this.report({ kind: 'disconnect', reason });
      this.startAdvertising();
    });
    this.report({ kind: 'connect', address: `${conn.peerAddress.toLowerCase()} ${conn.peerAddressType}` });
  }

  private wireSecurity(conn: PeripheralConnection): void {
    const smp = conn.smp;
    smp.on('pairingRequest', (req: PairingFeatures, reply: (rsp: object) => void) => {
      this.report({ kind: 'bond', status: 'request' });
      const s = this.security;
      if (req.maxKeySize < this.minKeySize) return this.refuse(conn, ENCRYPTION_KEY_SIZE);
      if (s.lesc && !req.sc) return this.refuse(conn, AUTHENTICATION_REQUIREMENTS);
      const ioCap = s.display && s.keyboard ? IoCap.KEYBOARD_DISPLAY : s.display ? IoCap.DISPLAY_ONLY : s.keyboard ? IoCap.KEYBOARD_ONLY : IoCap.NO_INPUT_NO_OUTPUT;
      this.pairing = { authenticated: false };
      this.report({ kind: 'bond', status: 'start' });
      // ble-host draws the displayed passkey right after the response: a static passkey replaces that draw
      if (s.passkey !== undefined) this.staticPasskeyDraw = u32le(Number(s.passkey));
      try {
        reply({ ioCap, bondingFlags: s.bond ? 1 : 0, mitm: s.mitm, sc: s.lesc, keypress: false, maxKeySize: 16 });
      } finally {
        this.staticPasskeyDraw = undefined;
      }
    });
    smp.on('passkeyExchange', (model: number, passkey: string | null) => {
      if (model !== JUST_WORKS && this.pairing) this.pairing.authenticated = true;
      if (passkey !== null) this.report({ kind: 'passkey', passkey });
    });
    smp.on('pairingComplete', (res: { sc: boolean; mitm: boolean; bond: boolean; initIdentityAddress?: { address: string } | null }) => {
      const authenticated = !!this.pairing?.authenticated && res.mitm;
      this.level = { encrypted: true, mitm: authenticated, lesc: res.sc };
      this.pairing = undefined;
      this.report({ kind: 'bond', status: 'success' });
      this.report({ kind: 'security', status: { auth_status: authStatus(0), bonded: res.bond, lv4: authenticated && res.sc ? 1 : 0, kdist_own: res.bond ? 3 : 0, kdist_peer: res.bond ? 3 : 0 } });
    });
    // ble-host 1.0.3 emits 'pairingFail' (its docs say 'pairingFailed')
    smp.on('pairingFail', (reason: number) => {
      this.pairing = undefined;
      this.report({ kind: 'bond', status: 'fail' });
      this.report({ kind: 'security', status: { auth_status: authStatus(SEC_STATUS_SMP_BASE + reason), bonded: false, lv4: 0, kdist_own: 0, kdist_peer: 0 } });
    });
    smp.on('encrypt', (status: number) => {
      if (status !== 0 || this.pairing) return;
      if (this.level.encrypted) return;
      // a reconnection encrypted with a stored key: the bond's level, as the SoftDevice keeps it
      const stored = storedLevel(this.options.bondDir, conn.peerAddress);
      this.level = { encrypted: true, mitm: stored?.mitm ?? false, lesc: stored?.lesc ?? false };
    });
  }

  private refuse(conn: PeripheralConnection, reason: number): void {
    conn.smp.sendPairingFailed(reason);
  }
}

function u32le(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
