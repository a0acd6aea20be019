/**
 * An energy trace drawn as an SVG a person can read:
 *  - one band per consumer, coloured by state; within each pixel column the
 *    colour's opacity grows with the share of time spent in that state (a
 *    faint band is brief, repeated activity; the legend gives each state's
 *    share of the window);
 *  - the total current on a log axis: the per-column average as a line and
 *    the per-column minimum..maximum as a shaded envelope (short peaks stay
 *    visible at any zoom);
 *  - the state of charge (left axis) and the lowest battery-node voltage of
 *    each column (right axis);
 *  - a time axis in virtual time (h:mm, h:mm:ss or mm:ss.mmm by zoom).
 * Pure function of the trace rows: the same trace gives the same bytes.
 */
import { CONSUMERS, type ConsumerName, type CurrentCatalogue } from './current-catalogue';
import type { TraceRow } from './energy-trace';

export interface TraceSvgOptions {
  title?: string;
  /** Window to draw (µs of virtual time); default: the whole trace. */
  fromUs?: number;
  toUs?: number;
  /** End of the last row's interval when `toUs` is not given (default: the last row's time). */
  endUs?: number;
  widthPx?: number;
}

const LABEL_W = 200;
const LEGEND_W = 190;
const SUBLANE_H = 11;
const SUBLANE_GAP = 2;
const LANE_GAP = 7;
const CURRENT_H = 210;
const SOC_H = 120;
const PANEL_GAP = 34;
const MIN_UA = 1;
const MAX_UA = 100_000;

/** A state's colour says how much it draws, the same in every band: ≤ 10 µA, ≤ 100 µA, ≤ 1 mA, ≤ 10 mA, more. */
const DECADE_COLORS: ReadonlyArray<readonly [number, string]> = [
  [10, '#6baed6'],
  [100, '#41ab5d'],
  [1000, '#fdae6b'],
  [10_000, '#e6550d'],
  [Infinity, '#a50f15'],
];

interface Column {
  avgUa: number;
  minUa: number;
  maxUa: number;
  minVolts: number;
  socPercent: number;
  /** Per consumer index, time share per state. */
  shares: Map<string, number>[];
}

export function renderTraceSvg(rows: readonly TraceRow[], catalogue: CurrentCatalogue, options: TraceSvgOptions = {}): string {
  if (rows.length === 0) throw new Error('power: an empty trace cannot be drawn');
  const fromUs = options.fromUs ?? rows[0]!.timeUs;
  const lastUs = options.endUs ?? rows[rows.length - 1]!.timeUs;
  const toUs = options.toUs ?? Math.max(lastUs, fromUs + 1);
  const width = options.widthPx ?? 1280;
  const plotW = width - LABEL_W - LEGEND_W;
  const columns = aggregate(rows, fromUs, toUs, plotW);
  const colors = stateColors(catalogue);
  const lanes = CONSUMERS.map((consumer, index) => {
    const states = Object.keys(catalogue[consumer].states).filter(
      (state) => isShown(catalogue, consumer, state) && columns.some((col) => (col.shares[index]!.get(state) ?? 0) > 0),
    );
    return { consumer, index, states };
  }).filter((lane) => lane.states.length > 0);

  const top = 70;
  const laneTops: number[] = [];
  let y = top;
  for (const lane of lanes) {
    laneTops.push(y);
    y += lane.states.length * (SUBLANE_H + SUBLANE_GAP) - SUBLANE_GAP + LANE_GAP;
  }
  const currentTop = y + PANEL_GAP - LANE_GAP;
  const socTop = currentTop + CURRENT_H + PANEL_GAP;
  const axisY = socTop + SOC_H;
  const height = axisY + 60;
  const x0 = LABEL_W;
  const step = tickStepUs(toUs - fromUs);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  );

  // ---- title
  const spanS = (toUs - fromUs) / 1e6;
  const avgUa = columns.reduce((sum, c) => sum + c.avgUa, 0) / columns.length;
  const socs = columns.map((c) => c.socPercent);
  out.push(
    `<text x="${x0}" y="24" font-size="17" font-weight="bold">${esc(options.title ?? 'Energy trace')}</text>`,
    `<text x="${x0}" y="44" fill="#444">${esc(
      `${formatClock(fromUs, step / 10)} → ${formatClock(toUs, step / 10)} (${formatSpan(spanS)}), average ${formatUa(avgUa)}, ` +
        `charge ${formatCharge((avgUa * spanS) / 3600)}, state of charge ${socs[0]!.toFixed(2)} % → ${socs[socs.length - 1]!.toFixed(2)} %`,
    )}</text>`,
  );

  // ---- colour key of the bands (top right)
  const kx = x0 + plotW + 8;
  out.push(`<text x="${kx}" y="12" font-size="10" fill="#444">band colour: current drawn</text>`);
  ['≤ 10 µA', '≤ 100 µA', '≤ 1 mA', '≤ 10 mA', '> 10 mA'].forEach((label, i) => {
    const ky = 17 + i * 10;
    out.push(`<rect x="${kx}" y="${ky}" width="8" height="8" fill="${DECADE_COLORS[i]![1]}"/>`);
    out.push(`<text x="${kx + 12}" y="${ky + 8}" font-size="9">${esc(label)}</text>`);
  });
  out.push(`<text x="${kx + 70}" y="32" font-size="9" fill="#444">opacity: share of</text>`);
  out.push(`<text x="${kx + 70}" y="42" font-size="9" fill="#444">time in a pixel column</text>`);

  // ---- state bands: one sub-lane per state that occurs, opacity = share of the column
  lanes.forEach(({ consumer, index, states }, laneNo) => {
    const laneTop = laneTops[laneNo]!;
    const laneH = states.length * (SUBLANE_H + SUBLANE_GAP) - SUBLANE_GAP;
    out.push(`<text x="${x0 - 8}" y="${laneTop + laneH / 2 + 4}" text-anchor="end">${esc(catalogue[consumer].label)}</text>`);
    states.forEach((state, k) => {
      const sy = laneTop + k * (SUBLANE_H + SUBLANE_GAP);
      const color = colors.get(`${consumer}/${state}`)!;
      out.push(`<rect x="${x0}" y="${sy}" width="${plotW}" height="${SUBLANE_H}" fill="#f3f3f3"/>`);
      let runStart = 0;
      let runOpacity = 0;
      for (let px = 0; px <= plotW; px++) {
        const share = px < plotW ? columns[px]!.shares[index]!.get(state) ?? 0 : -1;
        const opacity = share > 0 ? Math.round((0.25 + 0.75 * share) * 20) / 20 : 0;
        if (opacity !== runOpacity || px === plotW) {
          if (runOpacity > 0)
            out.push(`<rect x="${x0 + runStart}" y="${sy}" width="${px - runStart}" height="${SUBLANE_H}" fill="${color}" fill-opacity="${runOpacity.toFixed(2)}"/>`);
          runStart = px;
          runOpacity = opacity;
        }
      }
      const share = columns.reduce((sum, c) => sum + (c.shares[index]!.get(state) ?? 0), 0) / columns.length;
      const lx = x0 + plotW + 8;
      out.push(`<rect x="${lx}" y="${sy + 1}" width="9" height="9" fill="${color}"/>`);
      out.push(
        `<text x="${lx + 13}" y="${sy + SUBLANE_H - 2}" font-size="10">${esc(`${state} ${formatShare(share)} · ${formatUa(catalogue[consumer].states[state]!.currentUa)}`)}</text>`,
      );
    });
  });

  // ---- current, log axis
  const yOfUa = (ua: number) => {
    const v = Math.log10(Math.min(MAX_UA, Math.max(MIN_UA, ua)));
    return currentTop + CURRENT_H - ((v - Math.log10(MIN_UA)) / (Math.log10(MAX_UA) - Math.log10(MIN_UA))) * CURRENT_H;
  };
  out.push(`<rect x="${x0}" y="${currentTop}" width="${plotW}" height="${CURRENT_H}" fill="none" stroke="#999"/>`);
  for (let d = Math.log10(MIN_UA); d <= Math.log10(MAX_UA); d++) {
    const ua = 10 ** d;
    const y = yOfUa(ua);
    out.push(`<line x1="${x0}" y1="${y}" x2="${x0 + plotW}" y2="${y}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${x0 - 6}" y="${y + 4}" text-anchor="end" font-size="11">${formatUa(ua)}</text>`);
  }
  out.push(
    `<text transform="translate(${x0 - 62} ${currentTop + CURRENT_H / 2}) rotate(-90)" text-anchor="middle" fill="#333">current (log)</text>`,
  );
  const envelope: string[] = [];
  columns.forEach((c, px) => envelope.push(`${x0 + px},${yOfUa(c.maxUa).toFixed(1)}`));
  for (let px = columns.length - 1; px >= 0; px--) envelope.push(`${x0 + px + 1},${yOfUa(columns[px]!.minUa).toFixed(1)}`);
  out.push(`<polygon points="${envelope.join(' ')}" fill="#9ecae1" fill-opacity="0.35" stroke="none"/>`);
  out.push(`<polyline points="${columns.map((c, px) => `${x0 + px + 0.5},${yOfUa(c.maxUa).toFixed(1)}`).join(' ')}" fill="none" stroke="#6baed6" stroke-width="0.7"/>`);
  out.push(`<polyline points="${columns.map((c, px) => `${x0 + px + 0.5},${yOfUa(c.avgUa).toFixed(1)}`).join(' ')}" fill="none" stroke="#08519c" stroke-width="1.2"/>`);
  const lx = x0 + plotW + 10;
  out.push(
    `<rect x="${lx}" y="${currentTop + 4}" width="10" height="10" fill="#9ecae1"/><text x="${lx + 14}" y="${currentTop + 13}" font-size="11">min..max in a pixel column</text>`,
    `<line x1="${lx}" y1="${currentTop + 27}" x2="${lx + 10}" y2="${currentTop + 27}" stroke="#08519c" stroke-width="2"/><text x="${lx + 14}" y="${currentTop + 31}" font-size="11">average in a pixel column</text>`,
  );

  // ---- state of charge (left axis) and the lowest node voltage (right axis), each on a range that fits the window
  const socRange = niceRange(Math.min(...socs), Math.max(...socs), 0.5, 0, 100);
  const voltsSeen = columns.map((c) => c.minVolts).filter((v) => Number.isFinite(v));
  const voltRange = niceRange(Math.min(...voltsSeen), Math.max(...voltsSeen), 0.02, 0, 5);
  const yIn = (range: Range, v: number) => socTop + SOC_H - ((Math.min(range.hi, Math.max(range.lo, v)) - range.lo) / (range.hi - range.lo)) * SOC_H;
  out.push(`<rect x="${x0}" y="${socTop}" width="${plotW}" height="${SOC_H}" fill="none" stroke="#999"/>`);
  for (const pct of range5(socRange)) {
    out.push(`<line x1="${x0}" y1="${yIn(socRange, pct)}" x2="${x0 + plotW}" y2="${yIn(socRange, pct)}" stroke="#eeeeee"/>`);
    out.push(`<text x="${x0 - 6}" y="${yIn(socRange, pct) + 4}" text-anchor="end" font-size="11" fill="#238b45">${fixed(pct, socRange)} %</text>`);
  }
  for (const v of range5(voltRange)) {
    out.push(`<text x="${x0 + plotW + 6}" y="${yIn(voltRange, v) + 4}" font-size="11" fill="#d95f02">${fixed(v, voltRange)} V</text>`);
  }
  out.push(
    `<text transform="translate(${x0 - 62} ${socTop + SOC_H / 2}) rotate(-90)" text-anchor="middle" fill="#238b45">state of charge</text>`,
    `<polyline points="${columns.map((c, px) => `${x0 + px + 0.5},${yIn(voltRange, c.minVolts).toFixed(1)}`).join(' ')}" fill="none" stroke="#d95f02" stroke-width="1"/>`,
    `<polyline points="${columns.map((c, px) => `${x0 + px + 0.5},${yIn(socRange, c.socPercent).toFixed(1)}`).join(' ')}" fill="none" stroke="#238b45" stroke-width="2"/>`,
    `<text x="${x0 + plotW + 60}" y="${socTop + 12}" font-size="11" fill="#d95f02">battery node,</text>`,
    `<text x="${x0 + plotW + 60}" y="${socTop + 26}" font-size="11" fill="#d95f02">lowest in a column</text>`,
  );

  // ---- time axis
  const xOfUs = (us: number) => x0 + ((us - fromUs) / (toUs - fromUs)) * plotW;
  out.push(`<line x1="${x0}" y1="${axisY}" x2="${x0 + plotW}" y2="${axisY}" stroke="#333"/>`);
  for (let t = Math.ceil(fromUs / step) * step; t <= toUs; t += step) {
    const x = xOfUs(t);
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${axisY}" stroke="#000" stroke-opacity="0.07"/>`);
    out.push(`<line x1="${x}" y1="${axisY}" x2="${x}" y2="${axisY + 5}" stroke="#333"/>`);
    out.push(`<text x="${x}" y="${axisY + 18}" text-anchor="middle" font-size="11">${formatClock(t, step)}</text>`);
  }
  out.push(`<text x="${x0 + plotW / 2}" y="${axisY + 40}" text-anchor="middle" fill="#333">${esc(clockAxisTitle(step))}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- aggregation

function aggregate(rows: readonly TraceRow[], fromUs: number, toUs: number, plotW: number): Column[] {
  const columns: Column[] = [];
  const spanUs = toUs - fromUs;
  let i = 0;
  while (i + 1 < rows.length && rows[i + 1]!.timeUs <= fromUs) i++;
  for (let px = 0; px < plotW; px++) {
    const c0 = fromUs + (spanUs * px) / plotW;
    const c1 = fromUs + (spanUs * (px + 1)) / plotW;
    const col: Column = { avgUa: 0, minUa: Infinity, maxUa: 0, minVolts: Infinity, socPercent: 0, shares: CONSUMERS.map(() => new Map()) };
    let j = i;
    let chargeUa = 0;
    for (;;) {
      const row = rows[j]!;
      const start = Math.max(c0, row.timeUs);
      const end = Math.min(c1, j + 1 < rows.length ? rows[j + 1]!.timeUs : Infinity);
      const span = end - start;
      if (span > 0 || (row.timeUs >= c0 && row.timeUs < c1)) {
        col.minUa = Math.min(col.minUa, row.currentUa);
        col.maxUa = Math.max(col.maxUa, row.currentUa);
        col.minVolts = Math.min(col.minVolts, row.volts);
      }
      if (span > 0) {
        chargeUa += row.currentUa * span;
        row.states.forEach((state, k) => {
          const m = col.shares[k]!;
          m.set(state, (m.get(state) ?? 0) + span / (c1 - c0));
        });
      }
      if (j + 1 >= rows.length || rows[j + 1]!.timeUs >= c1) break;
      j++;
    }
    col.avgUa = chargeUa / (c1 - c0);
    col.socPercent = socAt(rows, j, c1);
    if (!Number.isFinite(col.minUa)) col.minUa = col.maxUa = col.avgUa;
    columns.push(col);
    i = j;
  }
  return columns;
}

/** Linear between the rows around `atUs` (the charge moves smoothly between changes). */
function socAt(rows: readonly TraceRow[], j: number, atUs: number): number {
  const a = rows[j]!;
  const b = rows[j + 1];
  if (!b || b.timeUs <= a.timeUs) return a.socPercent;
  const f = Math.min(1, Math.max(0, (atUs - a.timeUs) / (b.timeUs - a.timeUs)));
  return a.socPercent + f * (b.socPercent - a.socPercent);
}

/** States drawn as bands: those that draw current, plus a powered-off CPU. */
function isShown(catalogue: CurrentCatalogue, consumer: ConsumerName, state: string): boolean {
  const spec = catalogue[consumer];
  return (spec.states[state]?.currentUa ?? 0) > 0 || (consumer === 'mcu' && state === spec.off);
}

function stateColors(catalogue: CurrentCatalogue): Map<string, string> {
  const colors = new Map<string, string>();
  for (const c of CONSUMERS) {
    for (const [state, spec] of Object.entries(catalogue[c].states)) {
      colors.set(`${c}/${state}`, DECADE_COLORS.find(([limit]) => spec.currentUa <= limit)![1]);
    }
  }
  colors.set(`mcu/${catalogue.mcu.off}`, '#555555');
  return colors;
}

interface Range {
  lo: number;
  hi: number;
  step: number;
}

/** A range with round ends and a round step (about 4 steps) holding lo..hi, at least `minSpan` wide, inside floor..ceil. */
function niceRange(lo: number, hi: number, minSpan: number, floor: number, ceil: number): Range {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { lo: floor, hi: ceil, step: (ceil - floor) / 4 };
  const mid = (lo + hi) / 2;
  const span = Math.max(hi - lo, minSpan);
  const raw = span / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  let a = Math.floor((Math.min(lo, mid - span / 2)) / step) * step;
  let b = Math.ceil((Math.max(hi, mid + span / 2)) / step) * step;
  if (a < floor) a = floor;
  if (b > ceil) b = ceil;
  return { lo: a, hi: b > a ? b : a + step, step };
}

function range5(range: Range): number[] {
  const out: number[] = [];
  for (let v = range.lo; v <= range.hi + range.step / 1000; v += range.step) out.push(v);
  return out;
}

function fixed(value: number, range: Range): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(range.step) + 1e-9));
  return value.toFixed(decimals);
}

// ---------------------------------------------------------------- formatting

const TICK_STEPS_US = [
  1e3, 2e3, 5e3, 10e3, 20e3, 50e3, 100e3, 200e3, 500e3, 1e6, 2e6, 5e6, 10e6, 15e6, 30e6, 60e6, 120e6, 300e6, 600e6, 900e6, 1800e6, 3600e6, 7200e6,
  10800e6, 21600e6, 43200e6, 86400e6,
];

function tickStepUs(spanUs: number): number {
  return TICK_STEPS_US.find((s) => spanUs / s <= 12) ?? 86400e6;
}

/** Virtual time as h:mm (steps of minutes or more), h:mm:ss (seconds), or m:ss.mmm (below a second). */
function formatClock(us: number, stepUs: number): string {
  const totalMs = Math.round(us / 1000);
  const h = Math.floor(totalMs / 3_600_000);
  const m = Math.floor((totalMs % 3_600_000) / 60_000);
  const s = Math.floor((totalMs % 60_000) / 1000);
  const ms = totalMs % 1000;
  const p2 = (n: number) => String(n).padStart(2, '0');
  if (stepUs >= 60e6) return `${h}:${p2(m)}`;
  if (stepUs >= 1e6) return `${h}:${p2(m)}:${p2(s)}`;
  return `${h}:${p2(m)}:${p2(s)}.${String(ms).padStart(3, '0')}`;
}

function clockAxisTitle(stepUs: number): string {
  if (stepUs >= 60e6) return 'virtual time (h:mm)';
  if (stepUs >= 1e6) return 'virtual time (h:mm:ss)';
  return 'virtual time (h:mm:ss.mmm)';
}

function formatSpan(seconds: number): string {
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(seconds % 3600 === 0 ? 0 : 2)} h`;
  if (seconds >= 60) return `${(seconds / 60).toFixed(1)} min`;
  return `${seconds.toFixed(3)} s`;
}

export function formatUa(ua: number): string {
  if (ua >= 1000) return `${trim(ua / 1000)} mA`;
  return `${trim(ua)} µA`;
}

function formatCharge(uah: number): string {
  return uah >= 1000 ? `${(uah / 1000).toFixed(3)} mAh` : `${uah.toFixed(2)} µAh`;
}

function formatShare(share: number): string {
  if (share >= 0.999995) return '100 %';
  if (share >= 0.1) return `${(share * 100).toFixed(1)} %`;
  if (share >= 0.001) return `${(share * 100).toFixed(2)} %`;
  return `${(share * 100).toFixed(4)} %`;
}

function trim(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1).replace(/\.0$/, '') : n.toFixed(2).replace(/\.?0+$/, '');
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
