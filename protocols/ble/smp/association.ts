/**
 * The association model of an LE pairing (Core v5.4 Vol 3 Part H 2.3.5.1):
 * from both devices' Pairing Request/Response features, which key
 * generation method they use and whether the result is authenticated.
 *
 * 1. LE Secure Connections when both set the SC bit, else LE legacy pairing.
 * 2. OOB and MITM flags (Table 2.6 legacy, Table 2.7 Secure Connections):
 *    legacy uses OOB when both have OOB data, SC when either has; otherwise,
 *    when neither requests MITM, Just Works.
 * 3. Otherwise the IO capabilities decide (Table 2.8, below).
 *
 * Only Just Works is unauthenticated ("no MITM protection"): a pairing
 * whose outcome is Just Works must not yield keys marked MITM-protected,
 * whatever the peers asked for (ble-host 1.0.3 gets this wrong; the strap's
 * policy relies on `authenticated`). OOB counts as authenticated, as the
 * specification assumes an OOB channel safe from eavesdropping.
 */
import { AuthReq, IoCapability } from './constants';

export type AssociationModel =
  | { model: 'just-works' }
  | { model: 'numeric-comparison' }
  | { model: 'out-of-band' }
  /** Who shows the 6-digit passkey and who types it ('both' type the same one when both are keyboard-only). */
  | { model: 'passkey-entry'; displays: 'initiator' | 'responder' | 'neither'; inputs: 'initiator' | 'responder' | 'both' };

export interface PairingOutcome {
  secureConnections: boolean;
  association: AssociationModel;
  /** MITM protection obtained: false only for Just Works. */
  authenticated: boolean;
  /** Either device set the MITM bit. A device that requires MITM fails an unauthenticated outcome with Authentication Requirements (0x03). */
  mitmRequested: boolean;
}

/** The fields of Pairing Request/Response the decision reads. */
export interface AssociationInput {
  ioCapability: number;
  oobDataFlag: number;
  authReq: number;
}

/** The association of a pairing between `initiator` (Pairing Request) and `responder` (Pairing Response). Throws RangeError on a reserved IO capability (decodeSmp refuses those). */
export function associationModel(initiator: AssociationInput, responder: AssociationInput): PairingOutcome {
  const secureConnections = (initiator.authReq & responder.authReq & AuthReq.SC) !== 0;
  const mitmRequested = ((initiator.authReq | responder.authReq) & AuthReq.MITM) !== 0;
  const initiatorOob = initiator.oobDataFlag === 1;
  const responderOob = responder.oobDataFlag === 1;
  const oob = secureConnections ? initiatorOob || responderOob : initiatorOob && responderOob;
  let association: AssociationModel;
  if (oob) association = { model: 'out-of-band' };
  else if (!mitmRequested) association = { model: 'just-works' };
  else association = fromIoCapabilities(initiator.ioCapability, responder.ioCapability, secureConnections);
  return { secureConnections, association, authenticated: association.model !== 'just-works', mitmRequested };
}

/**
 * Table 2.8, rows: responder's IO capability, columns: initiator's (DisplayOnly,
 * DisplayYesNo, KeyboardOnly, NoInputNoOutput, KeyboardDisplay). JW Just Works;
 * RD responder displays, initiator inputs; ID initiator displays, responder
 * inputs; BI both input; X/NC: X in legacy pairing, Numeric Comparison in SC.
 */
const TABLE_2_8 = [
  /* DisplayOnly     */ ['JW', 'JW', 'RD', 'JW', 'RD'],
  /* DisplayYesNo    */ ['JW', 'JW/NC', 'RD', 'JW', 'RD/NC'],
  /* KeyboardOnly    */ ['ID', 'ID', 'BI', 'JW', 'ID'],
  /* NoInputNoOutput */ ['JW', 'JW', 'JW', 'JW', 'JW'],
  /* KeyboardDisplay */ ['ID', 'ID/NC', 'RD', 'JW', 'ID/NC'],
] as const;

function fromIoCapabilities(initiator: number, responder: number, secureConnections: boolean): AssociationModel {
  const cell = TABLE_2_8[checked(responder, 'responder')]?.[checked(initiator, 'initiator')] ?? 'JW';
  const [legacy, sc] = cell.split('/') as [string, string | undefined];
  const method = secureConnections && sc ? sc : legacy;
  switch (method) {
    case 'NC':
      return { model: 'numeric-comparison' };
    case 'RD':
      return { model: 'passkey-entry', displays: 'responder', inputs: 'initiator' };
    case 'ID':
      return { model: 'passkey-entry', displays: 'initiator', inputs: 'responder' };
    case 'BI':
      return { model: 'passkey-entry', displays: 'neither', inputs: 'both' };
    default:
      return { model: 'just-works' };
  }
}

function checked(io: number, who: string): number {
  if (!Number.isInteger(io) || io < 0 || io > IoCapability.KEYBOARD_DISPLAY) throw new RangeError(`${who} IO capability 0x${io.toString(16)} is reserved`);
  return io;
}
