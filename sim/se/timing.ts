/**
 * How long the SE takes, and what it draws, on the virtual clock.
 *
 * Figures in [brackets] are not published for the SE050 and are estimates,
 * each with the comparable source it leans on; the rest are cited.
 *
 * Timing (T=1 over I2C, NXP UM11225 rev 1.2):
 *   - the host polls for an answer by reading the SE's address every
 *     ESE_POLL_DELAY_MS = 1 ms; while the SE works it does not acknowledge
 *     its address (NXP's host middleware, plug-and-trust
 *     phNxpEse_Api.c phNxpEse_readPacket: 2-byte reads until the start of
 *     frame 'A5' comes, then LEN, then LEN + 2 bytes);
 *   - BWT, the block waiting time after which the SE must answer or send
 *     S(WTX request): [1000 ms] (ISO/IEC 7816-3 11.4.3 default BWT for
 *     BWI = 4 at 9600 bit/s is about 1.6 s; UM11225 2.2 carries the SE's BWT
 *     in its ATR, which we could not read);
 *   - power wake-up time DPWT after SE_EN rises: [2 ms] (UM11225 rev 1.1
 *     added "DPWT", value not read; ATSHA204A-class parts wake in 1.5-2.5 ms,
 *     Microchip DS40002025A Table 7-6 tWHI/tWLO).
 *
 * Processing (no per-command times are published for the SE050 / JCOP 4):
 *   - [1.5 ms] per APDU and [10 µs] per APDU byte (JCOP-class Java Card
 *     interpreters: SELECT answers in 1-3 ms in public EMV timing traces);
 *   - [2 ms] per non-volatile write (flash page program on secure
 *     microcontrollers: 1-3 ms);
 *   - [0.2 ms] per T=1 block handled without an APDU (R- and S-blocks, chained I-blocks);
 *   - an applet may add its own figure (AppletResponse.processingUs: the
 *     payment applet's cryptogram).
 *
 * Supply current: not here. The SE's currents per power state (off,
 * deep-power-down, idle, active) are stated once, with their brackets and
 * the search for the SE050's figures, in sim/power/current-catalogue.ts
 * (consumer 'se', [SE-EST]); `SecureElement.currentUa()` and the power
 * model both read them there.
 */
import { STRAP_CURRENTS, currentOf } from '../power/current-catalogue';

export interface SeTiming {
  apduBaseUs: number;
  apduPerByteUs: number;
  nvmWriteUs: number;
  blockUs: number;
  bwtMs: number;
  wakeUpMs: number;
  /** After this long without traffic the SE drops from idle to deep power-down [50 ms]. */
  idleToDeepPowerDownMs: number;
}

export const DEFAULT_TIMING: SeTiming = {
  apduBaseUs: 1500,
  apduPerByteUs: 10,
  nvmWriteUs: 2000,
  blockUs: 200,
  bwtMs: 1000,
  wakeUpMs: 2,
  idleToDeepPowerDownMs: 50,
};

export type SePowerState = 'off' | 'deep-power-down' | 'idle' | 'active';

/** What the SE draws in `state` (µA): the power model's catalogue, the one statement of the SE's currents. */
export function supplyCurrentUa(state: SePowerState): number {
  return currentOf(STRAP_CURRENTS, 'se', state);
}

/** The time one APDU takes: base, bytes in and out, non-volatile writes, and what the applet declares. */
export function apduProcessingUs(timing: SeTiming, commandBytes: number, responseBytes: number, nvmWrites: number, appletUs = 0): number {
  return timing.apduBaseUs + timing.apduPerByteUs * (commandBytes + responseBytes) + timing.nvmWriteUs * nvmWrites + appletUs;
}
