/**
 * The strap's settings in Storage, as JSON with a CRC32 over the settings.
 *
 * A missing file is a first boot: defaults are written. A file that does not
 * parse, fails its CRC or has an unknown layout is NOT erased or rewritten:
 * the strap boots in safe mode on defaults and says why, so the evidence stays
 * on the flash for the engineer to read back.
 */
export const CONFIG_FILE = 'strap.cfg';
const LAYOUT_VERSION = 1;

export interface StrapConfig {
  heartbeatS: number;
  longPressMs: number;
  watchdogS: number;
}

export interface LoadedConfig {
  config: StrapConfig;
  /** Why the stored settings could not be used; undefined when they were fine. */
  problem?: string;
}

/** The file as JSON.parse gives it: nothing in it is trusted before the checks below. */
type StoredFile = { v?: unknown; crc?: unknown; settings?: unknown } | null;

/** Settings that passed the layout and CRC checks: each value is still checked before use. */
type StoredSettings = { [K in keyof StrapConfig]?: unknown };

export function loadConfig(): LoadedConfig {
  const storage = require('Storage');
  const raw = storage.read(CONFIG_FILE);
  if (raw === undefined) {
    restoreDefaults();
    return { config: configFrom() };
  }
  let stored: StoredFile;
  try {
    stored = JSON.parse(raw);
  } catch (e) {
    return { config: configFrom(), problem: CONFIG_FILE + ' does not parse (' + raw.length + ' bytes)' };
  }
  if (!stored || stored.v !== LAYOUT_VERSION || typeof stored.crc !== 'number' || !stored.settings || typeof stored.settings !== 'object') {
    return { config: configFrom(), problem: CONFIG_FILE + ' has an unknown layout' };
  }
  if (E.CRC32(JSON.stringify(stored.settings)) !== stored.crc) {
    return { config: configFrom(), problem: CONFIG_FILE + ' fails its CRC' };
  }
  return { config: configFrom(stored.settings as StoredSettings) };
}

/** Replaces whatever is stored with the defaults (the console's way out of safe mode). */
export function restoreDefaults(): boolean {
  return require('Storage').write(CONFIG_FILE, serialise(configFrom()));
}

export function serialise(config: StrapConfig): string {
  return JSON.stringify({ v: LAYOUT_VERSION, crc: E.CRC32(JSON.stringify(config)), settings: config });
}

/**
 * The defaults (a fresh object each time), with each stored setting that is a
 * positive number in place of its default. A function rather than a kept
 * defaults object: on Espruino a module-level object costs RAM for as long as
 * the strap runs, and the defaults are only read at boot and on restore.
 */
export function configFrom(stored?: StoredSettings): StrapConfig {
  const config: StrapConfig = { heartbeatS: 60, longPressMs: 1000, watchdogS: 20 };
  if (stored) {
    for (const key in config) {
      const value = stored[key as keyof StrapConfig];
      if (typeof value === 'number' && value > 0) config[key as keyof StrapConfig] = value;
    }
  }
  return config;
}
