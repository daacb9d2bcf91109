/**
 * The page's shared helpers (plain JS run in the browser): element
 * construction, tables, number formatting, base64 decoding. No template
 * literals in page scripts: they live inside TypeScript template strings.
 */
export const COMMON_JS = `
function el(tag, attrs, children) {
  var e = document.createElement(tag);
  for (var k in attrs || {}) {
    if (k === 'text') e.textContent = attrs[k];
    else if (k === 'class') e.className = attrs[k];
    else e.setAttribute(k, attrs[k]);
  }
  (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
  return e;
}
var SVG_NS = 'http://www.w3.org/2000/svg';
function svgEl(tag, attrs, text) {
  var e = document.createElementNS(SVG_NS, tag);
  for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function fmt(v) {
  if (v === null || v === undefined) return '-';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(4);
}
function pct(v) { return v === null || v === undefined ? '-' : (100 * v).toFixed(2) + '%'; }
function table(columns, rows) {
  var head = el('tr', {}, columns.map(function (c) { return el('th', { text: c }); }));
  var body = rows.map(function (r) {
    return el('tr', {}, r.map(function (v) { return el('td', { text: fmt(v), class: typeof v === 'number' ? 'num' : '' }); }));
  });
  return el('table', {}, [el('thead', {}, [head]), el('tbody', {}, body)]);
}
function decodeBase64(s) {
  var bin = atob(s);
  var out = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
var PALETTE = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#cf222e', '#0a3069', '#57606a', '#e16f24', '#2da44e'];
`;
