/**
 * What the SoftDevice model takes from the Espruino build the board runs:
 * the shortest encryption key the SoftDevice accepts.
 *
 * Espruino 2v29 fixes the SoftDevice's pairing parameters in C:
 * targets/nrf5x/bluetooth.c, get_gap_sec_params(), sets
 * `sec_param.min_key_size = 7; sec_param.max_key_size = 16;` (literals, not
 * the Nordic SDK's SEC_PARAM_MIN_KEY_SIZE macro), and NRF.setSecurity's
 * options (display, keyboard, pair, bond, mitm, lesc, passkey, oob,
 * encryptUart; libs/bluetooth/jswrap_bluetooth.c) touch neither. Nor can
 * JavaScript see a key's size: the 'security' event carries auth_status,
 * bonded, lv4, kdist_own, kdist_peer (BLEP_TASK_AUTH_STATUS in
 * bluetooth.c), NRF.getSecurityStatus() connected, encrypted,
 * mitm_protected, bonded, advertising, connected_addr. So a strap that must
 * refuse keys shorter than 16 octets runs an Espruino build whose
 * get_gap_sec_params() reads `ESPR_BLE_MIN_KEY_SIZE` (default 7) for that
 * literal, with the board file's build setting it:
 * `DEFINES+=-DESPR_BLE_MIN_KEY_SIZE=16` in `info.build.makefile`, as
 * Espruino's board files (boards/*.py, their JSON by
 * scripts/build_board_json.py) carry build options. The SoftDevice then
 * answers a shorter key with Pairing Failed 0x06.
 */
import { readFileSync } from 'node:fs';

export interface EspruinoBuild {
  /** sec_param.min_key_size, 7–16 octets (Core v5.4 Vol 3 Part H 2.3.4). */
  minKeySize: number;
}

/** Espruino 2v29 as released: get_gap_sec_params()'s literal 7. */
export const STOCK_ESPRUINO: EspruinoBuild = { minKeySize: 7 };

const MIN_KEY_SIZE_DEFINE = /^DEFINES\s*\+=\s*-DESPR_BLE_MIN_KEY_SIZE=(\d+)$/;

/** The build options in a board JSON (`info.build.makefile`); stock where it sets none. */
export function espruinoBuild(boardJson: unknown): EspruinoBuild {
  const info = (boardJson as { info?: { build?: { makefile?: unknown } } } | undefined)?.info;
  const makefile = info?.build?.makefile;
  const lines = Array.isArray(makefile) ? makefile.filter((l): l is string => typeof l === 'string') : [];
  let minKeySize = STOCK_ESPRUINO.minKeySize;
  for (const line of lines) {
    const m = MIN_KEY_SIZE_DEFINE.exec(line.trim());
    if (!m) continue;
    minKeySize = Number(m[1]);
    if (minKeySize < 7 || minKeySize > 16) throw new Error(`ESPR_BLE_MIN_KEY_SIZE=${minKeySize}: the SoftDevice takes 7–16 octets`);
  }
  return { minKeySize };
}

let strap: EspruinoBuild | undefined;

/** The strap's build: sim/board/espruino-board.json, the board description the tools and the simulator share. */
export function strapBuild(): EspruinoBuild {
  strap ??= espruinoBuild(JSON.parse(readFileSync(new URL('../board/espruino-board.json', import.meta.url), 'utf8')));
  return strap;
}
