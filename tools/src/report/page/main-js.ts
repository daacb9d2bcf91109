/**
 * The page's entry (plain JS): reads the embedded report JSON and builds the
 * sections in order. Exposes `window.lstmcReport` ({ data, heatmaps,
 * timeline }) so tests and curious users can drive the views.
 */
export const MAIN_JS = `
(function () {
  var data = JSON.parse(document.getElementById('lstmc-data').textContent);
  var root = document.getElementById('report');
  var api = { data: data, heatmaps: [], timeline: null };
  window.lstmcReport = api;
  function section(title, id, children) { root.appendChild(el('section', { id: id }, [el('h2', { text: title })].concat(children))); }
  function note(text) { return el('p', { class: 'note', text: text }); }

  root.appendChild(el('h1', { text: 'lstmc report: ' + data.file }));
  root.appendChild(el('p', { class: 'meta', text: (data.kind === 'model' ? 'model, pipeline ' + (data.pipeline || '(none)') : 'accelerator binary') + '; target: ' + data.target.pes + ' PEs, ' + data.target.denseLanes + ' dense lanes, ' + data.target.clockMHz + ' MHz' }));
  data.notes.forEach(function (n) { root.appendChild(note(n)); });

  section('Graph and placement', 'graph', [
    el('p', { text: data.graph.summary }),
    graphView(data.graph),
    el('pre', { text: data.graph.stages.join('\\n') }),
    el('p', { class: 'meta', text: data.kind === 'model' ? 'JS runtime kernel: what --target js lowers the node to (the host segments of an accelerator binary run the same kernels).' : 'JS runtime kernel: what the host segments of the binary run.' }),
    table(['node', 'op', 'where', 'stage', 'JS runtime kernel', 'why'], data.graph.nodes.map(function (n) { return [n.name, n.op, n.where, n.stage, n.kernels.join(', ') || '-', n.reason]; })),
  ]);

  var mats = data.matrices.map(function (m) {
    var hm = Heatmap(m, 1000, 360);
    api.heatmaps.push(hm);
    var info = el('div', { class: 'row' }, [el('div', {}, [
      el('p', { text: m.rows + ' x ' + m.cols + ', ' + m.nnz + ' non-zeros, ' + pct(m.sparsity) + ' zeros' + (m.layout ? '; binary layout ' + m.layout : '') + '; values from ' + (m.source === 'ir' ? 'the float weights' : 'the binary (fixed point)') }),
      table(['gate', 'rows', 'non-zeros', 'zeros'], m.gates.map(function (g) { return [g.gate, g.rowStart + '..' + (g.rowStart + g.rows - 1), g.nnz, pct(g.sparsity)]; }))]),
      el('div', {}, [el('p', { text: 'non-zeros per PE (' + m.assignment + ' row mapping): load imbalance max/mean ' + m.imbalance.toFixed(3) }),
        barChart(m.nnzPerPe, { width: 480, height: 140, label: 'PE' })]),
    ]);
    return el('div', { class: 'card' }, [el('h3', { text: m.label }), hm.node, info]);
  });
  section('Weights: sparsity heatmaps', 'weights', [el('p', { class: 'meta', text: 'Rows (gate units i, o, f, c) across, columns (inputs) down. Dark = non-zero weight, white = zero; zoomed out, each pixel shows the density of its tile. Wheel: zoom, drag: pan.' })].concat(mats.length ? mats : [note('no LSTM weight matrices')]));

  var decisions = data.decisions.map(function (d) {
    return el('div', { class: 'card' }, [
      el('h3', { text: d.node + ' (I=' + d.input + ', H=' + d.hidden + ', combine=' + d.combine + ')' }),
      el('p', { class: 'meta', text: 'A matrix runs sparse-weight when its weight sparsity reaches the weight threshold; with a run-time input test the accelerator counts the zeros of each input vector and switches to the run-time mode from the zero count on. Cycles: one product, expected by the target cost model.' }),
      table(['matrix', 'dir', 'weight sparsity', 'weight threshold', 'input sparsity', 'input threshold', 'mode', 'run-time mode', 'zero count', 'dense cycles', 'chosen cycles'],
        d.matrices.map(function (x) { return [x.matrix, x.dir, x.weightSparsity, x.weightThreshold === null ? 'never' : x.weightThreshold, x.inputSparsity === null ? 'run time' : x.inputSparsity, x.inputThreshold === null ? 'never' : x.inputThreshold, x.mode, x.runtimeMode || '-', x.zeroCount === null ? '-' : x.zeroCount, x.denseCycles, x.chosenCycles]; })),
      table(['dir', 'W/R layouts', 'modes', 'expected cycles per step', 'streams weights', 'cheapest'],
        [].concat.apply([], d.layouts.map(function (l) { return l.costs.map(function (c) { return [l.dir, c.layouts, c.modes, c.cycles, c.streaming ? 'yes' : 'no', c.layouts === l.cheapest ? 'yes' : '']; }); }))),
    ]);
  });
  section('Mode decisions', 'decisions', decisions.length ? decisions : [note('no mode decisions recorded')]);

  var curves = data.whatIf.map(function (w) {
    var marks = w.switches.map(function (s) { return { x: s.sparsity, label: 'auto: ' + s.from + ' -> ' + s.to + ' at ' + s.sparsity.toFixed(2), color: '#cf222e' }; });
    marks.push({ x: w.current, label: 'this model: ' + w.current.toFixed(3), color: '#1a7f37' });
    var cycles = lineChart({ width: 560, height: 280, xLabel: 'weight sparsity of W and R', yLabel: 'accelerator cycles / step', marks: marks, series: [
      { name: 'dense/dense', color: '#0969da', points: w.points.map(function (p) { return [p.sparsity, p.dense]; }) },
      { name: 'sparse/sparse', color: '#bf3989', points: w.points.map(function (p) { return [p.sparsity, p.sparse]; }) },
      { name: 'auto (cheapest layouts)', color: '#24292f', dash: '2 2', points: w.points.map(function (p) { return [p.sparsity, p.auto]; }) },
    ] });
    var cpu = w.cpu.length ? lineChart({ width: 560, height: 280, xLabel: 'weight sparsity of W and R', yLabel: 'JS runtime us / step', marks: marks, series: [
      { name: 'lstm.dense.f32', color: '#0969da', dots: true, points: w.cpu.map(function (p) { return [p.sparsity, p.denseUs]; }) },
      { name: 'lstm.sparse.f32', color: '#bf3989', dots: true, points: w.cpu.map(function (p) { return [p.sparsity, p.sparseUs]; }) },
    ] }) : note('CPU time not measured');
    return el('div', { class: 'card' }, [el('h3', { text: w.node + ' (I=' + w.input + ', H=' + w.hidden + ')' }), el('div', { class: 'row' }, [cycles, cpu]),
      el('p', { class: 'meta', text: 'Cycles: the target cost model (expected, load-balanced non-zeros). CPU: measured when the report was made, median of repeated runs of ' + w.cpuSteps + ' step(s) on a seeded random layer of this size, magnitude-pruned; noisy on a busy machine.' })]);
  });
  section('What if: cycles and CPU time against weight sparsity', 'what-if', curves.length ? curves : [note('no LSTM layers')]);

  section('Quantization', 'quantization', data.quantization.length ? [table(['layer', 'dir', 'weight bits', 'W frac', 'R frac', 'x frac', 'h frac', 'c frac', 'acc frac', 'h max abs error vs float32', 'c max abs error'],
    [].concat.apply([], data.quantization.map(function (q) { return q.formats.map(function (f) { return [q.node, f.dir, q.weightBits, f.w, f.r, f.x, f.h, f.c, f.acc, q.maxAbsError === null ? 'not measured' : q.maxAbsError, q.cellError === null ? 'not measured' : q.cellError]; }); })))] : [note('not quantized')]);

  if (data.sim) {
    var tl = Timeline(data.sim, 1100);
    api.timeline = tl;
    var byBranch = {};
    data.sim.branches.forEach(function (b) {
      var k = b.layer + '|@' + b.pc + '|' + (b.taken ? 'taken' : 'not taken') + '|' + b.next;
      byBranch[k] = (byBranch[k] || 0) + 1;
    });
    section('Simulated run', 'sim', [
      el('p', { text: data.sim.cycles + ' cycles at ' + data.sim.clockMHz + ' MHz; ' + data.sim.events.start.length + ' instructions drawn' + (data.sim.dropped ? ' (' + data.sim.dropped + ' more not recorded)' : '') }),
      tl.node,
      el('h3', { text: 'Run-time branches (bzc on the input zero count)' }),
      table(['layer', 'branch at', 'outcome', 'product that followed', 'times'], Object.keys(byBranch).sort().map(function (k) { var p = k.split('|'); return [p[0], p[1], p[2], p[3], byBranch[k]]; })),
      el('div', { class: 'row' }, [
        table(['layer', 'cycles'], Object.keys(data.sim.cyclesByLayer).map(function (k) { return [k, data.sim.cyclesByLayer[k]]; })),
        table(['unit', 'cycles'], Object.keys(data.sim.cyclesByUnit).map(function (k) { return [k, data.sim.cyclesByUnit[k]]; })),
        table(['mode', 'cycles'], Object.keys(data.sim.cyclesByMode).map(function (k) { return [k, data.sim.cyclesByMode[k]]; })),
      ]),
      el('pre', { text: data.sim.summary }),
    ]);
  }

  section('Pass reports', 'pass-reports', data.passReports.length ? [].concat.apply([], data.passReports.map(function (r) {
    return [el('h3', { text: r.step })].concat(r.tables.map(function (t) { return el('div', {}, [el('p', { text: t.title }), table(t.columns, t.rows)]); }));
  })) : [note('no pass reports')]);
})();
`;
