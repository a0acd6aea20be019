/**
 * The virtual rigs' phone and NFC reader: an air on the strap's clock, the
 * SoftDevice model on the strap's board and a ble-host central driven by
 * sim/phone's Phone. Attach before the board powers on, so that boot finds
 * its radio, as on a Puck.js (sim/scenario/testing/strap-with-phone.ts does
 * the same). Every answer is plain data, so the pty board process can send
 * it over its side channel as it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeBtsnoop } from '../../../protocols/ble/btsnoop/btsnoop';
import { decodeTapToPair } from '../../../protocols/nfc/tap-to-pair';
import { readType2Tag } from '../../../sim/nfc/type2-reader';
import { Phone } from '../../../sim/phone/phone';
import { virtualPhoneDriver } from '../../../sim/phone/phone-driver';
import { formatPhoneEvent } from '../../../sim/phone/phone-log';
import { Air } from '../../../sim/radio/air';
import type { BleManager } from '../../../sim/radio/ble-host-api';
import { createRadioDevice, type RadioDevice } from '../../../sim/radio/radio-device';
import { runUntil } from '../../../sim/radio/run-until';
import type { VirtualStrap } from '../../../sim/scenario/virtual-strap';
import { SoftDevice } from '../../../sim/softdevice/softdevice';
import { startH4TcpServer, type H4TcpServer } from '../../../sim/radio/h4-tcp-server';
import type { HostTurn } from '../../../sim/radio/host-turn';
import type { BleHostLink, BleOutcome, BleTraceMark, BleWalletOp, BleWalletStatus, NfcTagRead } from '../../rig/rig';
import { phoneOutcome } from '../phone-outcome';

export const RIG_STRAP_ADDRESS = 'C0:11:22:33:44:01';
export const RIG_PHONE_ADDRESS = 'C0:11:22:33:44:02';

/** The phone's steps as plain data; btsnoop as base64 (the side channel is JSON). */
export interface VirtualPhoneOps {
  pair(options: { passkey?: string }): Promise<BleOutcome>;
  reconnect(): Promise<BleOutcome>;
  readBattery(): Promise<number>;
  walletStatus(): Promise<BleWalletStatus>;
  wallet(op: BleWalletOp): Promise<BleOutcome>;
  disconnect(): Promise<void>;
  forgetBond(): void;
  traceMark(): BleTraceMark;
  btsnoop(since: BleTraceMark): { strap: string; phone: string };
  readTag(): NfcTagRead;
  /**
   * The phone's radio lent to a host stack outside the simulation: its own ble-host stops, its controller is served
   * as H4 over TCP on 127.0.0.1 (sim/radio/h4-tcp-server.ts; `afterHostPacket` picks each packet up on the clock
   * that runs the air; `turn`, that clock's hold, waits for the host's answers: sim/radio/host-turn.ts), and the host
   * gets its bond folder, so it is the phone to the strap.
   */
  lendRadio(afterHostPacket: () => void, turn?: HostTurn): Promise<BleHostLink>;
  /** The radio back: the H4 server closed, the phone's ble-host started again on the same bonds. */
  takeRadioBack(): void;
  /** The phone is running the board's clock (the pty board's pace holds meanwhile). */
  busy(): boolean;
  close(): void;
}

/** `note` hears each of the phone's steps as a line. */
export function attachVirtualPhone(strap: VirtualStrap, seed: number, note?: (text: string) => void): VirtualPhoneOps {
  const { board, clock } = strap;
  const air = new Air({ clock, seed, lossRate: 0 });
  const root = mkdtempSync(join(tmpdir(), 'strap-hil-ble-'));
  // a payment strap asks 16-octet keys (firmware/ble/README.md)
  const softDevice = new SoftDevice({ air, board, name: 'strap', address: RIG_STRAP_ADDRESS, bondDir: join(root, 'strap') });
  const device: RadioDevice = createRadioDevice({ air, name: 'phone', address: RIG_PHONE_ADDRESS, bondDir: join(root, 'phone') });
  let manager: BleManager | undefined;
  device.startHost((err, m) => {
    if (err) throw err;
    manager = m;
  });
  if (!runUntil(clock, () => softDevice.ready && manager !== undefined, 60_000)) throw new Error('the strap SoftDevice or the phone did not start its BLE host');
  const newPhone = (): Phone => {
    const p = new Phone({ manager: manager!, driver: virtualPhoneDriver(clock) });
    if (note) p.log.onEvent((e) => note(`phone: ${formatPhoneEvent(e)}`));
    return p;
  };
  let phone = newPhone();
  let lent: H4TcpServer | undefined;
  let busy = false;
  const step = async <T>(body: () => Promise<T>): Promise<T> => {
    busy = true;
    try {
      return await body();
    } finally {
      busy = false;
    }
  };
  const outcome = (body: () => Promise<void>): Promise<BleOutcome> => step(() => phoneOutcome(body));
  const strapRecords = () => softDevice.device.controller.transport.records;
  const phoneRecords = () => device.controller.transport.records;
  return {
    pair: ({ passkey }) =>
      outcome(async () => {
        const tag = phone.tapTag(board.nfc);
        if (passkey !== undefined) phone.tag = { ...tag, passkey };
        await phone.pair();
        phone.strap = { address: tag.address, addressType: tag.addressType };
      }),
    reconnect: () => outcome(() => phone.reconnect()),
    readBattery: () => step(() => phone.readBattery()),
    walletStatus: () => step(() => phone.wallet().status()),
    wallet: (op) =>
      outcome(async () => {
        await phone.wallet()[op]();
      }),
    disconnect: () => step(() => phone.disconnect()),
    // ble-host keeps its keys in memory as well as in the bond folder: its removeBond drops both (after the disconnect)
    forgetBond: () => manager!.removeBond('public', RIG_STRAP_ADDRESS),
    traceMark: () => ({ strap: strapRecords().length, phone: phoneRecords().length }),
    btsnoop: (since) => ({
      strap: Buffer.from(encodeBtsnoop(strapRecords().slice(since.strap))).toString('base64'),
      phone: Buffer.from(encodeBtsnoop(phoneRecords().slice(since.phone))).toString('base64'),
    }),
    readTag: () => {
      const read = readType2Tag(board.nfc);
      if (!read.ok) return { ok: false, error: read.error };
      const info = decodeTapToPair(read.records);
      return {
        ok: true,
        uid: Buffer.from(read.uid).toString('hex'),
        records: read.records.map((r) => ({ tnf: r.tnf, type: Buffer.from(r.type).toString('latin1'), payloadHex: Buffer.from(r.payload).toString('hex') })),
        ...(info.ok ? { pairing: { address: info.address, addressType: info.addressType, passkey: info.passkey } } : {}),
      };
    },
    lendRadio: async (afterHostPacket, turn) => {
      if (lent) throw new Error('the phone radio is lent already');
      await phone.disconnect();
      const strapAt = phone.strap ?? { address: RIG_STRAP_ADDRESS };
      // the phone's ble-host copy stops (its timers and its view of the controller cut); the controller serves the new host
      device.powerOff();
      device.powerOn();
      lent = await startH4TcpServer(device.controller, clock, { afterHostPacket, ...(turn ? { turn } : {}) });
      note?.(`phone radio lent as H4 on tcp:127.0.0.1:${lent.port}`);
      return { hci: `tcp:127.0.0.1:${lent.port}`, bondDir: join(root, 'phone'), address: strapAt.address.toUpperCase() };
    },
    takeRadioBack: () => {
      const server = lent;
      if (!server) return;
      lent = undefined;
      void server.close();
      const strap = phone.strap;
      device.powerOff();
      device.powerOn();
      manager = undefined;
      device.startHost((err, m) => {
        if (err) throw err;
        manager = m;
      });
      if (!runUntil(clock, () => manager !== undefined, 60_000)) throw new Error('the phone did not start its BLE host again');
      phone = newPhone();
      phone.strap = strap;
      note?.('phone radio back');
    },
    busy: () => busy,
    close: () => {
      void lent?.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
