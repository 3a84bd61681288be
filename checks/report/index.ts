export { renderMarkdown, renderMarkdownLines } from './markdown.js';
export { renderHtml, renderHtmlLines, renderHtmlTo, type LineSink } from './html.js';
export type { ReportInput, ReportDocument, ReportProblem } from './types.js';
