/**
 * What the SoftDevice model takes from the Espruino build the board runs:
 * the shortest encryption key the SoftDevice accepts, and its ATT MTU.
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
 *
 * The ATT MTU: targets/nrf5x/bluetooth.c (SoftDevice API ≥ 5) defines
 * `NRF_BLE_MAX_MTU_SIZE` as `NRF_SDH_BLE_GATT_MAX_MTU_SIZE` and answers
 * every Exchange MTU Request with it (`sd_ble_gatts_exchange_mtu_reply(…,
 * NRF_BLE_MAX_MTU_SIZE)`, BLE_GATTS_EVT_EXCHANGE_MTU_REQUEST). The nRF52
 * builds take it from targetlibs/nrf5x_15/nrf52_config/sdk_config.h,
 * `#define NRF_SDH_BLE_GATT_MAX_MTU_SIZE 23` (with the note "247 // TODO:
 * could maybe manage this much?"), unless the board file sets
 * `DEFINES += -DNRF_SDH_BLE_GATT_MAX_MTU_SIZE=…` (Bangle.js 2 and the
 * nRF52840 boards set 131; boards/PUCKJS.py sets none). At 23 bluetooth.c
 * leaves EXTENSIBLE_MTU undefined: `m_peripheral_effective_mtu` is the
 * constant GATT_MTU_SIZE_DEFAULT, so NUS output goes in 20-octet
 * notifications, and Nordic's ble_nus.h makes BLE_NUS_MAX_DATA_LEN (the RX
 * characteristic's max_len) NRF_SDH_BLE_GATT_MAX_MTU_SIZE − 3 = 20.
 */
import { readFileSync } from 'node:fs';

export interface EspruinoBuild {
  /** sec_param.min_key_size, 7–16 octets (Core v5.4 Vol 3 Part H 2.3.4). */
  minKeySize: number;
  /** NRF_SDH_BLE_GATT_MAX_MTU_SIZE: the ATT MTU the SoftDevice answers an Exchange MTU Request with, 23–247. */
  attMtu: number;
}

/** Espruino 2v29 as released for a Puck.js: get_gap_sec_params()'s literal 7, sdk_config.h's MTU 23. */
export const STOCK_ESPRUINO: EspruinoBuild = { minKeySize: 7, attMtu: 23 };

const MIN_KEY_SIZE_DEFINE = /^DEFINES\s*\+=\s*-DESPR_BLE_MIN_KEY_SIZE=(\d+)$/;
const MTU_DEFINE = /^DEFINES\s*\+=\s*-DNRF_SDH_BLE_GATT_MAX_MTU_SIZE=(\d+)$/;

/** The build options in a board JSON (`info.build.makefile`); stock where it sets none. */
export function espruinoBuild(boardJson: unknown): EspruinoBuild {
  const info = (boardJson as { info?: { build?: { makefile?: unknown } } } | undefined)?.info;
  const makefile = info?.build?.makefile;
  const lines = Array.isArray(makefile) ? makefile.filter((l): l is string => typeof l === 'string') : [];
  let { minKeySize, attMtu } = STOCK_ESPRUINO;
  for (const line of lines) {
    const key = MIN_KEY_SIZE_DEFINE.exec(line.trim());
    if (key) {
      minKeySize = Number(key[1]);
      if (minKeySize < 7 || minKeySize > 16) throw new Error(`ESPR_BLE_MIN_KEY_SIZE=${minKeySize}: the SoftDevice takes 7–16 octets`);
    }
    const mtu = MTU_DEFINE.exec(line.trim());
    if (mtu) {
      attMtu = Number(mtu[1]);
      // S132's largest ATT MTU is 247 (its ble_gatt.h BLE_GATT_ATT_MTU_DEFAULT is 23)
      if (attMtu < 23 || attMtu > 247) throw new Error(`NRF_SDH_BLE_GATT_MAX_MTU_SIZE=${attMtu}: the nRF52's SoftDevice takes 23–247`);
    }
  }
  return { minKeySize, attMtu };
}

let strap: EspruinoBuild | undefined;

/** The strap's build: sim/board/espruino-board.json, the board description the tools and the simulator share. */
export function strapBuild(): EspruinoBuild {
  strap ??= espruinoBuild(JSON.parse(readFileSync(new URL('../board/espruino-board.json', import.meta.url), 'utf8')));
  return strap;
}
