/** PDUs on the virtual air as its tap sees them (air.ts). */
export type AdvertisingPduType = 'ADV_IND' | 'ADV_DIRECT_IND' | 'ADV_NONCONN_IND' | 'ADV_SCAN_IND' | 'SCAN_REQ' | 'SCAN_RSP' | 'CONNECT_IND';

/** A PDU on the air as the tap sees it. `data` / `payload` may be replaced by the tap. */
export type AirPdu =
  | { kind: 'advertising'; timeMs: number; from: string; to?: string; channel: number; pduType: AdvertisingPduType; data: Uint8Array }
  | { kind: 'data'; timeMs: number; from: string; to: string; linkId: number; llid: number; payload: Uint8Array; encrypted: boolean };

/** Return a changed PDU, 'drop' to lose it, or nothing to let it pass. */
export type AirTap = (pdu: AirPdu) => AirPdu | 'drop' | void;

