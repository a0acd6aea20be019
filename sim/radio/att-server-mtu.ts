/**
 * The ATT MTU a device's GATT server answers with. ble-host 1.0.3 answers
 * every Exchange MTU Request with a Server Rx MTU of 517 (lib/internal/gatt.js,
 * `serverRxMTU = 517`, not configurable); a SoftDevice answers with the MTU
 * it was configured for. This sits between the controller and the device's
 * ble-host copy and makes the server's answer `serverMtu`:
 *
 * - a request coming in reaches ble-host with the Client Rx MTU lowered to at
 *   most `serverMtu`, so ble-host takes min(client, serverMtu) as the link's
 *   ATT_MTU, as the client does (Core v5.4 Vol 3 Part F 3.4.2.2);
 * - the response ble-host writes goes out with Server Rx MTU `serverMtu`.
 *
 * What the air carries is the peers' real PDUs (the client's own MTU, the
 * server's configured one). Both PDUs are 3 octets, always in the first (and
 * only) fragment of an ACL packet.
 */
const H4_ACL = 0x02;
/** L2CAP's fixed ATT channel (Vol 3 Part A 2.1). */
const ATT_CID = 0x0004;
const EXCHANGE_MTU_REQUEST = 0x02;
const EXCHANGE_MTU_RESPONSE = 0x03;
/** H4 type 1, handle/flags 2, ACL length 2, L2CAP length 2, CID 2 (Vol 4 Part E 5.4.2, Vol 3 Part A 3.1). */
const ATT_AT = 9;

export interface AttMtuFilter {
  /** An H4 packet from the controller, as the host is to see it. */
  toHost(packet: Buffer): Buffer;
  /** An H4 packet from the host, as the controller is to send it. */
  toController(packet: Uint8Array): Uint8Array;
}

export function attServerMtu(serverMtu: number): AttMtuFilter {
  if (!Number.isInteger(serverMtu) || serverMtu < 23 || serverMtu > 0xffff) throw new Error(`ATT MTU ${serverMtu}: 23–65535`);
  return {
    toHost(packet) {
      if (!isExchangeMtu(packet, EXCHANGE_MTU_REQUEST)) return packet;
      const clientMtu = packet[ATT_AT + 1]! | (packet[ATT_AT + 2]! << 8);
      if (clientMtu <= serverMtu) return packet;
      const copy = Buffer.from(packet); // other listeners share the original
      copy.writeUInt16LE(serverMtu, ATT_AT + 1);
      return copy;
    },
    toController(packet) {
      if (!isExchangeMtu(packet, EXCHANGE_MTU_RESPONSE)) return packet;
      const copy = Uint8Array.from(packet);
      copy[ATT_AT + 1] = serverMtu & 0xff;
      copy[ATT_AT + 2] = serverMtu >> 8;
      return copy;
    },
  };
}

function isExchangeMtu(packet: Uint8Array, opcode: number): boolean {
  if (packet.length !== ATT_AT + 3 || packet[0] !== H4_ACL) return false;
  const continuing = ((packet[2]! >> 4) & 0x3) === 0x1;
  const l2capLength = packet[5]! | (packet[6]! << 8);
  const cid = packet[7]! | (packet[8]! << 8);
  return !continuing && l2capLength === 3 && cid === ATT_CID && packet[ATT_AT] === opcode;
}
