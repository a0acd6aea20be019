// A power cut while a bond is written (issue 10): the strap firmware (dist/strap.js) with the SoftDevice
// model and two phones. Phone B is bonded first; phone A then pairs in a new window, and power goes at
// each write of that bonding in turn: each change to the SoftDevice's bond store (a bond record, keys and
// level together, whole or not at all: FDS), then each word the firmware programs into Storage for its
// bond list (two slots in turn). After the reboot:
// - B reconnects with its bond and the wallet answers it (never a half-state that breaks other phones);
// - A either reconnects with its new bond (the SoftDevice kept it) or must pair again, and can;
// - the firmware's list never counts a bond the SoftDevice lacks, and catches up with one the cut kept
//   from it at that phone's next connection (NRF.getSecurityStatus().bonded at connect).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readType2Tag } from '../nfc/type2-reader';
import { listBonds } from '../phone/bond-list';
import type { BleManager, Connection } from '../radio/ble-host-api';
import { createRadioDevice } from '../radio/radio-device';
import { connect, discover, findCharacteristic, read } from '../softdevice/testing/strap-and-phone';
import type { PhoneSide } from '../softdevice/testing/strap-and-phone';
import { strapWithPhone } from './testing/strap-with-phone';
import type { StrapWithPhone } from './testing/strap-with-phone';

const PHONE_A = 'C0:11:22:33:44:02';
const PHONE_B = 'C0:11:22:33:44:03';
const WALLET = '5a7e0001-3c4f-4e9a-9b1d-2f6e8a0c7d11';
const CONTROL_POINT = '5a7e0002-3c4f-4e9a-9b1d-2f6e8a0c7d11';
const KEYBOARD_ONLY = 2;

interface Rig {
  s: StrapWithPhone;
  a: PhoneSide;
  b: PhoneSide;
}

/** The strap with phone B bonded and gone, phone A (the rig's own phone) not yet. */
function withPhoneBBonded(seed: number): Rig {
  const s = strapWithPhone(seed);
  const device = createRadioDevice({ air: s.air, name: 'phone-b', address: PHONE_B, bondDir: join(s.root, 'phone-b') });
  let manager: BleManager | undefined;
  device.startHost((err, m) => {
    if (err) throw err;
    manager = m;
  });
  s.until(() => manager !== undefined, 'phone B\'s host');
  const b: PhoneSide = { softDevice: s.softDevice, phoneManager: manager!, until: s.until };
  const a: PhoneSide = s;
  s.call('ble.pair');
  const conn = connect(b);
  expect(pair(s, conn, passkey(s))).toBe('complete');
  drop(s, conn);
  return { s, a, b };
}

function passkey(s: StrapWithPhone): string {
  const tag = readType2Tag(s.board.nfc);
  if (!tag.ok) throw new Error('no tag: the window is shut');
  const record = tag.records.find((r) => String.fromCharCode(...r.type) === 'paymentstrap.dev:passkey');
  return String.fromCharCode(...record!.payload);
}

/** LESC passkey entry, bonding; how it ended for the phone. */
function pair(s: StrapWithPhone, conn: Connection, key: string): 'complete' | 'failed' | 'dropped' {
  let outcome: 'complete' | 'failed' | 'dropped' | undefined;
  conn.smp.on('passkeyExchange', (_m: number, _shown: string | null, enter: (p: string) => void) => enter(key));
  conn.smp.on('pairingComplete', () => (outcome ??= 'complete'));
  conn.smp.on('pairingFail', () => (outcome ??= 'failed'));
  conn.on('disconnect', () => (outcome ??= 'dropped'));
  conn.smp.sendPairingRequest({ ioCap: KEYBOARD_ONLY, bondingFlags: 1, mitm: true, sc: true });
  s.until(() => outcome !== undefined, 'pairing finished');
  s.board.run(50);
  return outcome!;
}

/** The phone hangs up, or sees the link go when the strap lost power (supervision timeout). */
function drop(s: StrapWithPhone, conn: Connection): void {
  let gone = false;
  conn.on('disconnect', () => (gone = true));
  if (s.board.powered) conn.disconnect();
  s.until(() => gone, 'the link is down');
  s.board.run(50);
}

/** Connect and encrypt with the keys the phone holds; the HCI status (0: the strap still has the bond). */
function reconnect(s: StrapWithPhone, side: PhoneSide): { conn: Connection; status: number | 'dropped' } {
  const conn = connect(side);
  let status: number | 'dropped' | undefined;
  conn.smp.on('encrypt', (st: number) => (status ??= st));
  conn.on('disconnect', () => (status ??= 'dropped'));
  conn.smp.startEncryption();
  s.until(() => status !== undefined, 'the encryption attempt');
  s.board.run(50);
  return { conn, status: status! };
}

function softDeviceBonds(s: StrapWithPhone): string[] {
  return listBonds(join(s.root, 'strap')).map((b) => b.peer).sort();
}

/** The firmware's list as its rule reads it: the longer of its two slots. */
function firmwareList(s: StrapWithPhone): string[] {
  const slots = ['ble.bonds', 'ble.bonds2'].map((f) => {
    try {
      const v: unknown = JSON.parse(s.board.readFile(f) ?? '');
      return Array.isArray(v) ? (v as string[]) : [];
    } catch {
      return [];
    }
  });
  return slots[1]!.length > slots[0]!.length ? slots[1]! : slots[0]!;
}

const peers = (list: string[]) => list.map((a) => a.split(' ')[0]!.toUpperCase()).sort();

/** Pairs phone A with a cut armed; whether the cut happened. */
function pairACut(rig: Rig, arm: (s: StrapWithPhone) => void): boolean {
  const { s, a } = rig;
  s.call('ble.pair');
  const key = passkey(s);
  const conn = connect(a);
  arm(s);
  pair(s, conn, key);
  const cut = !s.board.powered;
  drop(s, conn);
  s.board.flash.disarmPowerCut();
  return cut;
}

/** After the reboot: the invariants the wearer and both phones rely on. */
function checkAfterReboot(rig: Rig, what: string): 'kept' | 'lost' {
  const { s, a, b } = rig;
  s.board.powerOn();
  s.board.run(500);
  const held = softDeviceBonds(s);
  expect(held, what).toContain(PHONE_B);
  // the list after the cut: the old one or the new one, never less, never a bond the SoftDevice lacks
  const listed = peers(firmwareList(s));
  expect([[PHONE_B], [PHONE_A, PHONE_B]], `${what}: listed ${listed.join(', ')}`).toContainEqual(listed);
  for (const p of listed) expect(held, `${what}: listed ${p}`).toContain(p);

  const other = reconnect(s, b);
  expect(other.status, `${what}: phone B reconnects`).toBe(0);
  expect(read(s, findCharacteristic(discover(s, other.conn, WALLET), CONTROL_POINT)).err, `${what}: B's bond keeps its MITM level`).toBe(0);
  drop(s, other.conn);

  const kept = held.includes(PHONE_A);
  const again = reconnect(s, a);
  if (kept) {
    expect(again.status, `${what}: phone A reconnects with its new bond`).toBe(0);
    expect(read(s, findCharacteristic(discover(s, again.conn, WALLET), CONTROL_POINT)).err, `${what}: A's bond has its MITM level`).toBe(0);
    drop(s, again.conn);
    expect(peers(firmwareList(s)), `${what}: the list caught up at A's connection`).toEqual([PHONE_A, PHONE_B]);
    return 'kept';
  }
  expect(again.status, `${what}: the strap has no key for A`).not.toBe(0);
  if (s.softDevice.connected()) drop(s, again.conn);
  // A pairs again, in a new window
  s.call('ble.pair');
  const key = passkey(s);
  const conn = connect(a);
  expect(pair(s, conn, key), `${what}: A pairs again`).toBe('complete');
  drop(s, conn);
  expect(peers(firmwareList(s)), what).toEqual([PHONE_A, PHONE_B]);
  return 'lost';
}

describe('a power cut while a bond is written', () => {
  it('at each change to the SoftDevice\'s bond store: the old bonds or the new one, B unharmed, A reconnects or pairs again', () => {
    const outcomes: string[] = [];
    for (let k = 1; ; k++) {
      const rig = withPhoneBBonded(60 + k);
      const cut = pairACut(rig, (s) => s.softDevice.cutPowerAtStoreChange(k));
      if (!cut) break;
      outcomes.push(`${k}:${checkAfterReboot(rig, `store change ${k}`)}`);
    }
    // the bond record (keys and level together) first, then ble-host's records of the bond's CCCD values (one
    // per characteristic the phone subscribed to) and GATT cache, as the Peer Manager keeps local and remote
    // database records apart: a cut at the first loses A's bond, any later one keeps it
    expect(outcomes.length).toBeGreaterThanOrEqual(3);
    expect(outcomes).toEqual(outcomes.map((_, i) => `${i + 1}:${i === 0 ? 'lost' : 'kept'}`));
  });

  it('at each word the firmware programs for its bond list: the SoftDevice has A; the list has the old entries or the new one, and catches up', () => {
    const outcomes: string[] = [];
    for (let n = 1; ; n += 4) {
      const rig = withPhoneBBonded(80 + n);
      const cut = pairACut(rig, (s) => s.board.flash.cutPowerAfterBytes(n));
      if (!cut) break;
      expect(softDeviceBonds(rig.s), `cut after byte ${n}`).toContain(PHONE_A);
      outcomes.push(checkAfterReboot(rig, `flash cut after byte ${n}`));
    }
    expect(outcomes.length).toBeGreaterThan(3);
    expect(new Set(outcomes)).toEqual(new Set(['kept']));
  }, 90_000); // a reboot per cut word: ~5 s alone, over 30 s on a loaded 2-core machine
});
