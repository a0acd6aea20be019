/**
 * The companion phone: a BLE central on ble-host's BleManager API (nothing
 * here knows the virtual air, so the same code drives a real HCI adapter
 * through another PhoneDriver) and an NFC reader.
 *
 *   const phone = new Phone({ manager, driver: virtualPhoneDriver(clock) });
 *   phone.tapTag(board.nfc);          // the strap's address and passkey from its tag
 *   await phone.pair();               // LE Secure Connections passkey entry, MITM, bond
 *   await phone.reconnect();          // stored keys, no pairing
 *   await phone.readBattery();
 *
 * Every step is reported in `phone.log` as it happens; a failed step throws
 * a PhoneError with the reason (and is in the log too).
 */
import { decodeTapToPair } from '../../protocols/nfc/tap-to-pair';
import type { TapToPairInfo } from '../../protocols/nfc/tap-to-pair';
import { readType2Tag } from '../nfc/type2-reader';
import type { TagInField } from '../nfc/type2-reader';
import type { BleManager, Connection, ScanReport } from '../radio/ble-host-api';
import { PhoneGatt } from './phone-gatt';
import type { GattAccess } from './phone-gatt';
import type { PhoneDriver } from './phone-driver';
import { PhoneLog } from './phone-log';
import { WalletClient } from './wallet-client';
import type { WalletClientOptions } from './wallet-client';
import { hciStatusText, pairingFailureText } from './smp-reasons';

export interface PhoneOptions {
  manager: BleManager;
  driver: PhoneDriver;
  /** How long to scan for the strap (default 10 s). */
  scanLimitMs?: number;
}

/** SMP IO capability KeyboardOnly (Core v5.4 Vol 3 Part H 2.3.2): the phone types what the strap displays. */
const KEYBOARD_ONLY = 0x02;
const PAIRING_FEATURES = { ioCap: KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true };
/** Pairing Failed reason Passkey Entry Failed (Core v5.4 Vol 3 Part H 3.5.5). */
const PASSKEY_ENTRY_FAILED = 0x01;
const SMP_LIMIT_MS = 35_000;
/** HCI Remote User Terminated Connection (Core v5.4 Vol 1 Part F 2.19). */
const REMOTE_USER_TERMINATED = 0x13;
const CONNECT_LIMIT_MS = 10_000;

export interface Strap {
  address: string;
  addressType: 'public' | 'random';
}

export class Phone implements GattAccess {
  readonly log: PhoneLog;
  /** What the last tag tapped said. */
  tag: TapToPairInfo | undefined;
  /** The strap paired or reconnected to. */
  strap: Strap | undefined;
  private conn: Connection | undefined;
  private gattAccess: PhoneGatt | undefined;
  private passkeyTyped = false;
  /** Where the passkey in `tag` came from, for the log. */
  private passkeyFrom = 'the tag';
  private walletClient: WalletClient | undefined;

  constructor(private readonly options: PhoneOptions) {
    this.log = new PhoneLog(() => options.driver.nowMs());
  }

  get connection(): Connection | undefined {
    return this.conn;
  }

  /** Reads the strap's NFC tag (Type 2) and takes its address and passkey; refuses a tag without them. */
  tapTag(reader: TagInField): TapToPairInfo {
    const read = readType2Tag(reader);
    if (!read.ok) {
      const hint = read.error === 'no tag' ? " (the strap's NFC tag is off: is its pairing window open?)" : '';
      throw this.log.fail('tap', `cannot read the tag: ${read.error}${hint}`);
    }
    const info = decodeTapToPair(read.records);
    if (!info.ok) throw this.log.fail('tap', info.reason);
    this.tag = { address: info.address, addressType: info.addressType, role: info.role, passkey: info.passkey };
    this.passkeyFrom = 'the tag';
    this.log.ok('tap', `strap ${info.address} (${info.addressType}), passkey ${info.passkey} (${read.records.length} NDEF records)`);
    return this.tag;
  }

  /**
   * The strap's address and passkey from elsewhere than a tap: typed by the
   * user (read off the tag with another phone) or answered by `ble.pair` on
   * the strap's wired console (`from` says which, for the log).
   */
  knowStrap(strap: Strap, passkey: string, from: string): TapToPairInfo {
    if (!/^\d{6}$/.test(passkey)) throw this.log.fail('passkey', `a passkey is six digits, got ${JSON.stringify(passkey)}`);
    // LE Role 0x00: peripheral only, what the strap's tag says (firmware/ble/README.md)
    this.tag = { address: strap.address.toUpperCase(), addressType: strap.addressType, role: 0, passkey };
    this.passkeyFrom = from;
    this.log.ok('passkey', `strap ${this.tag.address}, passkey ${passkey} from ${from}`);
    return this.tag;
  }

  /** Finds the tapped strap, connects, pairs with the tag's passkey (LESC, MITM, bonding). */
  async pair(): Promise<void> {
    const tag = this.tag;
    if (!tag) throw this.log.fail('pair', 'no tag tapped: tap the strap first');
    this.passkeyTyped = false;
    const conn = await this.connectTo({ address: tag.address, addressType: tag.addressType });
    const outcome = await this.options.driver.wait<{ complete: true } | { failed: number } | { dropped: number }>('pairing', SMP_LIMIT_MS, (done) => {
      conn.smp.on('pairingComplete', () => done({ complete: true }));
      // ble-host 1.0.3 emits 'pairingFail' (its docs say 'pairingFailed')
      conn.smp.on('pairingFail', (reason: number) => done({ failed: reason }));
      conn.on('disconnect', (reason: number) => done({ dropped: reason }));
      this.log.ok('pair', 'pairing request: LE Secure Connections, MITM, bonding, keyboard');
      // false: pairing is already under way, started by the strap's Security Request with the same features
      conn.smp.sendPairingRequest(PAIRING_FEATURES);
    }).catch((error: unknown) => {
      throw this.log.fail('pair', `the strap did not finish pairing: ${(error as Error).message}`);
    });
    if ('failed' in outcome) {
      throw this.log.fail('pair', `refused: ${pairingFailureText(outcome.failed)}`, outcome.failed);
    }
    if ('dropped' in outcome) {
      // the strap hangs up at once for a while after a failed attempt (firmware/ble/README.md: 2 s doubling, at most 32 s)
      const hint = outcome.dropped === REMOTE_USER_TERMINATED ? '; is its pairing window open (a long press opens it)? after a failed attempt the strap drops links for up to 32 s: wait, tap again and retry' : '';
      throw this.log.fail('pair', `the link dropped while pairing: ${hciStatusText(outcome.dropped)}${hint}`, outcome.dropped);
    }
    const level = conn.smp.currentEncryptionLevel;
    if (!this.passkeyTyped || !level?.mitm || !level.sc) {
      conn.disconnect();
      throw this.log.fail('pair', 'the strap paired without passkey authentication (Just Works or legacy): refused by the phone');
    }
    this.log.ok('pair', 'paired: encrypted, authenticated (MITM), LE Secure Connections');
    if (!conn.smp.isBonded) throw this.log.fail('bond', 'the strap did not bond (no keys to keep)');
    this.log.ok('bond', `bond with ${tag.address} stored`);
  }

  /** Connects again and encrypts with the stored keys, without pairing. */
  async reconnect(strap: Strap | undefined = this.strap): Promise<void> {
    if (!strap) throw this.log.fail('reconnect', 'no strap known: tap and pair first');
    await this.disconnect();
    const conn = await this.connectTo(strap);
    if (!conn.smp.hasLtk) throw this.log.fail('reconnect', `no bond with ${strap.address}: pair first`);
    const outcome = await this.options.driver.wait<{ status: number } | { dropped: number }>('encryption', SMP_LIMIT_MS, (done) => {
      if (conn.smp.isEncrypted) return done({ status: 0 });
      conn.smp.on('encrypt', (status: number) => done({ status }));
      conn.on('disconnect', (reason: number) => done({ dropped: reason }));
      conn.smp.startEncryption();
    }).catch((error: unknown) => {
      throw this.log.fail('encrypt', (error as Error).message);
    });
    if ('dropped' in outcome) throw this.log.fail('encrypt', `the link dropped: ${hciStatusText(outcome.dropped)}`, outcome.dropped);
    if (outcome.status !== 0) throw this.log.fail('encrypt', hciStatusText(outcome.status), outcome.status);
    const level = conn.smp.currentEncryptionLevel;
    this.log.ok('encrypt', `encrypted with the stored keys, no pairing${level ? ` (${level.mitm ? 'MITM' : 'no MITM'}, ${level.sc ? 'SC' : 'legacy'})` : ''}`);
  }

  async disconnect(): Promise<void> {
    const conn = this.conn;
    if (!conn) return;
    this.conn = undefined;
    this.gattAccess = undefined;
    this.walletClient = undefined;
    await this.options.driver
      .wait<number>('disconnect', CONNECT_LIMIT_MS, (done) => {
        conn.on('disconnect', done);
        conn.disconnect();
      })
      .then((reason) => this.log.ok('disconnect', hciStatusText(reason)))
      .catch(() => this.log.ok('disconnect', 'no answer from the strap; link given up'));
  }

  async readBattery(): Promise<number> {
    const value = await this.gatt().read('180f', '2a19');
    const percent = value[0];
    if (value.length !== 1 || percent === undefined || percent > 100) throw this.log.fail('read', `battery level is not one octet 0–100: ${Buffer.from(value).toString('hex')}`);
    this.log.ok('read', `battery ${percent} %`);
    return percent;
  }

  /** Device Information (0x180A): the strings the strap offers, by name. */
  async readDeviceInfo(): Promise<Record<string, string>> {
    return this.gatt().readDeviceInfo();
  }

  read(serviceUuid: string, charUuid: string): Promise<Uint8Array> {
    return this.gatt().read(serviceUuid, charUuid);
  }

  write(serviceUuid: string, charUuid: string, value: Uint8Array): Promise<void> {
    return this.gatt().write(serviceUuid, charUuid, value);
  }

  subscribe(serviceUuid: string, charUuid: string, listener: (value: Uint8Array) => void): Promise<void> {
    return this.gatt().subscribe(serviceUuid, charUuid, listener);
  }

  /** The wallet client on this connection (one per connection: its subscription and sequence numbers). */
  wallet(options?: WalletClientOptions): WalletClient {
    this.gatt();
    this.walletClient ??= new WalletClient(this, this.options.driver, this.log, options);
    return this.walletClient;
  }

  private gatt(): PhoneGatt {
    if (!this.conn || !this.gattAccess) throw this.log.fail('read', 'not connected to the strap');
    return this.gattAccess;
  }

  private async connectTo(strap: Strap): Promise<Connection> {
    const { driver, manager } = this.options;
    const limit = this.options.scanLimitMs ?? 10_000;
    const found = await driver
      .wait<ScanReport>(`scanning for ${strap.address}`, limit, (done) => {
        const scanner = manager.startScan({});
        scanner.on('report', (r: ScanReport) => {
          if (r.address.toUpperCase() !== strap.address.toUpperCase()) return;
          scanner.stopScan();
          done(r);
        });
      })
      .catch(() => {
        throw this.log.fail('scan', `strap ${strap.address} not found within ${limit / 1000} s (out of range, off, or not advertising)`);
      });
    this.log.ok('scan', `found ${found.address}, RSSI ${found.rssi} dBm`);
    const conn = await driver
      .wait<Connection>(`connecting to ${strap.address}`, CONNECT_LIMIT_MS, (done) => manager.connect(found.addressType, found.address, {}, done))
      .catch(() => {
        throw this.log.fail('connect', `no connection to ${strap.address} within ${CONNECT_LIMIT_MS / 1000} s`);
      });
    // A Security Request from the strap makes ble-host pair at once with its defaults (Just Works) unless asked:
    // the phone answers with its own features, and types only a passkey it took from the strap's tag.
    conn.smp.on('pairingRequest', (_request: unknown, answer: (features: object) => void) => answer(PAIRING_FEATURES));
    conn.smp.on('passkeyExchange', (_model: number, _shown: string | null, enter: (passkey: string) => void) => {
      const passkey = this.tag?.passkey;
      if (!passkey) {
        this.log.ok('pair', 'the strap asks a passkey but no tag was tapped: pairing refused');
        conn.smp.sendPairingFailed(PASSKEY_ENTRY_FAILED);
        return;
      }
      this.passkeyTyped = true;
      this.log.ok('pair', `passkey entry: typing ${passkey} from ${this.passkeyFrom}`);
      enter(passkey);
    });
    this.conn = conn;
    this.strap = { address: found.address, addressType: found.addressType };
    this.gattAccess = new PhoneGatt(conn, this.options.driver, this.log);
    this.walletClient = undefined;
    conn.on('disconnect', () => {
      if (this.conn === conn) {
        this.conn = undefined;
        this.gattAccess = undefined;
    this.walletClient = undefined;
      }
    });
    this.log.ok('connect', `connected to ${found.address}`);
    return conn;
  }
}
