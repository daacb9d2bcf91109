/**
 * The graph drawing (plain JS, SVG): nodes in columns by depth (longest path
 * from the graph inputs), boxes colored by where they run, edges from each
 * value's producer to its readers.
 */
export const GRAPH_JS = `
function graphView(g) {
  var producer = {};
  g.nodes.forEach(function (n, i) { n.outputs.forEach(function (v) { producer[v] = i; }); });
  var depth = g.nodes.map(function () { return -1; });
  function depthOf(i, seen) {
    if (depth[i] >= 0) return depth[i];
    if (seen[i]) return 0;
    seen[i] = true;
    var d = 0;
    g.nodes[i].inputs.forEach(function (v) { if (producer[v] !== undefined && producer[v] !== i) d = Math.max(d, depthOf(producer[v], seen) + 1); });
    depth[i] = d;
    return d;
  }
  g.nodes.forEach(function (_, i) { depthOf(i, {}); });
  var cols = [];
  g.nodes.forEach(function (n, i) { (cols[depth[i]] = cols[depth[i]] || []).push(i); });
  var BW = 150, BH = 34, GX = 40, GY = 12;
  var pos = [];
  cols.forEach(function (c, x) { c.forEach(function (i, y) { pos[i] = { x: 10 + x * (BW + GX), y: 10 + y * (BH + GY) }; }); });
  var width = 20 + cols.length * (BW + GX), height = 20 + Math.max.apply(null, cols.map(function (c) { return c.length; }).concat([1])) * (BH + GY);
  var svg = svgEl('svg', { width: width, height: height, class: 'graph' });
  g.nodes.forEach(function (n, i) {
    n.inputs.forEach(function (v) {
      var p = producer[v];
      if (p === undefined || p === i) return;
      var a = pos[p], b = pos[i];
      svg.appendChild(svgEl('path', { d: 'M' + (a.x + BW) + ' ' + (a.y + BH / 2) + ' C' + (a.x + BW + GX / 2) + ' ' + (a.y + BH / 2) + ' ' + (b.x - GX / 2) + ' ' + (b.y + BH / 2) + ' ' + b.x + ' ' + (b.y + BH / 2), fill: 'none', stroke: '#8c959f' }));
    });
  });
  g.nodes.forEach(function (n, i) {
    var p = pos[i];
    var grp = svgEl('g', { 'data-node': n.name, 'data-where': n.where });
    grp.appendChild(svgEl('rect', { x: p.x, y: p.y, width: BW, height: BH, rx: 4, class: 'where-' + n.where }));
    grp.appendChild(svgEl('text', { x: p.x + 5, y: p.y + 14 }, n.op + (n.stage !== '-' ? ' [' + n.stage + ']' : '')));
    grp.appendChild(svgEl('text', { x: p.x + 5, y: p.y + 28, fill: '#57606a' }, n.name.length > 24 ? '...' + n.name.slice(-22) : n.name));
    grp.appendChild(svgEl('title', {}, n.name + ' (' + n.op + '): ' + n.where + ' ' + n.stage + '; ' + n.reason + (n.kernels.length ? '; JS kernel ' + n.kernels.join(', ') : '')));
    svg.appendChild(grp);
  });
  var legend = el('div', { class: 'legend' }, ['accel', 'host', 'unused', 'refused'].map(function (w) {
    var s = svgEl('svg', { width: 12, height: 12 });
    s.appendChild(svgEl('rect', { x: 1, y: 1, width: 10, height: 10, class: 'where-' + w }));
    return el('span', {}, [s, ' ' + w]);
  }));
  return el('div', {}, [legend, el('div', { style: 'overflow:auto; max-height: 520px; border: 1px solid #d0d7de' }, [svg])]);
}
`;
