import type { Measure } from './contracts.js';

/**
 * The measures davs knows, and how to recognise them in a sentence or a table row.
 * A measure is matched by what the text says, never by which document it is in.
 *
 * - `follows`: the words right after a number in prose that name it ("99,447 cases were discussed").
 * - `subject`: for a number followed by no noun of its own ("… increased by 8% to 107,855 in …"),
 *   the sentence must name the measure this way.
 * - `label`: for a table cell, its row label or column header must read like this…
 * - `context`: …and the sentence or the table title (with the label) must mention this.
 * - `exclude`: never a match when the sentence, label or header says this (rates, recommendations).
 */
export interface MeasureDefinition {
  measure: Measure;
  follows: RegExp;
  subject: RegExp;
  label: RegExp;
  context: RegExp;
  exclude: RegExp;
}

const MARAC = /\bMARACs?\b|multi-agency risk assessment conferences?/i;
const RATES = /per \d{1,3}(,\d{3})*|recommended|shortfall|\brate\b|percentage|proportion/i;

export const MEASURES: readonly MeasureDefinition[] = [
  {
    measure: { measure_id: 'marac-cases', title: 'Cases discussed at MARACs', unit: 'count', description: 'Number of cases discussed at multi-agency risk assessment conferences (MARACs) in the period.' },
    follows: /^\s*(?:MARAC\s+)?cases\b(?!\s+per\b)/i,
    subject: /\bnumber of cases discussed at (?:MARACs?|multi-agency risk assessment conferences)/i,
    label: /^(?:number of )?(?:MARAC )?cases discussed$/i,
    context: MARAC,
    exclude: RATES,
  },
  {
    measure: { measure_id: 'marac-meetings', title: 'MARACs', unit: 'count', description: 'Number of multi-agency risk assessment conferences (MARACs) operating in the period.' },
    follows: /^\s*MARACs\b/,
    subject: /\bnumber of MARACs\b/i,
    label: /^number of MARACs$/i,
    context: MARAC,
    exclude: RATES,
  },
  {
    measure: { measure_id: 'marac-children', title: 'Children in households of MARAC cases', unit: 'count', description: 'Number of children in households where a case was discussed at a MARAC.' },
    follows: /^\s*children in (?:the )?households?\b/i,
    subject: /\bnumber of children in households where a case was discussed\b/i,
    label: /^(?:number of )?children in households/i,
    context: MARAC,
    exclude: RATES,
  },
  {
    measure: { measure_id: 'idva-fte', title: 'Full-time equivalent IDVAs (all risk levels)', unit: 'fte', description: 'Full-time equivalent independent domestic violence advisors (IDVAs) in post, all risk levels.' },
    follows: /^\s*(?:full[- ]time equivalent|FTE)\s+(?:IDVAs|Idvas)\b(?!\s+(?:for|working with|supporting) (?:victims )?at high risk)/i,
    subject: /\bnumber of (?:full[- ]time equivalent|FTE) (?:IDVAs|Idvas)\b/i,
    label: /^(?:Independent domestic violence advisors? \(IDVAs\) - All risk levels|FTE Idvas)$/i,
    context: /IDVA|Idva|independent domestic violence advis/i,
    exclude: /high risk|\bHR\b|recommended|health|per \d/i,
  },
  {
    measure: { measure_id: 'outreach-fte', title: 'Full-time equivalent Outreach workers', unit: 'fte', description: 'Full-time equivalent outreach workers in post.' },
    follows: /^\s*(?:full[- ]time equivalent |FTE )?outreach workers\b/i,
    subject: /\b(?:number of|increase in|decrease in) (?:FTE |full[- ]time equivalent )?outreach workers\b/i,
    label: /^(?:FTE )?outreach(?: workers)?(?: \d{4})?$/i,
    context: /outreach/i,
    exclude: RATES,
  },
  {
    measure: { measure_id: 'ypva-fte', title: "Full-time equivalent young people's violence advisors", unit: 'fte', description: "Full-time equivalent young people's violence advisors (YPVAs) in post." },
    follows: /^\s*(?:full[- ]time equivalent |FTE )?(?:YPVAs|Ypvas)\b/i,
    subject: /\bnumber of (?:FTE |full[- ]time equivalent )?(?:YPVAs|Ypvas)\b/i,
    label: /^(?:young person's violence advisors|FTE Ypvas(?: \d{4})?)$/i,
    context: /YPVA|Ypva|young pe(?:rson|ople)'s violence/i,
    exclude: RATES,
  },
];
