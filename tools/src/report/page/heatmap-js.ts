/**
 * The sparsity heatmap (plain JS for the page): a canvas showing a matrix's
 * zero pattern, rows (the 4H gate units, gates i, o, f, c left to right)
 * across and columns down. Each canvas pixel covers a rectangle of cells:
 * when a cell is at least a pixel the pixel shows that cell exactly
 * (non-zero = NZ_RGB, zero = white); zoomed out it shows the tile's density
 * (share of non-zeros, from a summed-area table, so a 4096x1024 matrix
 * redraws in one pass over the pixels). Wheel zooms about the cursor,
 * dragging pans, buttons fit the whole matrix or one gate. A ruler under the
 * canvas names the gates in view.
 */
export const HEATMAP_JS = `
var NZ_RGB = [13, 45, 120];
var OUTSIDE_RGB = [234, 238, 242];
function Heatmap(m, width, maxHeight) {
  var bits = decodeBase64(m.mask);
  var R = m.rows, C = m.cols;
  // sat[r * (C + 1) + c] = non-zeros in rows < r and columns < c
  var sat = new Int32Array((R + 1) * (C + 1));
  for (var r = 0; r < R; r++) {
    var run = 0;
    for (var c = 0; c < C; c++) {
      var i = r * C + c;
      run += (bits[i >> 3] >> (i & 7)) & 1;
      sat[(r + 1) * (C + 1) + c + 1] = sat[r * (C + 1) + c + 1] + run;
    }
  }
  var fitScale = Math.min(width / R, maxHeight / C);
  var height = Math.max(60, Math.min(maxHeight, Math.ceil(C * fitScale)));
  var canvas = el('canvas', { width: width, height: height, 'data-matrix': m.label });
  var ruler = el('canvas', { width: width, height: 16 });
  var ctx = canvas.getContext('2d');
  // scale: pixels per cell; row0 / col0: the (fractional) row at the left edge and column at the top edge
  var view = { scale: 1, row0: 0, col0: 0 };
  function count(r0, c0, r1, c1) {
    return sat[r1 * (C + 1) + c1] - sat[r0 * (C + 1) + c1] - sat[r1 * (C + 1) + c0] + sat[r0 * (C + 1) + c0];
  }
  function isNonZero(r, c) { var i = r * C + c; return ((bits[i >> 3] >> (i & 7)) & 1) === 1; }
  function cellAt(x, y) { return { row: Math.floor(view.row0 + x / view.scale), col: Math.floor(view.col0 + y / view.scale) }; }
  function draw() {
    var img = ctx.createImageData(width, height);
    var d = img.data, s = view.scale;
    for (var x = 0; x < width; x++) {
      var r0 = Math.floor(view.row0 + x / s), r1 = Math.min(R, Math.max(r0 + 1, Math.floor(view.row0 + (x + 1) / s)));
      for (var y = 0; y < height; y++) {
        var c0 = Math.floor(view.col0 + y / s), c1 = Math.min(C, Math.max(c0 + 1, Math.floor(view.col0 + (y + 1) / s)));
        var k = 4 * (y * width + x), v0, v1, v2;
        if (r0 < 0 || c0 < 0 || r0 >= R || c0 >= C) { v0 = OUTSIDE_RGB[0]; v1 = OUTSIDE_RGB[1]; v2 = OUTSIDE_RGB[2]; }
        else {
          var density = s >= 1 ? (isNonZero(r0, c0) ? 1 : 0) : count(r0, c0, r1, c1) / ((r1 - r0) * (c1 - c0));
          v0 = 255 - density * (255 - NZ_RGB[0]); v1 = 255 - density * (255 - NZ_RGB[1]); v2 = 255 - density * (255 - NZ_RGB[2]);
        }
        d[k] = v0; d[k + 1] = v1; d[k + 2] = v2; d[k + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    var rc = ruler.getContext('2d');
    rc.fillStyle = '#ffffff'; rc.fillRect(0, 0, width, 16);
    rc.font = '11px system-ui, sans-serif';
    m.gates.forEach(function (g, k) {
      var x0 = (g.rowStart - view.row0) * s, x1 = (g.rowStart + g.rows - view.row0) * s;
      if (x1 < 0 || x0 > width) return;
      rc.fillStyle = k % 2 ? '#d0d7de' : '#afb8c1';
      rc.fillRect(Math.max(0, x0), 0, Math.min(width, x1) - Math.max(0, x0), 4);
      rc.fillStyle = '#24292f';
      rc.fillText('gate ' + g.gate, Math.max(2, x0 + 2), 14);
    });
  }
  function setView(scale, row0, col0) { view = { scale: scale, row0: row0, col0: col0 }; draw(); }
  function fitRows(a, b) { setView(Math.min(width / (b - a), height / C), a, 0); }
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    var rect = canvas.getBoundingClientRect();
    var x = e.clientX - rect.left, y = e.clientY - rect.top;
    var s = Math.max(fitScale / 4, Math.min(64, view.scale * (e.deltaY < 0 ? 1.25 : 0.8)));
    setView(s, view.row0 + x / view.scale - x / s, view.col0 + y / view.scale - y / s);
  }, { passive: false });
  var drag = null;
  canvas.addEventListener('mousedown', function (e) { drag = { x: e.clientX, y: e.clientY, row0: view.row0, col0: view.col0 }; });
  window.addEventListener('mouseup', function () { drag = null; });
  var tip = el('div', { class: 'tip', text: ' ' });
  canvas.addEventListener('mousemove', function (e) {
    if (drag) setView(view.scale, drag.row0 - (e.clientX - drag.x) / view.scale, drag.col0 - (e.clientY - drag.y) / view.scale);
    var rect = canvas.getBoundingClientRect();
    var cell = cellAt(e.clientX - rect.left, e.clientY - rect.top);
    if (cell.row < 0 || cell.col < 0 || cell.row >= R || cell.col >= C) { tip.textContent = ' '; return; }
    var gate = m.gates[Math.min(m.gates.length - 1, Math.floor(cell.row / (R / m.gates.length)))];
    tip.textContent = 'row ' + cell.row + ' (gate ' + gate.gate + ', unit ' + (cell.row - gate.rowStart) + '), column ' + cell.col + ': ' + (isNonZero(cell.row, cell.col) ? 'non-zero' : 'zero') + '; ' + view.scale.toFixed(3) + ' px/cell' + (view.scale >= 1 ? ' (exact)' : ' (density tiles)');
  });
  var labels = ['fit'].concat(m.gates.map(function (g) { return 'gate ' + g.gate + ' (' + pct(g.sparsity) + ' zeros)'; })).concat(['zoom in', 'zoom out']);
  var bs = labels.map(function (t) { return el('button', { text: t }); });
  bs[0].onclick = function () { fitRows(0, R); };
  m.gates.forEach(function (g, k) { bs[k + 1].onclick = function () { fitRows(g.rowStart, g.rowStart + g.rows); }; });
  bs[bs.length - 2].onclick = function () { setView(view.scale * 2, view.row0 + width / view.scale / 4, view.col0 + height / view.scale / 4); };
  bs[bs.length - 1].onclick = function () { setView(view.scale / 2, view.row0 - width / view.scale / 2, view.col0 - height / view.scale / 2); };
  fitRows(0, R);
  return {
    label: m.label, canvas: canvas, node: el('div', {}, [el('div', {}, bs), canvas, ruler, tip]),
    setView: setView, view: function () { return view; }, cellAt: cellAt, fit: function () { fitRows(0, R); },
  };
}
`;
