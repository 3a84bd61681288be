import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Evidence, Finding } from '../contracts.js';
import { groupBy, pushToKey } from '../../core/collections.js';
import { compareLocators, formatLocator, type Locator } from '../../core/locator.js';
import { compareKeys } from '../../core/sort.js';
import { tableOfCell, type EvidenceExtraction } from '../../extract/evidence.js';
import type { Observation } from '../../transform/contracts.js';
import { SERIES_CHECKS } from './charts.js';
import type { DocumentEvidence, ReportSeries, ReportSeriesPoint, ReportStatement, ReportTable } from './types.js';

/** Every finding's evidence, by the document it is in and then by the finding's check (each in the findings' order). */
export function evidenceByDocument(findings: readonly Finding[]): Map<string, Map<string, Evidence[]>> {
  const out = new Map<string, Map<string, Evidence[]>>();
  for (const f of findings) {
    for (const e of f.evidence) {
      let byCheck = out.get(e.document);
      if (!byCheck) out.set(e.document, (byCheck = new Map()));
      pushToKey(byCheck, f.check, e);
    }
  }
  return out;
}

/**
 * The tables of its document that `evidence` may name (each cell's by its id, extract/evidence.ts
 * tableOfCell), or 'all' when a piece of evidence is placed by where it is and what it reads
 * rather than by id (documentEvidenceByGroup looks that up among every cell). What documentEvidenceByGroup needs
 * of the document's tables, if the cells are where their ids say: holdsEvidenceCells tells (and the
 * report stage, pipelines/report-stage.ts, then reads every table).
 */
export function evidenceTables(evidence: readonly Evidence[]): Set<string> | 'all' {
  const tables = new Set<string>();
  for (const e of evidence) {
    if (e.source_kind === 'cell' && e.source_id !== null) tables.add(tableOfCell(e.source_id));
    else if (e.source_kind === null && e.value !== null) return 'all';
  }
  return tables;
}

/** Whether `x` holds every cell `evidence` names by id (read with evidenceTables' tables, it may not, if a cell id was made otherwise). */
export function holdsEvidenceCells(x: EvidenceExtraction, evidence: readonly Evidence[]): boolean {
  const wanted = evidence.filter((e) => e.source_kind === 'cell' && e.source_id !== null);
  if (wanted.length === 0) return true;
  const held = new Set(x.cells.map((c) => c.cell_id));
  return wanted.every((e) => held.has(e.source_id!));
}

/**
 * The tables (as printed) and sentences of one document that each group of its evidence rests on
 * (the evidence of each check's findings in it: the report stage's shelf), the document's cells
 * indexed once for all of them. Pure.
 */
export function documentEvidenceByGroup<K>(x: EvidenceExtraction, groups: ReadonlyMap<K, readonly Evidence[]>): Map<K, DocumentEvidence> {
  const out = new Map<K, DocumentEvidence>();
  const cellTable = new Map<string, string>();
  const cellByPlace = new Map<string, string>();
  for (const c of x.cells) {
    cellTable.set(c.cell_id, c.table_id);
    const key = `${formatLocator(c.locator)}\u0000${c.figure.raw.trim()}`;
    if (!cellByPlace.has(key)) cellByPlace.set(key, c.table_id);
  }
  const statementById = new Map(x.statements.map((s) => [s.statement_id, s]));
  let grouped: { cellsOf: Map<string, EvidenceExtraction['cells']>; statusesOf: Map<string, EvidenceExtraction['statuses']>; tableById: Map<string, EvidenceExtraction['tables'][number]> } | undefined;
  // a table two groups rest on is made once
  const made = new Map<string, ReportTable | null>();
  const tableOf = (tid: string): ReportTable | null => {
    const before = made.get(tid);
    if (before !== undefined) return before;
    // the document's cells and statuses by table, grouped once (in their order)
    grouped ??= { cellsOf: groupBy(x.cells, (c) => c.table_id), statusesOf: groupBy(x.statuses, (c) => c.table_id), tableById: new Map(x.tables.map((t) => [t.table_id, t])) };
    const table = grouped.tableById.get(tid);
    let shown: ReportTable | null = null;
    if (table) {
      const cells: ReportTable['cells'] = [
        ...(grouped.cellsOf.get(tid) ?? []).map((c) => ({ row: c.row_index, column: c.column_index, raw: c.figure.raw, cell_id: c.cell_id, locator: c.locator })),
        ...(grouped.statusesOf.get(tid) ?? []).map((c) => ({ row: c.row_index, column: c.column_index, raw: c.raw, cell_id: null, locator: c.locator })),
      ].sort((a, b) => compareKeys([a.row, a.column], [b.row, b.column]));
      shown = {
        table_id: tid,
        file: x.document.file,
        title: table.title,
        subtitle: table.subtitle,
        locator: table.locator,
        columns: table.columns.map((c) => ({ index: c.index, header_path: c.header_path, base: c.base === null ? null : c.base.raw })),
        rows: table.rows.map((r) => ({ index: r.index, label_path: r.label_path, role: r.role, locator: r.locator })),
        cells,
        notes: table.notes.map((n) => (n.marker && n.marker.length <= 3 && !n.text.startsWith(n.marker) ? `${n.marker} ${n.text}` : n.text)),
      };
    }
    made.set(tid, shown);
    return shown;
  };
  for (const [key, evidence] of groups) {
    const wantedTables = new Set<string>();
    const statements: Record<string, ReportStatement> = {};
    for (const e of evidence) {
      if (e.source_kind === 'cell' && e.source_id !== null) {
        const tid = cellTable.get(e.source_id);
        if (tid) wantedTables.add(tid);
      } else if (e.source_kind === 'statement' && e.source_id !== null) {
        const s = statementById.get(e.source_id);
        if (s) statements[s.statement_id] = { statement_id: s.statement_id, sentence_id: s.sentence_id, sentence: s.sentence, offset: s.offset, raw: s.figure.raw, locator: s.locator };
      } else if (e.source_kind === null && e.value !== null) {
        const tid = cellByPlace.get(`${e.where}\u0000${e.value.trim()}`);
        if (tid) wantedTables.add(tid);
      }
    }
    const tables: Record<string, ReportTable> = {};
    for (const tid of [...wantedTables].sort()) {
      const shown = tableOf(tid);
      if (shown) tables[tid] = shown;
    }
    out.set(key, { tables, statements });
  }
  return out;
}

/**
 * Each series finding's figure across periods and releases (revision charts). Pure.
 *
 * A finding's figures are those of its evidence's first observations (in the order given). With
 * `firstOfSource` (each evidence source's first observation of all, as the whole corpus orders them)
 * the observations may be some figures' only: each finding then gets the series of its figures among
 * them, in figure order (seriesKey), so figures taken in batches of consecutive keys give, batch
 * after batch, each finding's series as all at once would (pipelines/run.ts seriesOf).
 */
export function reportSeries(
  documents: ReadonlyArray<{ document_id: string; release: string }>,
  observations: readonly Observation[],
  findings: readonly Finding[],
  measureTitles: ReadonlyMap<string, string>,
  firstOfSource?: ReadonlyMap<string, Observation>,
): Record<string, ReportSeries[]> {
  // a series per figure (measure, geography, breakdown) a series finding's evidence is an observation of
  const releaseOf = new Map<string, string>();
  for (const d of documents) releaseOf.set(d.document_id, d.release);
  // each source's first observation: as given (never copied: seriesOf calls this once a batch), or of these
  let bySource: ReadonlyMap<string, Observation> | undefined = firstOfSource;
  if (!bySource) {
    const first = new Map<string, Observation>();
    for (const o of observations) if (!first.has(o.source_id)) first.set(o.source_id, o);
    bySource = first;
  }
  const byFigure = new Map<string, Observation[]>();
  for (const o of observations) {
    const key = seriesKey(o);
    const list = byFigure.get(key) ?? [];
    list.push(o);
    byFigure.set(key, list);
  }
  // one figure's points (period, release, value), each with the sources stated in it, and its
  // releases in order with the points of each: built once per figure, not per finding
  const figures = new Map<string, { first: Observation; points: ReportSeriesPoint[]; pointsOf: Map<string, number[]>; releases: ReleaseOrder } | null>();
  const figureOf = (key: string) => {
    if (figures.has(key)) return figures.get(key)!;
    const obs = byFigure.get(key) ?? [];
    const first = obs[0];
    if (!first) {
      figures.set(key, null);
      return null;
    }
    // one mark per (period, release, value): where several places state it, the first place and how many
    const points = new Map<string, ReportSeriesPoint & { locators: Locator[]; sources: Set<string> }>();
    for (const o of obs) {
      const release = releaseOf.get(o.document_id) ?? o.document_id;
      const pk = `${o.period}\u0000${release}\u0000${o.figure.value}`;
      const p = points.get(pk) ?? { period: o.period, release, release_date: o.release_date, value: o.figure.value, raw: o.figure.raw, locator: o.locator, places: 0, involved: false, locators: [], sources: new Set<string>() };
      p.places += 1;
      p.locators.push(o.locator);
      p.sources.add(o.source_id);
      points.set(pk, p);
    }
    const ordered = [...points.values()]
      .map((p) => ({ point: { period: p.period, release: p.release, release_date: p.release_date, value: p.value, raw: p.raw, locator: [...p.locators].sort(compareLocators)[0]!, places: p.places, involved: false } satisfies ReportSeriesPoint, sources: p.sources }))
      .sort((a, b) => compareKeys([a.point.period, a.point.release_date ?? '', a.point.release, a.point.value], [b.point.period, b.point.release_date ?? '', b.point.release, b.point.value]));
    const pointsOf = new Map<string, number[]>();
    ordered.forEach(({ sources }, i) => {
      for (const id of sources) pushToKey(pointsOf, id, i);
    });
    const inOrder = ordered.map((o) => o.point);
    const figure = { first, points: inOrder, pointsOf, releases: releaseOrder(inOrder) };
    figures.set(key, figure);
    return figure;
  };
  const series: Record<string, ReportSeries[]> = {};
  for (const f of findings) {
    if (!SERIES_CHECKS.has(f.check)) continue;
    const involved = evidenceSources(f);
    const keys = seriesKeysOf(involved, bySource);
    const list: ReportSeries[] = [];
    for (const key of [...keys].sort()) {
      const figure = figureOf(key);
      if (!figure) continue;
      const { first } = figure;
      const marked = new Set<number>();
      for (const id of involved) for (const i of figure.pointsOf.get(id) ?? []) marked.add(i);
      const { points, omitted } = shownReleases(figure.points, figure.releases, marked);
      list.push({ measure_id: first.measure_id, measure: measureTitles.get(first.measure_id) ?? first.measure_id, geography: first.geography, breakdown: first.breakdown, unit: first.figure.unit, points, ...(omitted > 0 ? { omitted_releases: omitted } : {}) });
    }
    if (list.length > 0) series[f.id] = list;
  }
  return series;
}

/** The ids of the cells and statements a finding's evidence was read from. */
export function evidenceSources(f: Finding): Set<string> {
  return new Set(f.evidence.flatMap((e) => (e.source_id === null ? [] : [e.source_id])));
}

/** The figures (seriesKey) of the given sources' first observations: what a series finding is about. */
export function seriesKeysOf(sources: Iterable<string>, firstOfSource: ReadonlyMap<string, Observation>): Set<string> {
  const keys = new Set<string>();
  for (const id of sources) {
    const o = firstOfSource.get(id);
    if (o) keys.add(seriesKey(o));
  }
  return keys;
}

/** The figure a revision chart is drawn for (measure, geography, breakdown): a finding's series are in the code-unit order of these keys. */
export function seriesKey(o: Pick<Observation, 'measure_id' | 'geography' | 'breakdown'>): string {
  return `${o.measure_id}\u0000${o.geography}\u0000${o.breakdown}`;
}

/** Releases a revision chart shows in full; a figure stated by more shows only some of them. */
export const MAX_SHOWN_RELEASES = 8;

/** A figure's releases, earliest first (by release date, then name), and the indexes of each one's points. */
interface ReleaseOrder {
  count: number;
  earliest: string | undefined;
  latest: string | undefined;
  pointsOfRelease: Map<string, number[]>;
}

function releaseOrder(points: readonly ReportSeriesPoint[]): ReleaseOrder {
  const pointsOfRelease = new Map<string, number[]>();
  points.forEach((p, i) => pushToKey(pointsOfRelease, p.release, i));
  const order = [...new Map(points.map((p) => [p.release, p.release_date ?? ''])).entries()].sort((a, b) => compareKeys([a[1], a[0]], [b[1], b[0]]));
  return { count: order.length, earliest: order[0]?.[0], latest: order[order.length - 1]?.[0], pointsOfRelease };
}

/**
 * The points a chart shows, each marked involved when it is one of `marked` (the finding's): every
 * release's when there are at most MAX_SHOWN_RELEASES, else the releases of the finding's values
 * with the earliest and the latest release for context (a card that grew with every release of a
 * much-repeated figure would make the report grow with the square of the corpus), each in the
 * figure's order. Returns how many releases were left out. Made from the kept releases' points
 * only: a finding does not cost every point of its figure.
 */
function shownReleases(points: readonly ReportSeriesPoint[], releases: ReleaseOrder, marked: ReadonlySet<number>): { points: ReportSeriesPoint[]; omitted: number } {
  const shown = (i: number): ReportSeriesPoint => {
    const p = points[i]!;
    return { period: p.period, release: p.release, release_date: p.release_date, value: p.value, raw: p.raw, locator: p.locator, places: p.places, involved: marked.has(i) };
  };
  if (releases.count <= MAX_SHOWN_RELEASES) return { points: points.map((_, i) => shown(i)), omitted: 0 };
  const keep = new Set([...marked].map((i) => points[i]!.release));
  keep.add(releases.earliest!);
  keep.add(releases.latest!);
  const kept = [...keep].flatMap((release) => releases.pointsOfRelease.get(release) ?? []).sort((a, b) => a - b);
  return { points: kept.map(shown), omitted: releases.count - keep.size };
}

/**
 * raw/ as a link base from the report's folder: relative where the report and raw/ share a root
 * (warehouse/reports/latest and warehouse/runs/<id> are both two folders below the warehouse, so one
 * relative link serves both), else a file:// URL.
 */
export function rawLinkBase(reportDir: string, rawDir: string): string {
  const rel = relative(reportDir, rawDir);
  if (rel === '') return './';
  if (/^[A-Za-z]:/.test(rel) || rel.startsWith(sep)) return pathToFileURL(`${rawDir}${sep}`).href;
  return `${rel.split(sep).map(encodeURIComponent).join('/')}/`;
}
