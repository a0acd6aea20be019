/**
 * A phone step as the `ble-central` instrument reports it (both the virtual
 * rigs' phone and the bench's): a PhoneError becomes `{ok: false, step,
 * reason, code?}`, and the rig's transcript notes each outcome.
 */
import { PhoneError } from '../../sim/phone/phone-log';
import type { BleOutcome } from '../rig/rig';

export async function phoneOutcome(body: () => Promise<void>): Promise<BleOutcome> {
  try {
    await body();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof PhoneError)) throw error;
    return { ok: false, step: error.step, reason: error.reason, ...(error.code === undefined ? {} : { code: error.code }) };
  }
}

/** Notes `o` in the transcript and returns it. */
export function notedOutcome(note: (text: string) => void, what: string, o: BleOutcome): BleOutcome {
  note(o.ok ? `phone ${what}: ok` : `phone ${what}: failed at ${o.step}: ${o.reason}`);
  return o;
}
