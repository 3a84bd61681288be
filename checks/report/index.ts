export { renderMarkdown, renderMarkdownLines, renderMarkdownTo } from './markdown.js';
export { renderHtml, renderHtmlLines, renderHtmlTo } from './html.js';
export type { LineSink, ReportInput, ReportDocument, ReportProblem } from './types.js';
