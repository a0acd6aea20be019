// The settings file as boot reads it (config-store.ts), on a stubbed Storage:
// usable settings are used, anything else boots in safe mode on defaults and
// leaves the file as it was. (The same on the virtual board, with the built
// firmware: sim/scenario/strap-firmware.test.ts.)
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONFIG_FILE, configFrom, loadConfig, serialise } from './config-store';
import { answerStorageModule, restoreStorageModule } from './testing/storage-module';

const DEFAULT_CONFIG = { heartbeatS: 60, longPressMs: 1000, watchdogS: 20 };

let files: { [name: string]: string };

beforeEach(() => {
  files = {};
  const storage = {
    read: (name: string) => files[name],
    write: (name: string, data: string) => {
      files[name] = data;
      return true;
    },
  };
  vi.stubGlobal('E', { CRC32: (data: string) => crc32(Buffer.from(data, 'latin1')) | 0 });
  answerStorageModule(storage);
});

afterEach(() => {
  restoreStorageModule();
  vi.unstubAllGlobals();
});

/** A file with this layout version and settings, its CRC right. */
function sealed(settings: unknown, version = 1): string {
  return JSON.stringify({ v: version, crc: crc32(Buffer.from(JSON.stringify(settings), 'latin1')) | 0, settings });
}

describe('the settings file', () => {
  it('is written with the defaults on first boot', () => {
    expect(configFrom()).toEqual(DEFAULT_CONFIG);
    expect(loadConfig()).toEqual({ config: DEFAULT_CONFIG });
    expect(files[CONFIG_FILE]).toBe(serialise(DEFAULT_CONFIG));
  });

  it('gives its settings, each checked, the defaults for the rest', () => {
    files[CONFIG_FILE] = sealed({ heartbeatS: 30, longPressMs: -5, extra: 1 });
    expect(loadConfig()).toEqual({ config: { ...DEFAULT_CONFIG, heartbeatS: 30 } });
  });

  it.each([
    ['garbage', '\x00\xff{{not json', /does not parse/],
    ['JSON null', 'null', /unknown layout/],
    ['another layout', sealed({}, 9), /unknown layout/],
    ['settings that are not an object', sealed(5), /unknown layout/],
    // typeof null is 'object': the CRC of "null" matches, and the settings must still be refused.
    ['settings that are null', sealed(null), /unknown layout/],
    ['a CRC that does not match', sealed({ heartbeatS: 60 }).replace('60', '61'), /fails its CRC/],
  ])('boots on defaults with %s, says why, and leaves the file as it was', (_name, text, problem) => {
    files[CONFIG_FILE] = text;
    const loaded = loadConfig();
    expect(loaded.config).toEqual(DEFAULT_CONFIG);
    expect(loaded.problem).toMatch(problem);
    expect(files[CONFIG_FILE]).toBe(text);
  });
});
