import type { CheckSummary, Evidence, Finding } from '../contracts.js';
import {
  checkIds,
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
  SEVERITIES,
  SEVERITY_HEADING,
  splitByDecision,
  summaryLine,
} from './shared.js';
import type { ReportDecision, ReportInput } from './types.js';

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
    count.textContent = shown + ' of ' + cards.length + ' shown';
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

function evidenceItem(e: Evidence): string {
  const parts = [`<code class="where">${t(e.where)}</code>`];
  if (e.role !== null) parts.push(`<span class="role">${t(e.role)}</span>`);
  if (e.value !== null) parts.push(`value <strong>${t(e.value)}</strong>`);
  const excerpt = oneLine(e.excerpt);
  if (excerpt !== '') parts.push(`<span class="excerpt">“${escapeHtml(excerpt)}”</span>`);
  return `<li>${parts.join(' — ')}</li>`;
}

function decisionHtml(d: ReportDecision, findingId: string): string {
  const merged = d.finding_id === findingId ? '' : ` (recorded on <code>${t(d.finding_id)}</code>, now merged into this finding)`;
  return `<p class="decision">Decision: <span class="verdict">${t(d.verdict)}</span> by ${t(d.by)} on ${t(d.decided_on)}: ${t(d.note)}${merged}</p>`;
}

function findingCard(f: Finding, decision?: ReportDecision): string {
  return [
    `<article class="finding ${f.severity}${decision ? ' decided' : ''}" id="${escapeHtml(f.id)}" data-severity="${f.severity}" data-check="${escapeHtml(f.check)}"${decision ? ` data-verdict="${escapeHtml(decision.verdict)}"` : ''}>`,
    `<h4><span class="sev ${f.severity}">${f.severity}</span> ${t(f.message)}</h4>`,
    `<p class="meta">id <code class="fid">${escapeHtml(f.id)}</code><button type="button" class="copy" data-id="${escapeHtml(f.id)}" hidden>Copy id</button> · check <code>${t(f.check)}</code></p>`,
    ...(decision ? [decisionHtml(decision, f.id)] : []),
    `<dl class="cmp"><dt>Expected</dt><dd>${t(f.expected)}</dd><dt>Actual</dt><dd>${t(f.actual)}</dd><dt>Tolerance</dt><dd>${t(f.tolerance)}</dd></dl>`,
    `<ul class="evidence">`,
    ...f.evidence.map(evidenceItem),
    `</ul>`,
    `</article>`,
  ].join('\n');
}

function checkRow(input: ReportInput, s: CheckSummary): string {
  const cls = s.crashed > 0 ? ' class="crashed"' : '';
  const nums = [s.evaluated, s.passed, s.failed, s.undecided, s.crashed].map((n) => `<td class="n">${n}</td>`).join('');
  return `<tr${cls}><td><code>${t(s.check)}</code><br>${t(s.title)}</td><td><span class="sev ${s.severity}">${s.severity}</span></td><td>${t(describeCheck(input, s.check) ?? '')}</td>${nums}</tr>`;
}

/** The discrepancy report as one self-contained HTML5 page. Pure and deterministic. */
export function renderHtml(input: ReportInput): string {
  const counts = countBySeverity(input.findings);
  const split = splitByDecision(input);
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    `<title>${t(input.title)}</title>`,
    `<style>${CSS}</style>`,
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

  out.push('<section id="documents">', '<h2>Documents</h2>');
  if (input.corpus.length === 0) out.push('<p>No documents.</p>');
  else {
    out.push('<table>', '<thead><tr><th>File</th><th>Title</th><th>Publisher</th><th>Release date</th></tr></thead>', '<tbody>');
    for (const d of orderedCorpus(input.corpus))
      out.push(`<tr><td><code>${t(d.file)}</code></td><td>${t(d.title)}</td><td>${t(d.publisher)}</td><td>${d.release_date === null ? '—' : t(d.release_date)}</td></tr>`);
    out.push('</tbody>', '</table>');
  }
  out.push('</section>');

  if (input.problems.length > 0) {
    out.push('<section id="problems">', '<h2>Document problems</h2>', '<table>', '<thead><tr><th>File</th><th>Problem</th><th>Severity</th><th>Stage</th><th>What happened</th></tr></thead>', '<tbody>');
    for (const p of orderedProblems(input.problems)) out.push(`<tr><td><code>${t(p.file)}</code></td><td>${t(p.kind)}</td><td>${t(p.severity)}</td><td>${t(p.stage)}</td><td>${t(p.message)}</td></tr>`);
    out.push('</tbody>', '</table>', '</section>');
  }

  out.push('<section id="checks">', '<h2>Checks</h2>');
  const summaries = orderedSummaries(input.summaries);
  if (summaries.length === 0) out.push('<p>No checks ran.</p>');
  else {
    out.push(
      '<table>',
      '<thead><tr><th>Check</th><th>Severity</th><th>What it tests</th><th>Evaluated</th><th>Passed</th><th>Failed</th><th>Undecided</th><th>Crashed</th></tr></thead>',
      '<tbody>',
    );
    pushAll(out, summaries.map((s) => checkRow(input, s)));
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
      '<span id="shown"></span>',
      '</form>',
    );
    if (groups.length === 0) out.push('<p>Every finding is decided (below).</p>');
    for (const g of groups) {
      out.push(`<h3 class="group ${g.severity}">${SEVERITY_HEADING[g.severity]} (${g.findings.length})</h3>`);
      pushAll(out, g.findings.map((f) => findingCard(f)));
    }
    if (split.decided.length > 0) {
      out.push(`<h3 class="group decided" id="decided">Decided (${split.decided.length})</h3>`, '<p class="meta">Findings a steward has decided on (checks/decisions.jsonl, davs review); they do not count towards --fail-on.</p>');
      for (const severity of SEVERITIES) {
        for (const { finding, decision } of split.decided) if (finding.severity === severity) out.push(findingCard(finding, decision));
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
      '<thead><tr><th>Finding</th><th>Decision</th><th>Note</th></tr></thead>',
      '<tbody>',
    );
    for (const d of split.stale) out.push(`<tr><td><code>${t(d.finding_id)}</code></td><td>${t(decisionByline(d))}</td><td>${t(d.note)}</td></tr>`);
    out.push('</tbody>', '</table>', '</section>');
  }
  out.push(`<script>${SCRIPT}</script>`, '</body>', '</html>');
  return `${out.join('\n')}\n`;
}
