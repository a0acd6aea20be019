/**
 * The saved state in Storage (".varimg"), what save() writes and power-on
 * and load() replay.
 *
 * save() cannot serialise V8's heap. The closest real thing: the board keeps
 * every console line evaluated since RAM was last cleared and save() writes
 * them to Storage as ".varimg" (format "ESPRUINO-SIM VARIMG 1\n" + JSON array
 * of sources); loading replays them silently before the boot code, so what
 * was built at the console comes back. Timers restart from the replay time.
 */
import { bytesToLatin1 } from '../runtime/bytes';
import type { JsfStorage } from '../storage/jsf-storage';

export const VARIMG = '.varimg';
const VARIMG_HEADER = 'ESPRUINO-SIM VARIMG 1\n';

/** What reset(true) erases; any of them makes power-on skip the logo. */
export const SAVED_CODE_FILES = [VARIMG, '.bootcde', '.bootrst'];

export function flashContainsCode(storage: JsfStorage): boolean {
  return SAVED_CODE_FILES.some((name) => storage.find(name) !== undefined);
}

/** The .varimg image of the console lines `evalLog`. */
export function savedStateImage(evalLog: readonly string[]): string {
  return VARIMG_HEADER + JSON.stringify(evalLog);
}

/** savedStateImage(evalLog).length, without building it. */
export function savedStateImageLength(evalLog: readonly string[]): number {
  let chars = VARIMG_HEADER.length + 2 + Math.max(0, evalLog.length - 1);
  for (const line of evalLog) chars += JSON.stringify(line).length;
  return chars;
}

/** The console lines in a .varimg image (none if it is not one). */
export function savedStateSources(bytes: Uint8Array): string[] {
  const text = bytesToLatin1(bytes);
  try {
    if (text.startsWith(VARIMG_HEADER)) return (JSON.parse(text.slice(VARIMG_HEADER.length)) as unknown[]).map(String);
  } catch {
    // not an image: nothing to replay
  }
  return [];
}
