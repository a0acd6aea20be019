/**
 * The nRF52's NFCT peripheral as Espruino uses it: a Type 2 tag (the only
 * kind Espruino's NRF.nfcURL / nfcRaw present) whose memory the board sets
 * and a reader in the field reads. Readers live outside the board and call
 * `transceive` with one command frame at a time (the air interface's timing,
 * anticollision and CRC are not modelled).
 */
import { type2TagAnswer } from '../../../protocols/nfc/type2-tag';

export class NfcTag {
  private memory: Uint8Array | undefined;

  /** Tag memory to present, or undefined to switch the tag off (NRF.nfcStop). */
  present(memory: Uint8Array | undefined): void {
    this.memory = memory?.slice();
  }

  get active(): boolean {
    return this.memory !== undefined;
  }

  /** A reader's command; undefined when no tag answers (NFC off). */
  transceive(command: Uint8Array): Uint8Array | undefined {
    return this.memory ? type2TagAnswer(this.memory, command) : undefined;
  }
}
