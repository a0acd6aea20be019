/**
 * The controller's power states, named as the power model's current
 * catalogue names them (sim/power/current-catalogue.ts, consumer 'nfcc',
 * where each figure and its source or bracket is written):
 *
 *  - hpd        VEN low: hard power-down.
 *  - standby    VEN high, standby enabled (NXP CORE_SET_POWER_MODE, on by default,
 *               UM10936 rev 2.06 9.6.1), no field: idle, or in discovery with the
 *               RF level detector armed between listen phases (9.6.2: a field wakes it).
 *  - active     VEN high with standby disabled by the DH (CORE_SET_POWER_MODE 00):
 *               the core stays awake.
 *  - ce-active  listening (RF discovery with Listen A) with a reader's field present:
 *               receiver, demodulator and core running, load modulation.
 */
import { STRAP_CURRENTS, currentOf } from '../power/current-catalogue';
import type { CurrentCatalogue } from '../power/current-catalogue';
import type { PowerModel } from '../power/power-model';
import type { RfState } from './nfcc-state';

export type NfccPowerState = 'hpd' | 'standby' | 'active' | 'ce-active';

export interface PowerInputs {
  ven: boolean;
  rf: RfState;
  listenA: boolean;
  standbyEnabled: boolean;
  antenna: { readonly fieldPresent: boolean };
}

export function nfccPowerState(c: PowerInputs): NfccPowerState {
  if (!c.ven) return 'hpd';
  const listening = c.rf === 'RFST_LISTEN_ACTIVE' || (c.rf === 'RFST_DISCOVERY' && c.listenA);
  if (listening && c.antenna.fieldPresent) return 'ce-active';
  return c.standbyEnabled ? 'standby' : 'active';
}

/** The current the controller draws in `state`, from the catalogue (µA). */
export function nfccCurrentUa(state: NfccPowerState, catalogue: CurrentCatalogue = STRAP_CURRENTS): number {
  return currentOf(catalogue, 'nfcc', state);
}

/** Keeps the power model's 'nfcc' consumer in the controller's state. Returns the unsubscribe. */
export function drivePowerModel(nfcc: { powerState(): NfccPowerState; onPowerState(l: (s: NfccPowerState) => void): () => void }, power: PowerModel): () => void {
  power.setState('nfcc', nfcc.powerState());
  return nfcc.onPowerState((state) => power.setState('nfcc', state));
}
