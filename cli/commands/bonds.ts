/**
 * `strap bonds`: the bonds `strap pair` left: the phone's and the strap's SoftDevice's (ble-host's stores
 * under --state), and the strap firmware's own list (Storage `ble.bonds` / `ble.bonds2` in the kept flash image).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BUNDLE_FILE, BUNDLE_PATH } from '../../firmware/build/outputs';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode, UsageError } from '../exit-codes';
import { HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, parseOptions } from '../options';
import { note, printJson } from '../output';
import { DEFAULT_PAIR_DIR } from './pair';

const HELP = `Usage: strap bonds [--state <dir>] [--forget] [--json]

Lists the bonds of the virtual strap and the companion phone that \`strap
pair\` keeps: for each, the peer's address and whether the bond came from an
authenticated (MITM) LE Secure Connections pairing; then the strap firmware's
own bond list (what it counts against its limit of 4, read from the strap's
flash kept in <state>/strap/flash.bin).

With --forget the virtual strap boots from that state (${BUNDLE_FILE}) and is
asked ble.forget over its console: it erases every bond, its list and its
SoftDevice's (one phone cannot be forgotten alone). The phone keeps its half
and hears at its next reconnect that the strap has forgotten it.

Options:
      --state <dir>        the bond folders (default ${DEFAULT_PAIR_DIR}/state, as strap pair)
      --forget             the strap forgets every bond (ble.forget), then the lists are printed
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

${EXIT_CODES_HELP}`;

export const bondsCommand: Command = {
  name: 'bonds',
  summary: "the phone's and the virtual strap's bonds left by strap pair; --forget",
  help: HELP,
  async run(argv) {
    const values = parseOptions('bonds', argv, { state: { type: 'string' }, forget: { type: 'boolean' }, ...JSON_OPTION });
    const stateDir = resolve(values.state ?? join(DEFAULT_PAIR_DIR, 'state'));
    let forgotten: number | undefined;
    if (values.forget) {
      if (!existsSync(BUNDLE_PATH)) throw new UsageError(`no firmware at ${BUNDLE_FILE}: build it (npm run build:firmware)`);
      const { forgetOnVirtualStrap } = await import('../../sim/phone/virtual-forget');
      const outcome = forgetOnVirtualStrap({ bootCode: readFileSync(BUNDLE_PATH, 'latin1'), seed: 1, stateDir });
      if (!outcome.ok) {
        note('bonds', outcome.reason);
        return ExitCode.failed;
      }
      forgotten = outcome.forgotten;
    }
    const { listBonds } = await import('../../sim/phone/bond-list');
    const { strapFirmwareBonds } = await import('../../sim/phone/strap-flash');
    const bonds = { phone: listBonds(join(stateDir, 'phone')), strap: listBonds(join(stateDir, 'strap')), strapFirmware: strapFirmwareBonds(join(stateDir, 'strap', 'flash.bin')) };
    if (values.json) printJson(forgotten === undefined ? bonds : { forgotten, ...bonds });
    else {
      if (forgotten !== undefined) process.stdout.write(`the strap forgot ${forgotten} bond${forgotten === 1 ? '' : 's'}\n`);
      const lines = (who: string, list: typeof bonds.phone) =>
        list.length ? list.map((b) => `${who.padEnd(6)} ${b.peer} (${b.peerType})  ${b.mitm ? 'MITM' : 'no MITM'}, ${b.sc ? 'LE Secure Connections' : 'legacy'}`) : [`${who.padEnd(6)} no bonds`];
      const firmware = bonds.strapFirmware.length ? bonds.strapFirmware.map((b) => `firmware ${b}`) : ['firmware no bonds in its list'];
      process.stdout.write([...lines('phone', bonds.phone), ...lines('strap', bonds.strap), ...firmware].join('\n') + '\n');
    }
    return ExitCode.ok;
  },
};
