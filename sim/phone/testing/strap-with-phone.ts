/**
 * A strap (a board running `program`, its SoftDevice on an air) and the
 * companion phone (its own ble-host copy as central, through the Phone API),
 * with bond folders in a fresh temporary directory.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBoard } from '../../board/board-test-kit';
import type { TestBoard } from '../../board/board-test-kit';
import { Air } from '../../radio/air';
import { createRadioDevice } from '../../radio/radio-device';
import type { RadioDevice } from '../../radio/radio-device';
import { runUntil } from '../../radio/run-until';
import { SoftDevice } from '../../softdevice/softdevice';
import { Phone } from '../phone';
import { virtualPhoneDriver } from '../phone-driver';
import type { BleManager } from '../../radio/ble-host-api';

export const STRAP_ADDRESS = 'C0:11:22:33:44:01';
export const PHONE_ADDRESS = 'C0:11:22:33:44:02';

export interface StrapWithPhone {
  t: TestBoard;
  air: Air;
  softDevice: SoftDevice;
  phoneDevice: RadioDevice;
  phone: Phone;
  root: string;
}

export function strapWithPhone(program: string, seed = 1): StrapWithPhone {
  const t = startBoard({ busyLoopLimitMs: 5000 });
  const air = new Air({ clock: t.clock, seed, lossRate: 0 });
  const root = mkdtempSync(join(tmpdir(), 'phone-'));
  const softDevice = new SoftDevice({ air, board: t.board, name: 'strap', address: STRAP_ADDRESS, bondDir: join(root, 'strap') });
  const phoneDevice = createRadioDevice({ air, name: 'phone', address: PHONE_ADDRESS, bondDir: join(root, 'phone') });
  let manager: BleManager | undefined;
  phoneDevice.startHost((err, m) => {
    if (err) throw err;
    manager = m;
  });
  if (!runUntil(t.clock, () => softDevice.ready && manager !== undefined, 60_000)) throw new Error('hosts did not start');
  t.value(program);
  const phone = new Phone({ manager: manager!, driver: virtualPhoneDriver(t.clock) });
  return { t, air, softDevice, phoneDevice, phone, root };
}
