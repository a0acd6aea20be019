/**
 * Security Manager Protocol constants (Core v5.4 Vol 3 Part H 3.3–3.6): the
 * command codes, the Pairing Failed reasons, and the bits and values inside
 * Pairing Request/Response.
 */

/** SMP command codes (3.3 Table 3.2), with the section of each command. */
export const SmpCode = {
  /** 3.5.1 */
  PAIRING_REQUEST: 0x01,
  /** 3.5.2 */
  PAIRING_RESPONSE: 0x02,
  /** 3.5.3 */
  PAIRING_CONFIRM: 0x03,
  /** 3.5.4 */
  PAIRING_RANDOM: 0x04,
  /** 3.5.5 */
  PAIRING_FAILED: 0x05,
  /** 3.6.2: the LTK (legacy pairing). */
  ENCRYPTION_INFORMATION: 0x06,
  /** 3.6.3: EDIV and Rand of that LTK ("Master Identification" before v5.3). */
  CENTRAL_IDENTIFICATION: 0x07,
  /** 3.6.4: the IRK. */
  IDENTITY_INFORMATION: 0x08,
  /** 3.6.5 */
  IDENTITY_ADDRESS_INFORMATION: 0x09,
  /** 3.6.6: the CSRK. */
  SIGNING_INFORMATION: 0x0a,
  /** 3.6.7 */
  SECURITY_REQUEST: 0x0b,
  /** 3.5.6 */
  PAIRING_PUBLIC_KEY: 0x0c,
  /** 3.5.7 */
  PAIRING_DHKEY_CHECK: 0x0d,
  /** 3.5.8 */
  PAIRING_KEYPRESS_NOTIFICATION: 0x0e,
} as const;
export type SmpCodeName = keyof typeof SmpCode;

/** Pairing Failed reasons (3.5.5 Table 3.7). */
export const PairingFailedReason = {
  /** The user input of passkey failed (e.g. cancelled). */
  PASSKEY_ENTRY_FAILED: 0x01,
  /** The OOB data is not available. */
  OOB_NOT_AVAILABLE: 0x02,
  /** The pairing procedure cannot be performed as the authentication requirements cannot be met by both devices. */
  AUTHENTICATION_REQUIREMENTS: 0x03,
  /** The confirm value does not match the calculated compare value. */
  CONFIRM_VALUE_FAILED: 0x04,
  /** Pairing is not supported by the device. */
  PAIRING_NOT_SUPPORTED: 0x05,
  /** The resultant encryption key size is not long enough for the security requirements of this device. */
  ENCRYPTION_KEY_SIZE: 0x06,
  /** The SMP command received is not supported on this device. */
  COMMAND_NOT_SUPPORTED: 0x07,
  /** Pairing failed due to an unspecified reason. */
  UNSPECIFIED_REASON: 0x08,
  /** Pairing or authentication procedure disallowed because too little time has elapsed since the last attempt. */
  REPEATED_ATTEMPTS: 0x09,
  /** The command length is invalid or a parameter is outside of the specified range. */
  INVALID_PARAMETERS: 0x0a,
  /** The DHKey Check value received does not match the one calculated by the local device. */
  DHKEY_CHECK_FAILED: 0x0b,
  /** The confirm values in the numeric comparison protocol do not match. */
  NUMERIC_COMPARISON_FAILED: 0x0c,
  /** Pairing over the LE transport failed due to a pairing request sent over BR/EDR in progress. */
  BR_EDR_PAIRING_IN_PROGRESS: 0x0d,
  /** The BR/EDR link key or LE LTK cannot be used to derive the other transport's keys. */
  CROSS_TRANSPORT_KEY_DERIVATION_NOT_ALLOWED: 0x0e,
  /** The device chose not to accept a distributed key. */
  KEY_REJECTED: 0x0f,
} as const;
export type PairingFailedReasonName = keyof typeof PairingFailedReason;

/** IO Capability (3.5.1 Table 3.4); 0x05–0xFF reserved. */
export const IoCapability = {
  DISPLAY_ONLY: 0x00,
  DISPLAY_YES_NO: 0x01,
  KEYBOARD_ONLY: 0x02,
  NO_INPUT_NO_OUTPUT: 0x03,
  KEYBOARD_DISPLAY: 0x04,
} as const;
export type IoCapability = (typeof IoCapability)[keyof typeof IoCapability];

/** OOB data flag (3.5.1 Table 3.5); 0x02–0xFF reserved. */
export const OobDataFlag = {
  NOT_PRESENT: 0x00,
  PRESENT: 0x01,
} as const;

/** AuthReq bits (3.5.1 Figure 3.3): Bonding_Flags (2 bits: 0b00 no bonding, 0b01 bonding), MITM, SC, Keypress, CT2; bits 6–7 RFU. */
export const AuthReq = {
  BONDING_FLAGS_MASK: 0x03,
  BONDING: 0x01,
  MITM: 0x04,
  SC: 0x08,
  KEYPRESS: 0x10,
  CT2: 0x20,
} as const;

/** Initiator/Responder Key Distribution bits (3.6.1 Figure 3.11); bits 4–7 RFU. */
export const KeyDistribution = {
  ENC_KEY: 0x01,
  ID_KEY: 0x02,
  SIGN_KEY: 0x04,
  LINK_KEY: 0x08,
} as const;

/** Notification Type of Keypress Notification (3.5.8 Table 3.8); 0x05–0xFF reserved. */
export const KeypressNotificationType = {
  PASSKEY_ENTRY_STARTED: 0x00,
  PASSKEY_DIGIT_ENTERED: 0x01,
  PASSKEY_DIGIT_ERASED: 0x02,
  PASSKEY_CLEARED: 0x03,
  PASSKEY_ENTRY_COMPLETED: 0x04,
} as const;

/** The range of Maximum Encryption Key Size the specification allows (2.3.4, 3.5.1). */
export const MIN_ENCRYPTION_KEY_SIZE = 7;
export const MAX_ENCRYPTION_KEY_SIZE = 16;

/** SMP's MTU on LE (3.2: SMP_MTU 65, for the Pairing Public Key). */
export const SMP_LE_SC_MTU = 65;

export interface AuthReqFlags {
  /** Bonding_Flags: 0b01 bonding; 0b00 none; 0b10/0b11 reserved (kept as received). */
  bondingFlags: number;
  mitm: boolean;
  secureConnections: boolean;
  keypress: boolean;
  ct2: boolean;
}

export function authReqFlags(authReq: number): AuthReqFlags {
  return {
    bondingFlags: authReq & AuthReq.BONDING_FLAGS_MASK,
    mitm: (authReq & AuthReq.MITM) !== 0,
    secureConnections: (authReq & AuthReq.SC) !== 0,
    keypress: (authReq & AuthReq.KEYPRESS) !== 0,
    ct2: (authReq & AuthReq.CT2) !== 0,
  };
}

export function authReqByte(flags: AuthReqFlags): number {
  return (
    (flags.bondingFlags & AuthReq.BONDING_FLAGS_MASK) |
    (flags.mitm ? AuthReq.MITM : 0) |
    (flags.secureConnections ? AuthReq.SC : 0) |
    (flags.keypress ? AuthReq.KEYPRESS : 0) |
    (flags.ct2 ? AuthReq.CT2 : 0)
  );
}

export function pairingFailedReasonName(reason: number): PairingFailedReasonName | undefined {
  return (Object.keys(PairingFailedReason) as PairingFailedReasonName[]).find((k) => PairingFailedReason[k] === reason);
}
