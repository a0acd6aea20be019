/**
 * `strap bonds`: the bonds `strap pair` left: the phone's and the strap's SoftDevice's (ble-host's stores
 * under --state), and the strap firmware's own list (Storage `ble.bonds` in the kept flash image).
 */
import { join, resolve } from 'node:path';
import type { Command } from '../command';
import { EXIT_CODES_HELP, ExitCode } from '../exit-codes';
import { HELP_OPTION_HELP, JSON_OPTION, JSON_OPTION_HELP, parseOptions } from '../options';
import { printJson } from '../output';
import { DEFAULT_PAIR_DIR } from './pair';

const HELP = `Usage: strap bonds [--state <dir>] [--json]

Lists the bonds of the virtual strap and the companion phone that \`strap
pair\` keeps: for each, the peer's address and whether the bond came from an
authenticated (MITM) LE Secure Connections pairing; then the strap firmware's
own bond list (what it counts against its limit of 4, read from the strap's
flash kept in <state>/strap/flash.bin).

Options:
      --state <dir>        the bond folders (default ${DEFAULT_PAIR_DIR}/state, as strap pair)
${JSON_OPTION_HELP}
${HELP_OPTION_HELP}

${EXIT_CODES_HELP}`;

export const bondsCommand: Command = {
  name: 'bonds',
  summary: "the phone's and the virtual strap's bonds left by strap pair",
  help: HELP,
  async run(argv) {
    const values = parseOptions('bonds', argv, { state: { type: 'string' }, ...JSON_OPTION });
    const stateDir = resolve(values.state ?? join(DEFAULT_PAIR_DIR, 'state'));
    const { listBonds } = await import('../../sim/phone/bond-list');
    const { strapFirmwareBonds } = await import('../../sim/phone/strap-flash');
    const bonds = { phone: listBonds(join(stateDir, 'phone')), strap: listBonds(join(stateDir, 'strap')), strapFirmware: strapFirmwareBonds(join(stateDir, 'strap', 'flash.bin')) };
    if (values.json) printJson(bonds);
    else {
      const lines = (who: string, list: typeof bonds.phone) =>
        list.length ? list.map((b) => `${who.padEnd(6)} ${b.peer} (${b.peerType})  ${b.mitm ? 'MITM' : 'no MITM'}, ${b.sc ? 'LE Secure Connections' : 'legacy'}`) : [`${who.padEnd(6)} no bonds`];
      const firmware = bonds.strapFirmware.length ? bonds.strapFirmware.map((b) => `firmware ${b}`) : ['firmware no bonds in its list'];
      process.stdout.write([...lines('phone', bonds.phone), ...lines('strap', bonds.strap), ...firmware].join('\n') + '\n');
    }
    return ExitCode.ok;
  },
};
