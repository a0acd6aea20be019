import type { FlashProgress } from './flash-progress';

/** One line for a terminal: `upload [#####-----]  52% 10.1/19.4 KB`. */
export function renderProgressBar(p: FlashProgress, width = 20): string {
  const fraction = p.totalBytes > 0 ? Math.min(1, Math.max(0, p.sentBytes / p.totalBytes)) : 0;
  const filled = Math.round(fraction * width);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  return `${p.phase.padEnd(8)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${kb(p.sentBytes)}/${kb(p.totalBytes)} KB`;
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
