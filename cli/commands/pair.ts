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
import { parseHciSpec } from '../../host-bridge/transports/ble/hci-spec';
import { parsePort } from '../../host-bridge/transports/index';
import { DEFAULT_BONDS_DIR, DEFAULT_TIMEOUT_MS, HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, boardTarget, existingFile, parseOptions, positiveNumber } from '../options';
import { note, printJson, reportFailure } from '../output';

export const DEFAULT_PAIR_DIR = 'artifacts/pair';

const HELP = `Usage: strap pair [options]
       strap pair --hci <ctl> --address <addr> (--passkey <digits> | --console <port>) [options]

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

With --hci, the strap is a real one (or one in another process): the phone
is this host, on the Bluetooth controller --hci names (as strap status
--port ble:… takes it), and pairs with the strap at --address, keeping the
bond in --bonds, where strap status/console/flash --port ble:ADDRESS look for
it. The passkey is the one the strap's NFC tag shows while its pairing window
is open: after a long press, read the tag with any phone's NFC app and give
it as --passkey; or give the strap's wired console as --console and strap
pair opens the window itself (the console RPC ble.pair answers the passkey:
the wired console is physical access to the strap, as the tap is). Then it
reconnects on the new bond and reads the battery.

Options:
      --hci <ctl>          a strap outside this process, through this Bluetooth controller: tcp:HOST:PORT
                           (H4 over TCP, e.g. strap sim --hci-port), hci0 (Linux HCI user channel), or an
                           H4 UART's path (/dev/ttyACM1[@1000000])
      --address <addr>     with --hci: the strap's address, AA:BB:CC:DD:EE:FF (on its NFC tag; strap sim prints it)
      --passkey <digits>   with --hci: the six digits on the strap's NFC tag (its window open: a long press)
      --console <port>     with --hci: the strap's wired console (a serial device, tcp://HOST:PORT): opens the
                           window over it (ble.pair) and takes the passkey it answers
      --baud <n>           with --console: its baud rate (default 9600)
      --timeout <ms>       with --console: how long to wait for its answers (default ${DEFAULT_TIMEOUT_MS})
      --bonds <dir>        with --hci: where the phone's bond goes (default ${DEFAULT_BONDS_DIR})
      --scan <s>           with --hci: how long to look for the strap (default 10)
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
  strap pair --hci hci0 --address C0:11:22:33:44:01 --passkey 123456
  strap pair --hci /dev/ttyACM1 --address C0:11:22:33:44:01 --console /dev/ttyACM0
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
      hci: { type: 'string' },
      address: { type: 'string' },
      passkey: { type: 'string' },
      console: { type: 'string' },
      baud: { type: 'string' },
      timeout: { type: 'string' },
      bonds: { type: 'string' },
      scan: { type: 'string' },
      ...JSON_OPTION,
    });
    if (values.hci !== undefined) return pairOutside(values);
    const outsideOnly = (['address', 'passkey', 'console', 'baud', 'timeout', 'bonds', 'scan'] as const).find((o) => values[o] !== undefined);
    if (outsideOnly) throw new UsageError(`--${outsideOnly} goes with --hci (a strap outside this process)`);
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

interface OutsideValues {
  hci?: string;
  address?: string;
  passkey?: string;
  console?: string;
  baud?: string;
  timeout?: string;
  bonds?: string;
  scan?: string;
  firmware?: string;
  program?: string;
  state?: string;
  traces?: string;
  json?: boolean;
}

/** `strap pair --hci`: this host is the phone, the strap is outside the process (cli/pair-over-hci.ts). */
async function pairOutside(values: OutsideValues): Promise<ExitCode> {
  const hci = values.hci!;
  const simOnly = (['firmware', 'program', 'state', 'traces'] as const).find((o) => values[o] !== undefined);
  if (simOnly) throw new UsageError(`--${simOnly} is for the virtual strap strap pair runs itself, not with --hci`);
  try {
    parseHciSpec(hci);
  } catch (error) {
    throw new UsageError(`--hci: ${(error as Error).message}`);
  }
  if (values.address === undefined) throw new UsageError("--hci needs --address: the strap's address, AA:BB:CC:DD:EE:FF (on its NFC tag)");
  if (!/^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/.test(values.address)) throw new UsageError(`--address must be AA:BB:CC:DD:EE:FF, got ${JSON.stringify(values.address)}`);
  if ((values.passkey === undefined) === (values.console === undefined)) {
    throw new UsageError("--hci needs one of --passkey (the six digits on the strap's NFC tag) or --console (its wired console, which opens the window and answers the passkey)");
  }
  if (values.passkey !== undefined && !/^\d{6}$/.test(values.passkey)) throw new UsageError(`--passkey is six digits, got ${JSON.stringify(values.passkey)}`);
  if (values.console === undefined && (values.baud !== undefined || values.timeout !== undefined)) throw new UsageError('--baud and --timeout go with --console');
  if (values.console !== undefined && parsePort(values.console).kind === 'ble') {
    throw new UsageError("--console is the strap's wired console (a serial device or tcp://): the window is opened by physical access");
  }
  const consoleTarget = values.console === undefined ? undefined : boardTarget({ port: values.console, baud: values.baud, timeout: values.timeout });
  const bondDir = resolve(values.bonds ?? DEFAULT_BONDS_DIR);
  const scanLimitMs = values.scan === undefined ? undefined : positiveNumber('--scan', values.scan) * 1000;
  const address = values.address.toUpperCase();
  try {
    const { pairOverHci } = await import('../pair-over-hci');
    const { formatPhoneEvent } = await import('../../sim/phone/phone-log');
    const result = await pairOverHci({
      hci,
      bondDir,
      address,
      passkey: consoleTarget ? { console: consoleTarget } : { typed: values.passkey! },
      ...(scanLimitMs === undefined ? {} : { scanLimitMs }),
      onEvent: values.json ? undefined : (e: PhoneEvent) => process.stdout.write(formatPhoneEvent(e) + '\n'),
    });
    if (values.json) printJson(result);
    else {
      const bonds = result.bonds.length ? result.bonds.map((b) => `${b.peer}${b.mitm ? ' (MITM)' : ''}`).join(', ') : 'none';
      process.stdout.write(
        [
          result.ok ? `paired, bonded and reconnected; battery ${result.batteryPercent} %` : `stopped at ${result.error!.step}: ${result.error!.reason}`,
          `bonds in ${bondDir}: ${bonds}`,
          ...(result.ok ? [`its console: strap console --port ble:${address} --hci ${hci} --bonds ${bondDir}`] : []),
        ].join('\n') + '\n',
      );
    }
    if (result.ok) return ExitCode.ok;
    note('pair', `${result.error!.step}: ${result.error!.reason}`);
    // the strap never seen or never answering: as a board that cannot be reached
    return result.error!.step === 'scan' || result.error!.step === 'connect' ? ExitCode.unreachable : ExitCode.failed;
  } catch (error) {
    return reportFailure('pair', error, { json: values.json });
  }
}
