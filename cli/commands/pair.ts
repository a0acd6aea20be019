/**
 * `strap pair`: the companion phone pairs with a virtual strap (sim/phone's
 * runVirtualPairing: a board running the firmware bundle by default, or other
 * boot code, with its SoftDevice on a virtual air), printing each step as it happens.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLE_FILE, BUNDLE_PATH } from '../../firmware/build/outputs';
import type { PhoneEvent } from '../../sim/phone/phone-log';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes';
import { HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, existingFile, parseOptions } from '../options';
import { note, printJson, reportFailure } from '../output';

export const DEFAULT_PAIR_DIR = 'artifacts/pair';

const HELP = `Usage: strap pair [options]

Runs a virtual strap (${BUNDLE_FILE} on a virtual Puck.js-class board, its
SoftDevice on a virtual BLE air) and the companion phone beside it, and plays
tap-to-pair, printing each step as it happens: the strap's button held 2 s
(a long press opens its pairing window), the phone taps the strap's NFC tag
(its address and the passkey), scans, connects, pairs (LE Secure Connections
passkey entry, MITM, bonding), reconnects on the stored keys without pairing
again, reads the battery and the device information, and asks the wallet
control point its status.

Bonds are kept in <state>/strap and <state>/phone, the strap's flash (with the
firmware's own bond list) in <state>/strap/flash.bin (see \`strap bonds\`); each
device's HCI traffic is written as btsnoop (Wireshark, tshark) to
<traces>/strap.btsnoop and <traces>/phone.btsnoop.

Options:
      --firmware <file>    the strap's bundle (default ${BUNDLE_FILE}; build it with npm run build:firmware)
      --program <file>     JavaScript to run as the strap's boot code instead of a firmware bundle
                           (a stand-in strap, e.g. one that misbehaves)
      --state <dir>        bond folders (default ${DEFAULT_PAIR_DIR}/state)
      --traces <dir>       btsnoop files (default ${DEFAULT_PAIR_DIR}/traces)
      --seed <n|text>      seed of every random stream (default 1): same seed, same run
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

Examples:
  strap pair
  strap pair --program window.js --json | jq .events

${EXIT_CODES_HELP}`;

export const pairCommand: Command = {
  name: 'pair',
  summary: 'tap-to-pair the companion phone with a virtual strap, step by step',
  help: HELP,
  async run(argv) {
    const values = parseOptions('pair', argv, {
      firmware: { type: 'string' },
      program: { type: 'string' },
      state: { type: 'string' },
      traces: { type: 'string' },
      seed: { type: 'string', default: '1' },
      ...JSON_OPTION,
    });
    if (values.firmware !== undefined && values.program !== undefined) throw new UsageError('--firmware and --program exclude each other: the strap runs one of them');
    const bootPath = values.program !== undefined ? existingFile('--program', values.program) : values.firmware !== undefined ? existingFile('--firmware', values.firmware) : BUNDLE_PATH;
    if (!existsSync(bootPath)) throw new UsageError(`no firmware at ${BUNDLE_FILE}: build it (npm run build:firmware) or give --firmware / --program`);
    const stateDir = resolve(values.state ?? join(DEFAULT_PAIR_DIR, 'state'));
    const traceDir = resolve(values.traces ?? join(DEFAULT_PAIR_DIR, 'traces'));
    try {
      const { runVirtualPairing } = await import('../../sim/phone/virtual-pairing');
      const { formatPhoneEvent } = await import('../../sim/phone/phone-log');
      const result = await runVirtualPairing({
        bootCode: readFileSync(bootPath, 'latin1'),
        seed: /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed,
        stateDir,
        traceDir,
        onEvent: values.json ? undefined : (e: PhoneEvent) => process.stdout.write(formatPhoneEvent(e) + '\n'),
      });
      if (values.json) printJson(result);
      else {
        const bonds = (list: { peer: string; mitm: boolean }[]) => (list.length ? list.map((b) => `${b.peer}${b.mitm ? ' (MITM)' : ''}`).join(', ') : 'none');
        process.stdout.write(
          [
            result.ok ? `paired, bonded and reconnected; battery ${result.batteryPercent} %` : `stopped at ${result.error!.step}: ${result.error!.reason}`,
            ...(result.deviceInfo ? [`device: ${Object.entries(result.deviceInfo).map(([k, v]) => `${k} ${v}`).join(', ')}`] : []),
            ...(result.wallet ? [`wallet: window ${result.wallet.windowOpen ? 'open' : 'shut'}, ${result.wallet.bonds} bond(s) on the strap, battery ${result.wallet.batteryPercent} %`] : []),
            `bonds: phone → ${bonds(result.bonds.phone)}; strap → ${bonds(result.bonds.strap)}; strap firmware's list → ${result.bonds.strapFirmware.join(', ') || 'none'}  (strap bonds --state ${stateDir})`,
            `btsnoop: ${result.traces.strap}, ${result.traces.phone}`,
          ].join('\n') + '\n',
        );
      }
      if (!result.ok) note('pair', `${result.error!.step}: ${result.error!.reason}`);
      return result.ok ? ExitCode.ok : ExitCode.failed;
    } catch (error) {
      return reportFailure('pair', error, { json: values.json });
    }
  },
};
