import type { Finding } from '../contracts.js';
import { pushToKey } from '../../core/collections.js';
import { sortBy } from '../../core/sort.js';
import { locateEvidence, numberOf } from './evidence.js';
import { oneLine } from './shared.js';
import type { ReportInput, ReportSeries, ReportSeriesPoint } from './types.js';

/**
 * Pictures of findings as inline SVG: no script, no network, a <title>/<desc> and a table of the same
 * figures beside each. Every coordinate is rounded to one decimal: same input, same bytes.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function t(text: string): string {
  return oneLine(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}
function n(x: number): string {
  const r = Math.round(x * 10) / 10;
  return Object.is(r, -0) ? '0' : String(r);
}

/** Checks whose findings are about one figure across periods and releases. */
export const SERIES_CHECKS = new Set(['revised-figure', 'restated-figure', 'cross-source-figure', 'change-on-earlier']);
/** Checks whose findings are about parts of a whole in percentages. */
export const DISTRIBUTION_CHECKS = new Set(['percent-sum-100', 'count-sum-base']);

/** Colour and shape per release, in release order; shapes tell releases apart without colour. */
const PALETTE = ['#175cd3', '#b54708', '#067647', '#6941c6', '#c11574', '#344054'];
const SHAPES = ['circle', 'square', 'diamond', 'triangle'] as const;

function mark(shape: (typeof SHAPES)[number], x: number, y: number, r: number, fill: string): string {
  switch (shape) {
    case 'circle':
      return `<circle cx="${n(x)}" cy="${n(y)}" r="${n(r)}" fill="${fill}"/>`;
    case 'square':
      return `<rect x="${n(x - r)}" y="${n(y - r)}" width="${n(2 * r)}" height="${n(2 * r)}" fill="${fill}"/>`;
    case 'diamond':
      return `<path d="M${n(x)} ${n(y - r - 1)}L${n(x + r + 1)} ${n(y)}L${n(x)} ${n(y + r + 1)}L${n(x - r - 1)} ${n(y)}Z" fill="${fill}"/>`;
    case 'triangle':
      return `<path d="M${n(x)} ${n(y - r - 1)}L${n(x + r + 1)} ${n(y + r)}L${n(x - r - 1)} ${n(y + r)}Z" fill="${fill}"/>`;
  }
}

function releasesOf(points: readonly ReportSeriesPoint[]): Array<{ release: string; release_date: string | null }> {
  const seen = new Map<string, string | null>();
  for (const p of points) if (!seen.has(p.release)) seen.set(p.release, p.release_date);
  return sortBy([...seen.entries()].map(([release, release_date]) => ({ release, release_date })), (r) => [r.release_date ?? '', r.release]);
}

function niceTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  return ticks;
}

/** 99966 → "99,966", 12.5 → "12.5": fixed, not the locale's. */
function fmt(v: number): string {
  const digits = Number.isInteger(v) ? 0 : Math.abs(v) < 10 ? 2 : 1;
  const [int, frac] = (Math.round(v * 10 ** digits) / 10 ** digits).toFixed(digits).split('.');
  const sign = int!.startsWith('-') ? '-' : '';
  const body = int!.replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const tail = frac ? frac.replace(/0+$/, '') : '';
  return `${sign}${body}${tail ? `.${tail}` : ''}`;
}

/** A share as text with as many decimals as it takes not to read as 100 when it is not (100.03). */
function percentText(v: number): string {
  for (let d = 1; d <= 4; d++) {
    const r = Math.round(v * 10 ** d) / 10 ** d;
    if ((r === 100) === (Math.abs(v - 100) < 1e-9) || d === 4) return r.toFixed(d).replace(/\.?0+$/, '');
  }
  return String(v);
}

/** A gap as text with as many decimals as it takes not to read as 0 (0.03). */
function gapText(v: number): string {
  for (let d = 1; d <= 4; d++) {
    const r = Math.round(v * 10 ** d) / 10 ** d;
    if (r !== 0 || d === 4) return r.toFixed(d).replace(/\.?0+$/, '');
  }
  return String(v);
}

/** One figure's vintages by period: a mark per release, the finding's values ringed. */
export function revisionChart(series: ReportSeries, id: string): string {
  const periods = [...new Set(series.points.map((p) => p.period))].sort();
  const releases = releasesOf(series.points);
  const values = series.points.map((p) => p.value);
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = (hi - lo) * 0.15 || Math.abs(hi) * 0.05 || 1;
  lo -= pad;
  hi += pad;
  const ticks = niceTicks(lo, hi, 4);
  const W = 560;
  const legendRows = releases.length;
  const H = 206 + 16 * legendRows;
  const left = 72;
  const right = 16;
  const top = 14;
  const bottom = 26 + 16 * legendRows;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const band = plotW / Math.max(1, periods.length);
  const y = (v: number) => top + plotH - ((v - lo) / (hi - lo)) * plotH;
  // positions and each release's and each (period, release)'s points, indexed once (a series of many releases is not scanned per mark)
  const periodAt = new Map<string, number>();
  periods.forEach((p, i) => {
    if (!periodAt.has(p)) periodAt.set(p, i);
  });
  const releaseAt = new Map<string, number>();
  releases.forEach((r, k) => {
    if (!releaseAt.has(r.release)) releaseAt.set(r.release, k);
  });
  const byRelease = new Map<string, ReportSeriesPoint[]>();
  const byCell = new Map<string, ReportSeriesPoint[]>();
  for (const p of series.points) {
    pushToKey(byRelease, p.release, p);
    pushToKey(byCell, `${p.period}\u0000${p.release}`, p);
  }
  const x = (period: string, release: string) => {
    const i = periodAt.get(period) ?? -1;
    const k = releaseAt.get(release) ?? -1;
    const offset = releases.length > 1 ? ((k - (releases.length - 1) / 2) * Math.min(14, band / (releases.length + 1))) : 0;
    return left + band * (i + 0.5) + offset;
  };
  const involved = series.points.filter((p) => p.involved);
  const what = `${series.measure}, ${series.geography}${series.breakdown ? `, ${series.breakdown}` : ''}`;
  const titleId = `${id}-t`;
  const descId = `${id}-d`;
  const desc =
    `${periods.length === 1 ? 'One period' : `${periods.length} periods, ${periods[0]} to ${periods[periods.length - 1]}`}, ` +
    `${releases.length === 1 ? 'one release' : `${releases.length} releases`}; ` +
    `${involved.length} ${involved.length === 1 ? 'value' : 'values'} this finding is about ringed in red: ` +
    involved.map((p) => `${p.period} ${p.raw} (${p.release})`).join('; ') +
    '. The value axis does not start at zero.';
  const svg: string[] = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${titleId} ${descId}">`,
    `<title id="${titleId}">${t(`Every release's value of ${what}, by period`)}</title>`,
    `<desc id="${descId}">${t(desc)}</desc>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fcfcfd" stroke="#d0d5dd"/>`,
  ];
  for (const tick of ticks) {
    if (tick < lo || tick > hi) continue;
    svg.push(`<line x1="${left}" x2="${left + plotW}" y1="${n(y(tick))}" y2="${n(y(tick))}" stroke="#eaecf0"/>`, `<text x="${left - 6}" y="${n(y(tick) + 4)}" text-anchor="end" font-size="11" fill="#475467">${t(fmt(tick))}</text>`);
  }
  periods.forEach((p, i) => svg.push(`<text x="${n(left + band * (i + 0.5))}" y="${top + plotH + 16}" text-anchor="middle" font-size="11" fill="#475467">${t(p)}</text>`));
  // a line per release through its values, then the marks
  releases.forEach((r, k) => {
    const pts = sortBy(byRelease.get(r.release) ?? [], (o) => [o.period, o.value]);
    const firstPerPeriod = pts.filter((p, i) => i === 0 || pts[i - 1]!.period !== p.period);
    if (firstPerPeriod.length > 1) svg.push(`<polyline fill="none" stroke="${PALETTE[k % PALETTE.length]}" stroke-opacity=".45" stroke-width="1.5" points="${firstPerPeriod.map((p) => `${n(x(p.period, p.release))},${n(y(p.value))}`).join(' ')}"/>`);
  });
  releases.forEach((r, k) => {
    for (const p of byRelease.get(r.release) ?? []) {
      const cx = x(p.period, p.release);
      const cy = y(p.value);
      if (p.involved) svg.push(`<circle cx="${n(cx)}" cy="${n(cy)}" r="8" fill="none" stroke="#b42318" stroke-width="2"/>`);
      svg.push(mark(SHAPES[k % SHAPES.length]!, cx, cy, 4, PALETTE[k % PALETTE.length]!));
    }
  });
  // legend: a line per release, under the plot
  releases.forEach((r, k) => {
    const label = `${r.release}${r.release_date ? ` (${r.release_date})` : ''}`;
    const ly = top + plotH + 34 + 16 * k;
    svg.push(mark(SHAPES[k % SHAPES.length]!, left + 5, ly - 4, 4, PALETTE[k % PALETTE.length]!), `<text x="${left + 14}" y="${ly}" font-size="11" fill="#101828">${t(label)}</text>`);
  });
  svg.push(`<circle cx="${W - 150}" cy="${top + plotH + 30}" r="6" fill="none" stroke="#b42318" stroke-width="2"/><text x="${W - 140}" y="${top + plotH + 34}" font-size="11" fill="#101828">this finding's values</text>`);
  svg.push('</svg>');

  // the same figures as a table: a row per period, a column per release
  const rows = periods.map((p) => {
    const cells = releases.map((r) => {
      const here = sortBy(byCell.get(`${p}\u0000${r.release}`) ?? [], (o) => [o.raw]);
      if (here.length === 0) return '<td class="n">—</td>';
      return `<td class="n">${here.map((q) => (q.involved ? `<mark>${t(q.raw)}</mark>` : t(q.raw)) + (q.places > 1 ? ` <span class="meta">×${q.places}</span>` : '')).join('<br>')}</td>`;
    });
    return `<tr><th scope="row">${t(p)}</th>${cells.join('')}</tr>`;
  });
  const table = [
    '<table class="series">',
    `<caption>${t(what)}: the value each release gives (marked: this finding's values; ×n: stated in n places)${series.omitted_releases ? `; ${series.omitted_releases} other releases giving this figure are not shown` : ''}</caption>`,
    `<thead><tr><th scope="col">Period</th>${releases.map((r) => `<th scope="col">${t(r.release)}${r.release_date ? `<br><span class="meta">${t(r.release_date)}</span>` : ''}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ];
  return `<figure class="picture">\n${svg.join('\n')}\n${table.join('\n')}\n</figure>`;
}

interface Part {
  label: string;
  raw: string;
  share: number;
}

interface Distribution {
  title: string;
  /** The printed parts added up ("3,075"; "98" for percentages). */
  total: string;
  /** What the shares are of: "n = 3,074", or "" for percentages. */
  of: string;
  parts: Part[];
}

/** The parts of each distribution a percentage finding is about, as shares of their whole (one per column). */
export function distributions(f: Finding, input: ReportInput): Distribution[] {
  const hits = locateEvidence(f, input);
  const groups = new Map<string, { title: string; base: number | null; baseRaw: string; parts: Part[]; raw: Array<{ label: string; raw: string; value: number; row: number }> }>();
  const order: string[] = [];
  let pendingBase: { value: number; raw: string } | null = null;
  f.evidence.forEach((e, i) => {
    if (e.role === 'base') {
      const v = numberOf(e.value);
      if (v !== null && v > 0) pendingBase = { value: v, raw: e.value ?? '' };
      return;
    }
    if (e.role !== 'part') return;
    const value = numberOf(e.value);
    if (value === null) return;
    const hit = hits[i];
    const column = hit ? hit.table.columns.find((c) => c.index === hit.cell.column) : undefined;
    const row = hit ? hit.table.rows.find((r) => r.index === hit.cell.row) : undefined;
    const key = hit ? `${hit.table.table_id}\u0000${hit.cell.column}` : '';
    const label = row ? row.label_path[row.label_path.length - 1] ?? '' : (e.excerpt.split(' — ').pop() ?? e.where).replace(/:\s*[^:]*$/u, '');
    let g = groups.get(key);
    if (!g) {
      g = { title: hit ? `${hit.table.title}${column ? `, column "${column.header_path.join(' › ')}"` : ''} (${hit.table.file})` : f.message, base: null, baseRaw: '', parts: [], raw: [] };
      groups.set(key, g);
      order.push(key);
    }
    if (g.base === null && pendingBase !== null) {
      const b: { value: number; raw: string } = pendingBase;
      g.base = b.value;
      g.baseRaw = b.raw;
      pendingBase = null;
    }
    if (!g.raw.some((p) => p.label === label && p.raw === (e.value ?? ''))) g.raw.push({ label, raw: e.value ?? '', value, row: hit ? hit.cell.row : i });
  });
  const out: Distribution[] = [];
  const seen = new Set<string>();
  for (const key of order) {
    const g = groups.get(key)!;
    if (g.raw.length === 0) continue;
    // in the table's order of rows (evidence comes in locator order: D10 before D8)
    g.raw.sort((a, b) => a.row - b.row);
    // the same parts in another edition of the table (a merged finding) are drawn once
    const sig = JSON.stringify([g.base, g.raw.map((p) => [p.label, p.raw])]);
    if (seen.has(sig)) continue;
    seen.add(sig);
    if (f.check === 'count-sum-base') {
      if (g.base === null) continue;
      out.push({ title: g.title, total: fmt(g.raw.reduce((s, p) => s + p.value, 0)), of: `n = ${fmt(g.base)}`, parts: g.raw.map((p) => ({ label: p.label, raw: p.raw, share: (p.value / g.base!) * 100 })) });
    } else out.push({ title: g.title, total: fmt(g.raw.reduce((s, p) => s + p.value, 0)), of: '', parts: g.raw.map((p) => ({ label: p.label, raw: p.raw, share: p.value })) });
  }
  return out;
}

const BAR_FILLS = ['#175cd3', '#84adff', '#b54708', '#fdb022', '#067647', '#75e0a7', '#6941c6', '#bdb4fe', '#475467', '#d0d5dd'];

/** A stacked bar to 100% per distribution, with what the parts make and a table of the parts. */
export function distributionBars(f: Finding, input: ReportInput, id: string, limit = 6): string {
  const all = distributions(f, input);
  if (all.length === 0) return '';
  const shown = all.slice(0, limit);
  const W = 560;
  const left = 8;
  const barW = W - 2 * left - 60;
  const out: string[] = [];
  shown.forEach((d, k) => {
    const sum = d.parts.reduce((s, p) => s + p.share, 0);
    const scale = barW / Math.max(100, sum);
    const H = 54;
    const titleId = `${id}-b${k}-t`;
    const descId = `${id}-b${k}-d`;
    const made = `${percentText(sum)}%`;
    const gap = Math.abs(sum - 100);
    const desc = `${d.parts.length} parts${d.of ? ` as shares of ${d.of}` : ''} add up to ${made}${gap < 1e-9 ? '' : sum > 100 ? `, ${gapText(gap)} points over 100%` : `, ${gapText(gap)} points short of 100%`}${d.of ? ` (${d.total} of ${d.of})` : ''}: ` + d.parts.map((p) => `${p.label} ${p.raw}`).join('; ') + '.';
    const svg: string[] = [
      `<svg class="chart bar" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${titleId} ${descId}">`,
      `<title id="${titleId}">${t(`The parts of ${d.title} as a bar to 100%`)}</title>`,
      `<desc id="${descId}">${t(desc)}</desc>`,
      `<rect x="${left}" y="8" width="${n(100 * scale)}" height="22" fill="#f2f4f7" stroke="#d0d5dd"/>`,
    ];
    let at = left;
    d.parts.forEach((p, i) => {
      const w = Math.max(0, p.share * scale);
      svg.push(`<rect x="${n(at)}" y="8" width="${n(w)}" height="22" fill="${BAR_FILLS[i % BAR_FILLS.length]}" stroke="#fff" stroke-width=".5"><title>${t(`${p.label}: ${p.raw}${d.of ? ` (${fmt(Math.round(p.share * 10) / 10)}% of ${d.of})` : ''}`)}</title></rect>`);
      at += w;
    });
    const hundred = left + 100 * scale;
    svg.push(
      `<line x1="${n(hundred)}" x2="${n(hundred)}" y1="2" y2="36" stroke="#101828" stroke-width="1.5" stroke-dasharray="3 2"/>`,
      `<text x="${n(hundred)}" y="48" text-anchor="middle" font-size="11" fill="#101828">100%</text>`,
      `<text x="${n(Math.min(W - 4, at + 6))}" y="24" text-anchor="${at + 60 > W ? 'end' : 'start'}" font-size="12" font-weight="600" fill="${gap > 1e-9 ? '#b42318' : '#067647'}">${t(made)}</text>`,
      '</svg>',
    );
    const rows = d.parts.map((p, i) => `<tr><td><span class="swatch" style="background:${BAR_FILLS[i % BAR_FILLS.length]}"></span></td><th scope="row">${t(p.label)}</th><td class="n">${t(p.raw)}</td>${d.of ? `<td class="n">${fmt(Math.round(p.share * 10) / 10)}%</td>` : ''}</tr>`);
    out.push(
      '<figure class="picture">',
      svg.join('\n'),
      '<table class="parts">',
      `<caption>${t(d.title)}: parts${d.of ? ` as shares of ${d.of}` : ''}, adding up to ${t(made)}</caption>`,
      `<thead><tr><td></td><th scope="col">Part</th><th scope="col">Printed</th>${d.of ? '<th scope="col">Share</th>' : ''}</tr></thead>`,
      '<tbody>',
      ...rows,
      `<tr class="total"><td></td><th scope="row">All parts</th><td class="n">${t(d.total)}</td>${d.of ? `<td class="n">${t(made)}</td>` : ''}</tr>`,
      '</tbody>',
      '</table>',
      '</figure>',
    );
  });
  if (all.length > shown.length) out.push(`<p class="meta">${all.length - shown.length} more ${all.length - shown.length === 1 ? 'distribution' : 'distributions'} in this finding (see the evidence).</p>`);
  return out.join('\n');
}

/** The pictures of a finding: revision charts or distribution bars, '' when it has none. */
export function findingPictures(f: Finding, input: ReportInput, id: string): string {
  const parts: string[] = [];
  if (SERIES_CHECKS.has(f.check)) {
    const list = input.series?.[f.id] ?? [];
    list.forEach((s, i) => {
      if (s.points.length > 0) parts.push(revisionChart(s, `${id}-s${i}`));
    });
  }
  if (DISTRIBUTION_CHECKS.has(f.check)) {
    const bars = distributionBars(f, input, id);
    if (bars) parts.push(bars);
  }
  return parts.join('\n');
}
