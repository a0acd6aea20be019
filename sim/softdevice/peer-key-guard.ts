/**
 * The peer's Pairing Public Key, checked as the SoftDevice (with Nordic's
 * fixes for CVE-2018-5383 and CVE-2020-26558) checks it, which ble-host
 * 1.0.3 does not: a key not on P-256 is rejected at once (ble-host goes on
 * until confirm/random), a key equal to our own (reflected) is rejected
 * (ble-host accepts it). Both get Pairing Failed, Invalid Parameters (0x0A:
 * protocols/ble/smp/p256.ts says why), before any key is derived or stored.
 *
 * It reads the SMP PDUs crossing the device's HCI transport: the peer's from
 * the controller's ACL packets, our own from the transport's records of what
 * the host wrote. ble-host answers the initiator's key with its own in the
 * same turn, so the check runs once that turn is over (a clock event at the
 * same instant). With the transport's recording off only the curve check
 * runs (our own key is not known).
 */
import { H4PacketType } from '../../protocols/ble/hci/h4';
import { decodeAcl } from '../../protocols/ble/hci/packets';
import { EMPTY_REASSEMBLY, LeChannel, reassemble } from '../../protocols/ble/l2cap/basic-frame';
import type { ReassemblyState } from '../../protocols/ble/l2cap/basic-frame';
import { SmpCode } from '../../protocols/ble/smp/constants';
import { PEER_KEY_FAILURE, judgePeerPublicKey } from '../../protocols/ble/smp/p256';
import type { PeerKeyVerdict, PublicKey } from '../../protocols/ble/smp/p256';
import type { VirtualClock } from '../clock/virtual-clock';
import type { HciTransport } from '../radio/hci-transport';

export interface PeerKeyRefusal {
  handle: number;
  verdict: Exclude<PeerKeyVerdict, 'valid'>;
  reason: number;
}

/** Calls `refuse` for each peer public key that fails the checks; returns a function that stops watching. */
export function guardPeerPublicKeys(transport: HciTransport, clock: VirtualClock, refuse: (refusal: PeerKeyRefusal) => void): () => void {
  const states = new Map<number, ReassemblyState>();
  const listener = (packet: Buffer): void => {
    if (packet[0] !== H4PacketType.ACL_DATA) return;
    const acl = decodeAcl(new Uint8Array(packet.subarray(1)));
    if (!acl.ok) return;
    const step = reassemble(states.get(acl.value.handle) ?? EMPTY_REASSEMBLY, acl.value);
    states.set(acl.value.handle, step.state);
    const key = step.frame && publicKeyIn(step.frame.channelId, step.frame.payload);
    if (!key) return;
    const handle = acl.value.handle;
    clock.scheduleIn(0, () => {
      const own = ownPublicKey(transport);
      const verdict = own ? judgePeerPublicKey(key, own) : judgePeerPublicKey(key, { x: new Uint8Array(32), y: new Uint8Array(32) });
      if (verdict !== 'valid') refuse({ handle, verdict, reason: PEER_KEY_FAILURE });
    }, 'softdevice:peer-key');
  };
  transport.on('data', listener);
  return () => transport.off('data', listener);
}

function publicKeyIn(channelId: number, payload: Uint8Array): PublicKey | undefined {
  if (channelId !== LeChannel.SMP || payload[0] !== SmpCode.PAIRING_PUBLIC_KEY || payload.length !== 65) return undefined;
  return { x: payload.slice(1, 33), y: payload.slice(33, 65) };
}

/** The last Pairing Public Key our host wrote (ble-host keeps one key pair per module copy). */
function ownPublicKey(transport: HciTransport): PublicKey | undefined {
  let state: ReassemblyState = EMPTY_REASSEMBLY;
  let own: PublicKey | undefined;
  for (const record of transport.records) {
    if (record.direction !== 'sent' || record.packet[0] !== H4PacketType.ACL_DATA) continue;
    const acl = decodeAcl(record.packet.subarray(1));
    if (!acl.ok) continue;
    const step = reassemble(state, acl.value);
    state = step.state;
    const key = step.frame && publicKeyIn(step.frame.channelId, step.frame.payload);
    if (key) own = key;
  }
  return own;
}
