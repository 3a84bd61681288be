import type { CheckSummary, Evidence, Finding } from '../contracts.js';
import {
  checkIds,
  clipText,
  countBySeverity,
  decisionByline,
  decisionLine,
  describeCheck,
  groupBySeverity,
  oneLine,
  orderedCorpus,
  orderedProblems,
  orderedSummaries,
  plural,
  pushAll,
  raisedByCheck,
  severityLabel,
  SEVERITIES,
  SEVERITY_HEADING,
  splitByDecision,
  summaryLine,
} from './shared.js';
import type { LineSink, ReportDecision, ReportInput } from './types.js';
import { findingPictures } from './charts.js';
import { MAX_TABLES, locateEvidence, locatorLink, printedTables, proseSentences, statementOf } from './evidence.js';
import { CHANGES_CSS, renderChangesHtml } from './changes.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML content and (quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Escaped, whitespace collapsed to one line. */
function t(text: string): string {
  return escapeHtml(oneLine(text));
}

const CSS = `
:root{--error:#b42318;--error-bg:#fef3f2;--warning:#b54708;--warning-bg:#fffaeb;--info:#175cd3;--info-bg:#eff8ff;--ok:#067647;--line:#d0d5dd;--muted:#475467}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#101828;background:#fff;margin:0 auto;max-width:72rem;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .5rem}h2{font-size:1.25rem;margin:2rem 0 .75rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f9fafb}td.n{text-align:right;font-variant-numeric:tabular-nums}tr.crashed td{background:var(--error-bg)}
table.checks td.n,table.checks th:nth-child(n+4){width:1%;white-space:nowrap}table.checks td:first-child{min-width:11em}
.summary{color:var(--muted)}.badges{display:flex;gap:.5rem;flex-wrap:wrap;margin:.5rem 0 1rem}
.badge{display:inline-block;border-radius:999px;padding:.15rem .7rem;font-weight:600;border:1px solid currentColor}
.badge.error{color:var(--error);background:var(--error-bg)}.badge.warning{color:var(--warning);background:var(--warning-bg)}
.badge.info{color:var(--info);background:var(--info-bg)}.badge.docs{color:var(--muted)}
.sev{font-weight:600;text-transform:uppercase;font-size:.8em}.sev.error{color:var(--error)}.sev.warning{color:var(--warning)}.sev.info{color:var(--info)}
#filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;padding:.6rem .8rem;border:1px solid var(--line);border-radius:.5rem;background:#f9fafb;position:sticky;top:0;z-index:1}
#filters[hidden]{display:none}#filters input[type=search]{min-width:16rem}
.finding{border:1px solid var(--line);border-left:6px solid var(--muted);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0;break-inside:avoid;page-break-inside:avoid}
.finding.error{border-left-color:var(--error)}.finding.warning{border-left-color:var(--warning)}.finding.info{border-left-color:var(--info)}
.finding h4{font-size:1.05rem;margin:0 0 .4rem}.fid{user-select:all;background:#f2f4f7;padding:.05rem .3rem;border-radius:.25rem}
.meta{color:var(--muted);margin:.2rem 0}.cmp{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.5rem 0}
.cmp dt{font-weight:600}.cmp dd{margin:0}.evidence{margin:.4rem 0 0;padding-left:1.2rem}.evidence li{margin:.2rem 0}
.where{background:#f2f4f7;padding:.05rem .3rem;border-radius:.25rem}.excerpt{color:#344054}
button.copy{font-size:.8em;margin-left:.4rem;cursor:pointer}button.copy[hidden]{display:none}
.none{color:var(--ok);font-weight:600}
.decision{margin:.3rem 0;padding:.3rem .6rem;border-radius:.35rem;background:#ecfdf3;border:1px solid #abefc6}.verdict{font-weight:600}
.finding.decided{opacity:.85}
@media print{body{max-width:none;padding:0;font-size:11pt}#filters,button.copy{display:none!important}.finding[hidden]{display:block!important}a{color:inherit}}
`;

/** Evidence as printed, pictures, and a print stylesheet that prints the findings, not the chrome. */
const EVIDENCE_CSS = `
caption{caption-side:top;text-align:left;font-weight:600;padding:.2rem 0}caption .meta,caption .subtitle{font-weight:400}
.printed{overflow-x:auto;margin:.6rem 0}table.asprinted,table.series,table.parts{width:auto;font-size:.9em}
table.asprinted th[scope=row]{font-weight:400;background:#fcfcfd}table.asprinted tr.total th,table.asprinted tr.total td{font-weight:600}
table.asprinted th.hitcol{background:#fef0c7}td.hit{background:#fef0c7;outline:2px solid #dc6803;outline-offset:-2px}
td.hit mark{background:none;font-weight:700;color:inherit}.exp{display:block;color:var(--error);font-size:.85em;white-space:nowrap}
td.hit .role{display:block;color:var(--muted);font-size:.75em}tr.gap td{color:var(--muted);font-style:italic;text-align:center;background:#fcfcfd}
.base{color:var(--muted);font-weight:400;font-size:.85em}tr.sum th,tr.sum td{border-top:2px solid #101828;font-weight:600}.raised{display:block;font-size:.85em;color:var(--muted);white-space:nowrap}
blockquote.prose{margin:.5rem 0;padding:.4rem .8rem;border-left:4px solid var(--line);background:#fcfcfd}blockquote.prose p{margin:0}
blockquote.prose mark{background:#fef0c7;font-weight:700;padding:0 .1rem}blockquote.prose footer{font-size:.85em;color:var(--muted)}
figure.picture{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start;margin:.6rem 0}svg.chart{max-width:100%;height:auto}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #fff;vertical-align:middle}
a.src{color:inherit;text-decoration:none}a.src code{text-decoration:underline;text-decoration-color:#98a2b3}.cellref{color:var(--muted);font-size:.85em}
details.full{display:inline}details.full summary{display:inline;cursor:pointer;color:var(--info);font-size:.85em}.print-only{display:none}
#shown{font-weight:600}
@media print{
#filters,button.copy,.noprint,details.full>summary,.clip{display:none!important}.print-only{display:inline!important}
*{position:static!important}body{font-size:10pt}h2{break-after:avoid}
table{width:auto;max-width:100%;table-layout:auto}th,td{overflow-wrap:anywhere;word-break:normal;padding:.2rem .3rem}
#checks table{font-size:8.5pt}#checks td:nth-child(3){min-width:14em}.printed{overflow:visible}
.finding{break-inside:auto}.finding h4,table.asprinted tr,figure.picture{break-inside:avoid}
.finding.decided{opacity:1}mark,td.hit{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a.src code{text-decoration:none}
}
`;

/** Toggles only `hidden` on finding cards; without JS the page is complete and the filter bar stays hidden. */
const SCRIPT = `
(function () {
  var bar = document.getElementById('filters');
  var cards = Array.prototype.slice.call(document.querySelectorAll('article.finding'));
  var count = document.getElementById('shown');
  if (!bar) return;
  bar.hidden = false;
  function apply() {
    var sev = {};
    bar.querySelectorAll('input[data-sev]').forEach(function (b) { sev[b.getAttribute('data-sev')] = b.checked; });
    var check = bar.querySelector('select').value;
    var q = bar.querySelector('input[type=search]').value.trim().toLowerCase();
    var shown = 0;
    cards.forEach(function (c) {
      var ok = sev[c.getAttribute('data-severity')] && (check === '' || c.getAttribute('data-check') === check) &&
        (q === '' || c.textContent.toLowerCase().indexOf(q) !== -1);
      c.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = 'Showing ' + shown + ' of ' + cards.length + (cards.length === 1 ? ' finding' : ' findings');
  }
  bar.addEventListener('input', apply);
  bar.addEventListener('change', apply);
  document.querySelectorAll('button.copy').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () {
      var id = b.getAttribute('data-id');
      if (navigator.clipboard) navigator.clipboard.writeText(id).then(function () { b.textContent = 'Copied'; });
    });
  });
  apply();
})();
`;

/** Longest excerpt shown whole in an evidence list; a longer one is cut at a word, the rest a click (or the print) away. */
export const EXCERPT_SHOWN = 160;

/** Text cut at a word boundary with an ellipsis when long; the full text in a <details> on screen and in print. */
export function shortened(text: string, max: number): string {
  // a text a check already cut inside a word ("… for ev…") is whole only up to its last whole word
  const one = clipText(text, Number.MAX_SAFE_INTEGER).text;
  const clip = clipText(one, max);
  if (!clip.clipped) return escapeHtml(one);
  return `<span class="clip">${escapeHtml(clip.text)}</span><details class="full noprint"><summary>full text</summary>${escapeHtml(one)}</details><span class="print-only">${escapeHtml(one)}</span>`;
}

function evidenceItem(e: Evidence, rawBase: string | undefined): string {
  const parts = [locatorLink(e.locator, rawBase, e.where)];
  if (e.role !== null) parts.push(`<span class="role">${t(e.role)}</span>`);
  if (e.value !== null) parts.push(`value <strong>${t(e.value)}</strong>`);
  const excerpt = oneLine(e.excerpt);
  if (excerpt !== '') parts.push(`<span class="excerpt">“${shortened(excerpt, EXCERPT_SHOWN)}”</span>`);
  return `<li>${parts.join(' — ')}</li>`;
}

/** Whether every piece of evidence (but a base n, printed over its column) is in a table or sentence shown as printed: then the list starts closed. */
function shownAsPrinted(f: Finding, input: ReportInput): boolean {
  const hits = locateEvidence(f, input);
  if (new Set(hits.map((h) => h?.table.table_id)).size > MAX_TABLES) return false;
  return f.evidence.every((e, i) => hits[i] !== null || e.role === 'base' || statementOf(e, f, input) !== undefined);
}

/** The finding's evidence as the source shows it (its tables, its sentences) and its pictures. */
function sourceViews(f: Finding, input: ReportInput): string[] {
  const views = [...printedTables(f, input), ...proseSentences(f, input)];
  const pictures = findingPictures(f, input, `fig-${f.id.replace(/[^a-z0-9-]/g, '-')}`);
  const out: string[] = [];
  if (views.length > 0) out.push('<div class="asprinted-views">', ...views, '</div>');
  if (pictures !== '') out.push(pictures);
  return out;
}

function decisionHtml(d: ReportDecision, findingId: string): string {
  const merged = d.finding_id === findingId ? '' : ` (recorded on <code>${t(d.finding_id)}</code>, now merged into this finding)`;
  return `<p class="decision">Decision: <span class="verdict">${t(d.verdict)}</span> by ${t(d.by)} on ${t(d.decided_on)}: ${t(d.note)}${merged}</p>`;
}

function findingCard(input: ReportInput, f: Finding, decision?: ReportDecision): string {
  return [
    `<article class="finding ${f.severity}${decision ? ' decided' : ''}" id="${escapeHtml(f.id)}" data-severity="${f.severity}" data-check="${escapeHtml(f.check)}"${decision ? ` data-verdict="${escapeHtml(decision.verdict)}"` : ''}>`,
    `<h4><span class="sev ${f.severity}">${f.severity}</span> ${t(f.message)}</h4>`,
    `<p class="meta">id <code class="fid">${escapeHtml(f.id)}</code><button type="button" class="copy" data-id="${escapeHtml(f.id)}" hidden>Copy id</button> · check <code>${t(f.check)}</code></p>`,
    ...(decision ? [decisionHtml(decision, f.id)] : []),
    `<dl class="cmp"><dt>Expected</dt><dd>${t(f.expected)}</dd><dt>Actual</dt><dd>${t(f.actual)}</dd><dt>Tolerance</dt><dd>${t(f.tolerance)}</dd></dl>`,
    ...sourceViews(f, input),
    `<details class="evidence-list"${shownAsPrinted(f, input) ? '' : ' open'}><summary>Evidence (${f.evidence.length})${shownAsPrinted(f, input) ? ': every piece is shown above as printed' : ''}</summary>`,
    `<ul class="evidence">`,
    ...f.evidence.map((e) => evidenceItem(e, input.rawBase)),
    `</ul>`,
    `</details>`,
    `</article>`,
  ].join('\n');
}

function checkRow(input: ReportInput, s: CheckSummary, raised: ReturnType<typeof raisedByCheck>): string {
  const cls = s.crashed > 0 ? ' class="crashed"' : '';
  const r = raised.get(s.check);
  const findings = r ? r.error + r.warning + r.info : 0;
  const nums = [s.evaluated, s.passed, s.failed, findings, s.undecided, s.crashed].map((n) => `<td class="n">${n}</td>`).join('');
  const label = severityLabel(s, r);
  const rest = label.slice(s.severity.length).trim();
  return `<tr${cls}><th scope="row"><code>${t(s.check)}</code><br><span class="title">${t(s.title)}</span></th><td><span class="sev ${s.severity}">${s.severity}</span>${rest ? ` <span class="raised">${t(rest)}</span>` : ''}</td><td>${t(describeCheck(input, s.check) ?? '')}</td>${nums}</tr>`;
}

/** The discrepancy report as one self-contained HTML5 page. Pure and deterministic. */
export function renderHtml(input: ReportInput): string {
  const out: string[] = [];
  renderHtmlTo(input, out);
  return `${out.join('\n')}\n`;
}

/** renderHtml's lines (the page is them joined by newlines, with one at the end), pushed to `out` as they are made: a large report is written without holding it whole. */
export function renderHtmlTo(input: ReportInput, out: LineSink): void {
  const counts = countBySeverity(input.findings);
  const split = splitByDecision(input);
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    `<title>${t(input.title)}</title>`,
    `<style>${CSS}${CHANGES_CSS}</style>`,
    `<style>${EVIDENCE_CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${t(input.title)}</h1>`,
    `<p class="summary">${escapeHtml(summaryLine(input))}.</p>`,
    ...(input.decisions !== undefined ? [`<p class="summary decisions">${escapeHtml(decisionLine(split))}.</p>`] : []),
    '<div class="badges">',
    ...SEVERITIES.map((s) => `<span class="badge ${s}">${counts[s]} ${s === 'info' ? 'info' : counts[s] === 1 ? s : `${s}s`}</span>`),
    `<span class="badge docs">${plural(input.corpus.length, 'document', 'documents')}</span>`,
    '</div>',
  );
  pushAll(out, renderChangesHtml(input));

  out.push('<section id="documents">', '<h2>Documents</h2>');
  if (input.corpus.length === 0) out.push('<p>No documents.</p>');
  else {
    out.push('<table>', `<caption>The ${plural(input.corpus.length, 'document', 'documents')} of raw/ this run read</caption>`, '<thead><tr><th scope="col">File</th><th scope="col">Title</th><th scope="col">Publisher</th><th scope="col">Release date</th></tr></thead>', '<tbody>');
    for (const d of orderedCorpus(input.corpus))
      out.push(`<tr><th scope="row"><code>${t(d.file)}</code></th><td>${t(d.title)}</td><td>${t(d.publisher)}</td><td>${d.release_date === null ? '—' : t(d.release_date)}</td></tr>`);
    out.push('</tbody>', '</table>');
  }
  out.push('</section>');

  if (input.problems.length > 0) {
    out.push('<section id="problems">', '<h2>Document problems</h2>', '<table>', '<caption>Files that failed, are missing or changed against the manifest, were skipped or gave nothing to read</caption>', '<thead><tr><th scope="col">File</th><th scope="col">Problem</th><th scope="col">Severity</th><th scope="col">Stage</th><th scope="col">What happened</th></tr></thead>', '<tbody>');
    for (const p of orderedProblems(input.problems)) out.push(`<tr><th scope="row"><code>${t(p.file)}</code></th><td>${t(p.kind)}</td><td>${t(p.severity)}</td><td>${t(p.stage)}</td><td>${t(p.message)}</td></tr>`);
    out.push('</tbody>', '</table>', '</section>');
  }

  out.push('<section id="checks">', '<h2>Checks</h2>');
  const summaries = orderedSummaries(input.summaries);
  if (summaries.length === 0) out.push('<p>No checks ran.</p>');
  else {
    out.push(
      '<table class="checks">',
      '<caption>Each check: its severity and what it raised in this run (a finding may be downgraded to a warning or merged with others), and what became of what it looked at. Failed counts subjects before merging; Findings counts what the report lists.</caption>',
      '<thead><tr><th scope="col">Check</th><th scope="col">Severity</th><th scope="col">What it tests</th><th scope="col">Evaluated</th><th scope="col">Passed</th><th scope="col">Failed</th><th scope="col">Findings</th><th scope="col">Undecided</th><th scope="col">Crashed</th></tr></thead>',
      '<tbody>',
    );
    const raised = raisedByCheck(input.findings);
    pushAll(out, summaries.map((s) => checkRow(input, s, raised)));
    out.push('</tbody>', '</table>');
    const crashes = summaries.flatMap((s) => s.crashes.map((c) => `<li><code>${t(s.check)}</code>: ${t(c)}</li>`));
    if (crashes.length > 0) {
      out.push('<h3>Check crashes</h3>', '<ul>');
      pushAll(out, crashes);
      out.push('</ul>');
    }
  }
  out.push('</section>');

  out.push('<section id="findings">', '<h2>Findings</h2>');
  const groups = groupBySeverity(split.undecided);
  if (input.findings.length === 0) out.push('<p class="none">No findings.</p>');
  else {
    out.push(
      '<form id="filters" hidden onsubmit="return false">',
      ...SEVERITIES.map((s) => `<label><input type="checkbox" data-sev="${s}" checked> ${SEVERITY_HEADING[s]}</label>`),
      '<label>Check <select><option value="">All checks</option>',
      ...checkIds(input).map((c) => `<option value="${escapeHtml(c)}">${t(c)}</option>`),
      '</select></label>',
      '<label>Search <input type="search" placeholder="message, id, file…"></label>',
      '<output id="shown" aria-live="polite"></output>',
      '</form>',
    );
    if (groups.length === 0) out.push('<p>Every finding is decided (below).</p>');
    for (const g of groups) {
      out.push(`<h3 class="group ${g.severity}">${SEVERITY_HEADING[g.severity]} (${g.findings.length})</h3>`);
      // one card at a time: a group's cards together are most of a large report
      for (const f of g.findings) out.push(findingCard(input, f));
    }
    if (split.decided.length > 0) {
      out.push(`<h3 class="group decided" id="decided">Decided (${split.decided.length})</h3>`, '<p class="meta">Findings a steward has decided on (checks/decisions.jsonl, davs review); they do not count towards --fail-on.</p>');
      for (const severity of SEVERITIES) {
        for (const { finding, decision } of split.decided) if (finding.severity === severity) out.push(findingCard(input, finding, decision));
      }
    }
  }
  out.push('</section>');
  if (split.stale.length > 0) {
    out.push(
      '<section id="stale-decisions">',
      `<h2>Decisions on findings that no longer occur (${split.stale.length})</h2>`,
      '<p>Recorded in checks/decisions.jsonl, but this run did not give the finding (the figures changed, or the check did): kept, not applied. Remove the line once it is of no more use.</p>',
      '<table>',
      '<caption>Stale decisions</caption>',
      '<thead><tr><th scope="col">Finding</th><th scope="col">Decision</th><th scope="col">Note</th></tr></thead>',
      '<tbody>',
    );
    for (const d of split.stale) out.push(`<tr><th scope="row"><code>${t(d.finding_id)}</code></th><td>${t(decisionByline(d))}</td><td>${t(d.note)}</td></tr>`);
    out.push('</tbody>', '</table>', '</section>');
  }
  out.push(`<script>${SCRIPT}</script>`, '</body>', '</html>');
}
