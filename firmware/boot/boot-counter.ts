/**
 * Counts boots in Storage, so resets and power cycles are visible from the
 * console. Storage deletes a file before rewriting it, so a power cut in the
 * middle of this write restarts the count: acceptable for a diagnostic.
 */
const BOOTS_FILE = 'strap.boots';

export function countBoot(): number {
  const storage = require('Storage');
  const previous = parseInt(storage.read(BOOTS_FILE) || '0', 10);
  const boots = (isNaN(previous) ? 0 : previous) + 1;
  storage.write(BOOTS_FILE, String(boots));
  return boots;
}
