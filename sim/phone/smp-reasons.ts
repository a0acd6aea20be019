/**
 * Pairing Failed reason codes (Core v5.4 Vol 3 Part H 3.5.5) and the HCI
 * status codes a reconnect meets (Vol 1 Part F 2), said for a person.
 */
const SMP: Record<number, string> = {
  0x01: 'passkey entry failed',
  0x02: 'OOB not available',
  0x03: 'authentication requirements not met (the strap refuses this pairing method)',
  0x04: 'wrong passkey (confirm value failed)',
  0x05: 'pairing not supported (is the strap\'s pairing window open?)',
  0x06: 'encryption key size too short',
  0x07: 'command not supported',
  0x08: 'unspecified reason (refused)',
  0x09: 'repeated attempts: the strap is backing off, try again later',
  0x0a: 'invalid parameters',
  0x0b: 'DHKey check failed',
  0x0c: 'numeric comparison failed',
};

const HCI: Record<number, string> = {
  0x05: 'authentication failure',
  0x06: 'PIN or key missing: the strap has forgotten this phone (pair again)',
  0x08: 'connection timeout (the strap went out of range or off)',
  0x13: 'the strap closed the connection',
  0x16: 'the phone closed the connection',
  0x3d: 'MIC failure: the strap\'s keys differ from ours (pair again)',
  0x3e: 'connection failed to be established',
};

export function pairingFailureText(reason: number): string {
  return `${SMP[reason] ?? 'unknown reason'} (SMP 0x${hex(reason)})`;
}

export function hciStatusText(status: number): string {
  return `${HCI[status] ?? 'error'} (HCI 0x${hex(status)})`;
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
