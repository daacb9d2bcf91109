/**
 * The cycle timeline of a simulated run (plain JS, canvas): one lane per
 * unit (ctrl, dma, pe, vec), each executed instruction a bar from its start
 * cycle for its duration, colored by layer; run-time branches marked above
 * the lanes (filled: taken, hollow: not taken). Wheel zooms the cycle axis
 * about the cursor, dragging pans.
 */
export const TIMELINE_JS = `
var LANE_H = 26, TOP = 22, AXIS = 20, LEFT = 44;
function Timeline(sim, width) {
  var lanes = sim.lanes.length;
  var height = TOP + lanes * LANE_H + AXIS;
  var canvas = el('canvas', { width: width, height: height, 'data-timeline': '1' });
  var ctx = canvas.getContext('2d');
  var ev = sim.events, n = ev.start.length;
  var view = { c0: 0, c1: Math.max(1, sim.cycles) };
  var layerColor = function (k) { return PALETTE[k % PALETTE.length]; };
  var drawn = 0;
  function X(c) { return LEFT + ((c - view.c0) / (view.c1 - view.c0)) * (width - LEFT - 4); }
  function draw() {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#24292f';
    ctx.font = '11px system-ui, sans-serif';
    sim.lanes.forEach(function (l, i) { ctx.fillText(l, 4, TOP + i * LANE_H + 16); });
    drawn = 0;
    for (var i = 0; i < n; i++) {
      var s = ev.start[i], e = s + Math.max(1, ev.dur[i]);
      if (e < view.c0 || s > view.c1) continue;
      var x0 = Math.max(LEFT, X(s)), x1 = Math.min(width - 4, X(e));
      ctx.fillStyle = layerColor(ev.layer[i]);
      ctx.fillRect(x0, TOP + ev.lane[i] * LANE_H + 3, Math.max(1, x1 - x0), LANE_H - 6);
      drawn++;
    }
    sim.branches.forEach(function (b) {
      if (b.cycle < view.c0 || b.cycle > view.c1) return;
      var x = X(b.cycle);
      ctx.beginPath();
      ctx.moveTo(x - 4, 4); ctx.lineTo(x + 4, 4); ctx.lineTo(x, 14); ctx.closePath();
      ctx.strokeStyle = '#1a7f37';
      if (b.taken) { ctx.fillStyle = '#1a7f37'; ctx.fill(); } else ctx.stroke();
    });
    ctx.fillStyle = '#57606a';
    for (var k = 0; k <= 5; k++) {
      var c = view.c0 + (k / 5) * (view.c1 - view.c0);
      ctx.fillText(Math.round(c) + '', Math.min(width - 40, X(c)), height - 6);
    }
  }
  function setView(c0, c1) { view = { c0: c0, c1: Math.max(c0 + 4, c1) }; draw(); }
  canvas.addEventListener('wheel', function (e) {
    e.preventDefault();
    var rect = canvas.getBoundingClientRect();
    var at = view.c0 + ((e.clientX - rect.left - LEFT) / (width - LEFT - 4)) * (view.c1 - view.c0);
    var f = e.deltaY < 0 ? 0.8 : 1.25;
    setView(at - (at - view.c0) * f, at + (view.c1 - at) * f);
  }, { passive: false });
  var drag = null;
  canvas.addEventListener('mousedown', function (e) { drag = { x: e.clientX, c0: view.c0, c1: view.c1 }; });
  window.addEventListener('mouseup', function () { drag = null; });
  var tip = el('div', { class: 'tip', text: ' ' });
  canvas.addEventListener('mousemove', function (e) {
    var rect = canvas.getBoundingClientRect();
    var per = (view.c1 - view.c0) / (width - LEFT - 4);
    if (drag) setView(drag.c0 - (e.clientX - drag.x) * per, drag.c1 - (e.clientX - drag.x) * per);
    var c = view.c0 + (e.clientX - rect.left - LEFT) * per;
    var lane = Math.floor((e.clientY - rect.top - TOP) / LANE_H);
    var hit = -1;
    for (var i = 0; i < n; i++) if (ev.lane[i] === lane && ev.start[i] <= c && c < ev.start[i] + Math.max(1, ev.dur[i])) { hit = i; break; }
    tip.textContent = hit < 0 ? 'cycle ' + Math.round(c) : 'cycle ' + ev.start[hit] + '+' + ev.dur[hit] + ': ' + sim.mnemonics[ev.op[hit]] + ' (' + (sim.layers[ev.layer[hit]] || 'no layer') + ', t=' + ev.t[hit] + ')';
  });
  var legend = el('div', { class: 'legend' }, sim.layers.map(function (l, k) { return el('span', {}, [el('span', { class: 'swatch', style: 'background:' + layerColor(k) }), l || '(no layer)']); }));
  var reset = el('button', { text: 'whole run' });
  reset.onclick = function () { setView(0, Math.max(1, sim.cycles)); };
  draw();
  return { canvas: canvas, node: el('div', {}, [reset, canvas, tip, legend]), setView: setView, drawn: function () { return drawn; } };
}
`;
