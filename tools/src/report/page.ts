/**
 * The report as one self-contained HTML file: the data as an embedded JSON
 * document, the stylesheet and the page's plain-JS scripts inline. The page
 * loads nothing (a Content-Security-Policy forbids any network access), so it
 * opens from disk.
 */
import type { ReportData } from './report-data.js';
import { PAGE_CSS } from './page/style.js';
import { COMMON_JS } from './page/common-js.js';
import { HEATMAP_JS } from './page/heatmap-js.js';
import { CHART_JS } from './page/chart-js.js';
import { GRAPH_JS } from './page/graph-js.js';
import { TIMELINE_JS } from './page/timeline-js.js';
import { MAIN_JS } from './page/main-js.js';

/** The page's script: helpers first, the entry last. */
export const PAGE_SCRIPT = `"use strict";\n${[COMMON_JS, HEATMAP_JS, CHART_JS, GRAPH_JS, TIMELINE_JS, MAIN_JS].join('\n')}`;

/** JSON safe inside a <script> element: no `</script>` or `<!--` can close or confuse it. */
function scriptSafeJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderReportPage(data: ReportData): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>lstmc report: ${escapeHtml(data.file)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<div id="report"></div>',
    `<script type="application/json" id="lstmc-data">${scriptSafeJson(data)}</script>`,
    `<script>\n${PAGE_SCRIPT}\n</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
