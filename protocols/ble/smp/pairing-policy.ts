/**
 * Two different questions about a peer's Pairing Request or Response:
 *
 * - Is it well-formed? The specification answers (Core v5.4 Vol 3 Part H
 *   3.5.1, 2.3.4): a Maximum Encryption Key Size outside 7–16, a reserved IO
 *   capability or OOB flag make it malformed → Invalid Parameters (0x0A).
 *   `invalidFeatures` in pdu.ts.
 * - Does this device accept it? The device's policy answers, with the
 *   reason the specification gives for each refusal: a key shorter than the
 *   device's minimum → Encryption Key Size (0x06) (2.3.4: "If the resultant
 *   encryption key size is smaller than the minimum key size parameter ...");
 *   legacy pairing when Secure Connections is required, or an outcome
 *   without MITM protection when it is required → Authentication
 *   Requirements (0x03).
 *
 * A Pairing Request with maximum key size 7 is well-formed; a strap whose
 * policy is "16 only" still refuses it with 0x06. One with 6 is malformed (0x0A).
 */
import { AuthReq, MAX_ENCRYPTION_KEY_SIZE, PairingFailedReason } from './constants';
import type { PairingOutcome } from './association';
import { invalidFeatures } from './pdu';
import type { PairingFeatures } from './pdu';

export interface PairingPolicy {
  /** Shortest key accepted, 7–16 (a payment device: 16). */
  minEncryptionKeySize: number;
  /** Refuse LE legacy pairing. */
  requireSecureConnections: boolean;
  /** Refuse an outcome without MITM protection (Just Works). */
  requireMitm: boolean;
}

export const STRICT_POLICY: PairingPolicy = { minEncryptionKeySize: MAX_ENCRYPTION_KEY_SIZE, requireSecureConnections: true, requireMitm: true };

export type PolicyVerdict = { accept: true } | { accept: false; reason: number; why: string };

/** The peer's Pairing Request/Response features against the specification, then against the policy. */
export function judgePairingFeatures(peer: PairingFeatures, policy: PairingPolicy): PolicyVerdict {
  const invalid = invalidFeatures(peer);
  if (invalid) return refuse(PairingFailedReason.INVALID_PARAMETERS, `malformed: ${invalid.message}`);
  if (peer.maxEncryptionKeySize < policy.minEncryptionKeySize) {
    return refuse(PairingFailedReason.ENCRYPTION_KEY_SIZE, `key size ${peer.maxEncryptionKeySize} is below this device's minimum ${policy.minEncryptionKeySize}`);
  }
  if (policy.requireSecureConnections && (peer.authReq & AuthReq.SC) === 0) {
    return refuse(PairingFailedReason.AUTHENTICATION_REQUIREMENTS, 'the peer does not support LE Secure Connections');
  }
  return { accept: true };
}

/** The association outcome (association.ts) against the policy. */
export function judgePairingOutcome(outcome: PairingOutcome, policy: PairingPolicy): PolicyVerdict {
  if (policy.requireSecureConnections && !outcome.secureConnections) return refuse(PairingFailedReason.AUTHENTICATION_REQUIREMENTS, 'LE legacy pairing refused');
  if (policy.requireMitm && !outcome.authenticated) return refuse(PairingFailedReason.AUTHENTICATION_REQUIREMENTS, `${outcome.association.model} gives no MITM protection`);
  return { accept: true };
}

function refuse(reason: number, why: string): PolicyVerdict {
  return { accept: false, reason, why };
}
