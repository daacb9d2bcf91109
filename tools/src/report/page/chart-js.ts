/**
 * Charts for the page (plain JS, SVG): a line chart over weight sparsity with
 * vertical markers (the what-if curves), and a bar chart with a mean line
 * (non-zeros per PE).
 */
export const CHART_JS = `
function axisNumber(v) {
  if (v >= 1e6) return (v / 1e6).toFixed(v >= 1e7 ? 0 : 2) + 'M';
  if (v >= 1e4) return (v / 1e3).toFixed(v >= 1e5 ? 0 : 1) + 'k';
  return v < 10 ? v.toFixed(2) : String(Math.round(v));
}
function lineChart(o) {
  // o: { width, height, xLabel, yLabel, series: [{ name, color, points: [[x, y]], dash }], marks: [{ x, label, color }] }
  var W = o.width, H = o.height, L = 60, B = 34, T = 10, Rt = 10;
  var ys = [];
  o.series.forEach(function (s) { s.points.forEach(function (p) { ys.push(p[1]); }); });
  var yMax = Math.max.apply(null, ys.concat([1])) * 1.05, yMin = 0;
  var X = function (x) { return L + x * (W - L - Rt); };
  var Y = function (y) { return H - B - ((y - yMin) / (yMax - yMin)) * (H - B - T); };
  var svg = svgEl('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H });
  svg.appendChild(svgEl('line', { x1: L, y1: H - B, x2: W - Rt, y2: H - B, stroke: '#57606a' }));
  svg.appendChild(svgEl('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#57606a' }));
  for (var k = 0; k <= 10; k++) {
    svg.appendChild(svgEl('line', { x1: X(k / 10), y1: H - B, x2: X(k / 10), y2: H - B + 4, stroke: '#57606a' }));
    svg.appendChild(svgEl('text', { x: X(k / 10), y: H - B + 15, 'text-anchor': 'middle' }, (k / 10).toFixed(1)));
  }
  for (var j = 0; j <= 4; j++) {
    var v = yMin + (j / 4) * (yMax - yMin);
    svg.appendChild(svgEl('line', { x1: L - 4, y1: Y(v), x2: W - Rt, y2: Y(v), stroke: '#eaeef2' }));
    svg.appendChild(svgEl('text', { x: L - 6, y: Y(v) + 4, 'text-anchor': 'end' }, axisNumber(v)));
  }
  svg.appendChild(svgEl('text', { x: (L + W) / 2, y: H - 4, 'text-anchor': 'middle' }, o.xLabel));
  svg.appendChild(svgEl('text', { x: 12, y: (H - B) / 2, transform: 'rotate(-90 12 ' + (H - B) / 2 + ')', 'text-anchor': 'middle' }, o.yLabel));
  (o.marks || []).forEach(function (m, i) {
    svg.appendChild(svgEl('line', { x1: X(m.x), y1: T, x2: X(m.x), y2: H - B, stroke: m.color, 'stroke-dasharray': '4 3' }));
    var right = X(m.x) > W * 0.6;
    svg.appendChild(svgEl('text', { x: X(m.x) + (right ? -3 : 3), y: T + 12 + 13 * i, fill: m.color, 'text-anchor': right ? 'end' : 'start' }, m.label));
  });
  o.series.forEach(function (s) {
    var d = s.points.map(function (p, i) { return (i ? 'L' : 'M') + X(p[0]).toFixed(1) + ' ' + Y(p[1]).toFixed(1); }).join(' ');
    svg.appendChild(svgEl('path', { d: d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'stroke-dasharray': s.dash || '' }));
    s.points.forEach(function (p) { if (s.dots) svg.appendChild(svgEl('circle', { cx: X(p[0]), cy: Y(p[1]), r: 3, fill: s.color })); });
  });
  var legend = el('div', { class: 'legend' }, o.series.map(function (s) { return el('span', {}, [el('span', { class: 'swatch', style: 'background:' + s.color }), s.name]); }));
  return el('div', {}, [svg, legend]);
}
function barChart(values, o) {
  var W = o.width, H = o.height, L = 40, B = 20, T = 8;
  var max = Math.max.apply(null, values.concat([1]));
  var mean = values.reduce(function (a, b) { return a + b; }, 0) / Math.max(1, values.length);
  var bw = (W - L - 4) / Math.max(1, values.length);
  var Y = function (y) { return H - B - (y / max) * (H - B - T); };
  var svg = svgEl('svg', { width: W, height: H });
  values.forEach(function (v, i) {
    var r = svgEl('rect', { x: L + i * bw, y: Y(v), width: Math.max(1, bw - 1), height: H - B - Y(v), fill: v === max ? '#cf222e' : '#0969da' });
    r.appendChild(svgEl('title', {}, o.label + ' ' + i + ': ' + v));
    svg.appendChild(r);
  });
  svg.appendChild(svgEl('line', { x1: L, y1: Y(mean), x2: W, y2: Y(mean), stroke: '#1a7f37', 'stroke-dasharray': '4 3' }));
  svg.appendChild(svgEl('text', { x: L - 4, y: Y(max) + 4, 'text-anchor': 'end' }, String(max)));
  svg.appendChild(svgEl('text', { x: L - 4, y: H - B + 4, 'text-anchor': 'end' }, '0'));
  svg.appendChild(svgEl('text', { x: L, y: H - 4 }, o.label + ' 0..' + (values.length - 1) + '; dashed: mean ' + mean.toFixed(1)));
  return svg;
}
`;
