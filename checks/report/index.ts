export { renderMarkdown } from './markdown.js';
export { renderHtml } from './html.js';
export type { ReportInput, ReportDocument, ReportFailure } from './types.js';
