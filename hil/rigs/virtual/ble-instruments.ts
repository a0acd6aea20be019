/**
 * The `ble-central` and `nfc-tag-reader` instruments over the virtual phone's
 * ops, wherever those run (this process, or the pty board process behind its
 * side channel): `call` reaches them, the rig's transcript notes each step.
 */
import type { BleOutcome, BleTraceMark, Instruments, NfcTagRead } from '../../rig/rig';
import { notedOutcome } from '../phone-outcome';

/** The phone's ops as the instrument has them, but `pair` takes the passkey alone, btsnoop comes as base64 (it may cross the pty rig's side channel), and the tag reader's read is here too. */
export type PhoneCalls = Omit<Instruments['ble-central'], 'pair' | 'btsnoop'> & {
  pair(passkey: string | undefined): Promise<BleOutcome>;
  btsnoop(since: BleTraceMark): Promise<{ strap: string; phone: string }>;
  readTag(): Promise<NfcTagRead>;
};

export function bleInstruments(calls: PhoneCalls, note: (text: string) => void): Pick<Instruments, 'ble-central' | 'nfc-tag-reader'> {
  const said = (what: string, o: BleOutcome): BleOutcome => notedOutcome(note, what, o);
  return {
    'ble-central': {
      pair: async (options = {}) => {
        note(`phone taps the tag and pairs${options.passkey === undefined ? '' : `, typing ${options.passkey}`}`);
        return said('pairing', await calls.pair(options.passkey));
      },
      reconnect: async () => said('reconnect', await calls.reconnect()),
      readBattery: async () => {
        const percent = await calls.readBattery();
        note(`phone read battery ${percent} %`);
        return percent;
      },
      walletStatus: () => calls.walletStatus(),
      wallet: async (op) => said(`wallet ${op}`, await calls.wallet(op)),
      disconnect: async () => {
        note('phone disconnects');
        await calls.disconnect();
      },
      forgetBond: async () => {
        note("phone forgets its bond");
        await calls.forgetBond();
      },
      traceMark: () => calls.traceMark(),
      btsnoop: async (since) => {
        const b = await calls.btsnoop(since);
        return { strap: Buffer.from(b.strap, 'base64'), phone: Buffer.from(b.phone, 'base64') };
      },
      lendRadio: async () => {
        const link = await calls.lendRadio();
        note(`phone radio lent to the host bridge: --hci ${link.hci}`);
        return link;
      },
      takeRadioBack: async () => {
        await calls.takeRadioBack();
        note('phone radio back with the phone');
      },
    },
    'nfc-tag-reader': {
      read: async () => {
        const read = await calls.readTag();
        note(read.ok ? `NFC reader: ${read.records.length} NDEF records${read.pairing ? `, passkey ${read.pairing.passkey}` : ''}` : `NFC reader: ${read.error}`);
        return read;
      },
    },
  };
}
