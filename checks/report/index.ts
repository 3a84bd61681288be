export { renderMarkdown, renderMarkdownTo } from './markdown.js';
export { renderHtml, renderHtmlTo } from './html.js';
export type { LineSink, ReportInput, ReportDocument, ReportProblem } from './types.js';
