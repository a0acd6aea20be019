/**
 * The authorization request and response between a terminal (through its
 * acquirer) and the issuer host, reduced to what an EMV online authorization
 * carries: the token's PAN and sequence number, and the chip data in BER-TLV
 * as ISO 8583 field 55 carries it (EMV Book 4 6.5: '9F26', '9F27', '9F10',
 * '9F37', '9F36', '95', '9A', '9C', '9F02', '5F2A', '82', '9F1A', '9F03',
 * with '9F66' and '9F6C' for a contactless tap).
 *
 * Response codes are ISO 8583:1987 field 39 values: '00' approved, '05' do
 * not honour, '14' invalid card number, '51' insufficient funds, '61' exceeds
 * amount limit. The issuer answers with the ARC and, whenever it could check
 * the cryptogram, the ARPC ('91' Issuer Authentication Data = ARPC || ARC,
 * ARPC Method 1, EMV Book 2 8.2.1).
 */

export interface AuthorizationRequest {
  pan: string;
  psn: string;
  /** Chip data, BER-TLV (field 55). */
  iccData: Uint8Array;
}

export type DeclineReason =
  | 'unknown-token'
  | 'malformed-request'
  | 'unsupported-cryptogram-version'
  | 'not-an-arqc'
  | 'bad-cryptogram'
  | 'replayed-cryptogram'
  | 'token-suspended'
  | 'currency-not-accepted'
  | 'over-limit'
  | 'insufficient-funds';

export interface AuthorizationResponse {
  approved: boolean;
  /** ISO 8583 response code, also the EMV Authorisation Response Code ('8A'). */
  arc: string;
  reason?: DeclineReason;
  /** 8 bytes, present when the cryptogram was verified. */
  arpc?: Uint8Array;
  /** '91' value: ARPC || ARC. */
  issuerAuthenticationData?: Uint8Array;
}

/** What the terminal holds of an issuer: one request out, one answer back. */
export interface AuthorizationHost {
  authorize(request: AuthorizationRequest): AuthorizationResponse;
}
