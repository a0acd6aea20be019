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

export const DEFAULT_CONFIG: StrapConfig = { heartbeatS: 60, longPressMs: 1000, watchdogS: 20 };

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
    storage.write(CONFIG_FILE, serialise(DEFAULT_CONFIG));
    return { config: copyDefaults() };
  }
  let stored: StoredFile;
  try {
    stored = JSON.parse(raw);
  } catch (e) {
    return { config: copyDefaults(), problem: CONFIG_FILE + ' does not parse (' + raw.length + ' bytes)' };
  }
  if (!stored || stored.v !== LAYOUT_VERSION || typeof stored.crc !== 'number' || !stored.settings || typeof stored.settings !== 'object') {
    return { config: copyDefaults(), problem: CONFIG_FILE + ' has an unknown layout' };
  }
  if (E.CRC32(JSON.stringify(stored.settings)) !== stored.crc) {
    return { config: copyDefaults(), problem: CONFIG_FILE + ' fails its CRC' };
  }
  return { config: validated(stored.settings as StoredSettings) };
}

/** Replaces whatever is stored with the defaults (the console's way out of safe mode). */
export function restoreDefaults(): boolean {
  return require('Storage').write(CONFIG_FILE, serialise(DEFAULT_CONFIG));
}

export function serialise(config: StrapConfig): string {
  return JSON.stringify({ v: LAYOUT_VERSION, crc: E.CRC32(JSON.stringify(config)), settings: config });
}

function validated(settings: StoredSettings): StrapConfig {
  const config = copyDefaults();
  if (isPositive(settings.heartbeatS)) config.heartbeatS = settings.heartbeatS;
  if (isPositive(settings.longPressMs)) config.longPressMs = settings.longPressMs;
  if (isPositive(settings.watchdogS)) config.watchdogS = settings.watchdogS;
  return config;
}

function isPositive(value: unknown): value is number {
  return typeof value === 'number' && value > 0;
}

function copyDefaults(): StrapConfig {
  return { heartbeatS: DEFAULT_CONFIG.heartbeatS, longPressMs: DEFAULT_CONFIG.longPressMs, watchdogS: DEFAULT_CONFIG.watchdogS };
}
