/**
 * A plot of measured current (the bench's PPK2 bins): per pixel column the
 * average as a line and the min..peak envelope shaded, on a log axis from
 * 1 µA to 100 mA, with a time axis in seconds. The virtual rigs draw their
 * model's trace with sim/power/trace-svg.ts instead (states and all).
 */
import type { CurrentBin } from '../rigs/ppk2/ppk2';
import { escapeXml } from './xml';

const W = 900;
const H = 300;
const PAD = { left: 70, right: 20, top: 30, bottom: 40 };
const DECADES = [1, 10, 100, 1000, 10_000, 100_000];

export function renderCurrentSvg(bins: readonly CurrentBin[], title: string): string {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`, `<text x="${PAD.left}" y="18" font-size="13">${escapeXml(title)}</text>`];
  const y = (ua: number) => PAD.top + plotH * (1 - (Math.log10(Math.min(Math.max(ua, 1), 100_000)) - 0) / 5);
  for (const d of DECADES) parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(d).toFixed(1)}" y2="${y(d).toFixed(1)}" stroke="#ddd"/><text x="${PAD.left - 6}" y="${(y(d) + 4).toFixed(1)}" text-anchor="end">${d >= 1000 ? `${d / 1000} mA` : `${d} µA`}</text>`);
  if (bins.length === 0) {
    parts.push(`<text x="${PAD.left + 10}" y="${PAD.top + 20}">no samples in this window</text></svg>`);
    return parts.join('\n');
  }
  const fromMs = bins[0]!.timeMs;
  const spanMs = Math.max(1, bins[bins.length - 1]!.timeMs - fromMs);
  const columns = Array.from({ length: plotW }, () => ({ sum: 0, n: 0, min: Infinity, max: 0 }));
  for (const b of bins) {
    const c = columns[Math.min(plotW - 1, Math.floor(((b.timeMs - fromMs) / spanMs) * plotW))]!;
    c.sum += b.averageUa;
    c.n++;
    c.min = Math.min(c.min, b.averageUa);
    c.max = Math.max(c.max, b.peakUa);
  }
  const envelope: string[] = [];
  const line: string[] = [];
  columns.forEach((c, i) => {
    if (c.n === 0) return;
    const x = PAD.left + i;
    envelope.push(`M${x} ${y(c.max).toFixed(1)}V${y(c.min).toFixed(1)}`);
    line.push(`${line.length ? 'L' : 'M'}${x} ${y(c.sum / c.n).toFixed(1)}`);
  });
  parts.push(`<path d="${envelope.join('')}" stroke="#fdae6b" stroke-width="1"/>`, `<path d="${line.join('')}" fill="none" stroke="#e6550d" stroke-width="1.2"/>`);
  for (let i = 0; i <= 5; i++) {
    const x = PAD.left + (plotW * i) / 5;
    parts.push(`<text x="${x.toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${((fromMs + (spanMs * i) / 5) / 1000).toFixed(2)} s</text>`);
  }
  parts.push('</svg>');
  return parts.join('\n');
}

export function currentCsv(bins: readonly CurrentBin[]): string {
  return ['time_s,average_ua,peak_ua', ...bins.map((b) => `${(b.timeMs / 1000).toFixed(3)},${b.averageUa.toFixed(3)},${b.peakUa.toFixed(3)}`)].join('\n') + '\n';
}
