export { renderMarkdown } from './markdown.js';
export { renderHtml } from './html.js';
export type { ReportInput, ReportDocument, ReportProblem } from './types.js';
