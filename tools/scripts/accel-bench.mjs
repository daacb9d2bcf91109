// `npm run bench:accel`: accelerator throughput and toolchain speed (issue 13), for
//   big: a 2-layer I=H=1024 LSTM (16.8M parameters), generated here with random weights, pruned
//        by `prune{method=balanced,sparsity=0.9}` (padding-aware by default; beside it the
//        previous default, gap-repair=false, also on a target with relIndexBits=5), T=100;
//   kws: the bundled example (examples/kws-lstm), `-O accel` with its test data as calibration.
// For each it prints, with the goal beside each figure: simulated cycles, DMA and PE cycles,
// cycles / max(DMA, PE), cycles per sequence at batch 1 / 4 / 16, PE utilization, the simulator's
// and `run --numerics fixed`'s useful MACs per second (median of LSTMC_BENCH_REPS runs), and the
// compile seconds and peak RSS of `lstmc compile` per target (a child process each, timed by
// /usr/bin/time). It also checks that the simulator's LSTM outputs equal `--numerics fixed` bit
// for bit.
//   node tools/scripts/accel-bench.mjs [--only big|kws] [--no-compile] [--no-build]
// For big it also compiles with one calibration sample set (its input) and prints the quantize pass's
// time (goal <= 3 s per sample set).
// Env: LSTMC_BENCH_REPS (default 3), LSTMC_BENCH_BATCHES (default 1,4,16; 1 must be first). The packages
// are built first (`npm run build`: nx, cached; not with --no-build), and the CLI run is the installed command (tools/dist/lstmc.mjs, the bundle the package's bin points to).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomF32 } from './random-f32.mjs';
import { loadSources, ROOT } from './load-sources.mjs';

const REPS = Number(process.env.LSTMC_BENCH_REPS ?? 3);
const argv = process.argv.slice(2);
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const doCompile = !argv.includes('--no-compile');
const BATCHES = (process.env.LSTMC_BENCH_BATCHES ?? '1,4,16').split(',').map(Number);
const BIG_PIPELINE = 'fold,prune{method=balanced,sparsity=0.9},sparsity,select-mode,quantize,encode';

const L = await loadSources([
  "export { makeGraph, makeNode, makeTensor, tensorType, inferTypes, exportOnnx, importOnnx, encodeTensorProto, decodeTensorProto } from '@lstmc/ir';",
  "export { runPipeline, parsePipeline, presetPipeline, builtinRegistry } from '@lstmc/passes';",
  "export { lowerToRuntime, makeRuntimeEvaluator } from '@lstmc/backend-js';",
  "export { createModel } from '@lstmc/runtime';",
  "export { readLxb, simulateProgram, simReport, layerPlanOf } from '@lstmc/backend-accel';",
  "export { defaultTarget, withParams, layerCycles } from '@lstmc/target';",
]);

/** Two stacked forward LSTMs X [T, B, I] -> Y [T, B, H] (a Squeeze of the direction axis between them). */
function bigOnnx(I, H, T) {
  const s = 1 / Math.sqrt(H);
  const init = [];
  const nodes = [];
  let x = 'X';
  for (let k = 0; k < 2; k++) {
    const inp = k === 0 ? I : H;
    init.push([`W${k}`, L.makeTensor('f32', [1, 4 * H, inp], randomF32(4 * H * inp, s, 10 * k + 1))]);
    init.push([`R${k}`, L.makeTensor('f32', [1, 4 * H, H], randomF32(4 * H * H, s, 10 * k + 2))]);
    init.push([`B${k}`, L.makeTensor('f32', [1, 8 * H], randomF32(8 * H, s, 10 * k + 3))]);
    nodes.push(L.makeNode({ op: 'LSTM', name: `lstm${k}`, inputs: [x, `W${k}`, `R${k}`, `B${k}`], outputs: [`Y${k}`], attrs: { hidden_size: { kind: 'int', value: H } } }));
    nodes.push(L.makeNode({ op: 'Squeeze', name: `squeeze${k}`, inputs: [`Y${k}`, 'axis1'], outputs: [k === 1 ? 'Y' : `X${k + 1}`] }));
    x = `X${k + 1}`;
  }
  init.push(['axis1', L.makeTensor('i64', [1], BigInt64Array.from([1n]))]);
  const g = L.makeGraph({
    name: 'lstm2x1024',
    inputs: ['X'],
    outputs: ['Y'],
    initializers: init,
    values: [['X', { name: 'X', type: L.tensorType('f32', [T, 1, I]) }]],
    nodes,
    opsets: { '': 14 },
  });
  return L.exportOnnx(L.inferTypes(g));
}

/** Batch item 0 of a [T, B, I] tensor, as [T, 1, I] data. */
function firstSequence(t) {
  const [T, B, I] = t.dims;
  const out = new Float32Array(T * I);
  for (let s = 0; s < T; s++) for (let k = 0; k < I; k++) out[s * I + k] = Number(t.data[(s * B) * I + k]);
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Seconds of fn, median of REPS runs, and its last result: `s` is this process's CPU time
 * (user + system; the work is single-threaded, so on a quiet machine it equals the wall time,
 * and on a shared one it is not inflated by waiting for a core), `wall` the wall time.
 */
function timed(fn) {
  const cpu = [];
  const wall = [];
  let r;
  for (let i = 0; i < REPS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    r = fn();
    wall.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { s: median(cpu), wall: median(wall), r };
}

/**
 * `lstmc ARGS --json --quiet` in a child process: wall and CPU (user + system) seconds and peak RSS
 * (bytes) from /usr/bin/time, and the milliseconds of each pass from the JSON document.
 */
function cli(args, cwd) {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', process.execPath, join(ROOT, 'tools/dist/lstmc.mjs'), ...args, '--json', '--quiet'], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`lstmc ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const passMs = Object.fromEntries(JSON.parse(r.stdout).passes.map((p) => [p.pass, p.ms]));
  return { s: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), rss: Number(m[4]) * 1024, passMs };
}

/** The input repeated over a batch of B: dims [T, B, I] (layout 0). */
function batched(x, T, I, B) {
  const data = new Float32Array(T * B * I);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) data.set(x.subarray(t * I, (t + 1) * I), (t * B + b) * I);
  return { dims: [T, B, I], data };
}

async function benchModel(c, dir) {
  const model = join(dir, `${c.name}.onnx`);
  if (c.bytes) writeFileSync(model, c.bytes);
  const modelFile = c.bytes ? model : c.file;
  const modelBytes = statSync(modelFile).size;
  const passArgs = ['--pipeline', c.pipeline, ...(c.calibration ? ['--calibration', c.calibration] : [])];
  const rows = [];
  const row = (what, value, goal, ok) => rows.push({ what, value, goal, ok });

  // compile per target (child processes: wall time and peak RSS as a user sees them)
  const lxb = join(dir, `${c.name}.lxb`);
  const compiles = {};
  for (const target of doCompile ? ['accel', 'js'] : ['accel']) {
    const out = join(dir, `${c.name}.${target === 'accel' ? 'lxb' : 'lrg'}`);
    compiles[target] = cli(['compile', modelFile, '--target', target, ...passArgs, '-o', out], dir);
  }
  // calibration-driven quantization: the model's input as the one calibration sample set
  let calibrated;
  if (doCompile && !c.calibration) {
    const cal = join(dir, `${c.name}-calibration`);
    mkdirSync(cal);
    writeFileSync(join(cal, 'input_0.pb'), L.encodeTensorProto(c.input, L.makeTensor('f32', c.xDims, c.x)));
    calibrated = cli(['compile', modelFile, '--target', 'accel', ...passArgs, '--calibration', cal, '-o', join(dir, `${c.name}-calibrated.lxb`)], dir);
  }

  // the simulator, batch 1 / 4 / 16: the binary's code on the target with batch = B (codegen does not
  // depend on the batch; backend-accel/test/batching.test.ts checks it), B copies of the input sequence
  const { program } = L.readLxb(new Uint8Array(readFileSync(lxb)), lxb);
  const onTarget = (over) => ({ ...program, target: L.withParams(program.target, over) });
  const [T, , I] = c.xDims;
  const x1 = c.x;
  const runs = {};
  const predicted = {};
  let sim1;
  for (const B of BATCHES) {
    const p = onTarget({ batch: B });
    const inputs = new Map([[c.input, batched(x1, T, I, B)]]);
    if (B === 1) {
      const t = timed(() => L.simulateProgram(p, inputs));
      sim1 = { s: t.s, wall: t.wall, r: t.r, report: L.simReport(p, t.r) };
      runs[B] = t.r.stats;
    } else runs[B] = L.simulateProgram(p, inputs).stats;
    // the cost model on the binary's layers (plans read back from its code and matrices), every column processed
    const r = B === 1 ? sim1.r : { stats: runs[B], matrices: sim1.r.matrices };
    let model = 0;
    let simulated = 0;
    for (const l of p.io.layers) {
      model += L.layerCycles(L.layerPlanOf(p, r.matrices, l.name, r.stats, B), T, p.target);
      simulated += r.stats.cyclesByLayer[l.name] ?? 0;
    }
    predicted[B] = { model, simulated };
  }
  const st = sim1.r.stats;
  const unit = (s, u) => s.cyclesByUnit[u] ?? 0;
  const ratio = st.cycles / Math.max(unit(st, 'dma'), unit(st, 'pe'));
  row('cycles (batch 1)', `${st.cycles}`, '', null);
  row('DMA cycles', `${unit(st, 'dma')}`, '', null);
  row('PE cycles', `${unit(st, 'pe')}`, '', null);
  row('cycles / max(DMA, PE)', ratio.toFixed(3), '<= 1.05', ratio <= 1.05);
  for (const B of BATCHES) {
    const s = runs[B];
    const per = s.cycles / B;
    const bound = Math.max(unit(s, 'dma'), unit(s, 'pe')) / B;
    const vs1 = B === 1 ? '' : `, ${(per / runs[1].cycles).toFixed(3)}x batch 1`;
    // the streamed model: the batch's weight DMA and products overlap as at batch 1
    const tight = c.name === 'big';
    const goal = [tight ? `<= 1.05 max(DMA, PE) = ${Math.round(1.05 * bound)}` : '', B === 1 ? '' : '< batch 1'].filter(Boolean).join(', ');
    const ok = (!tight || per <= 1.05 * bound) && (B === 1 || per < runs[1].cycles);
    row(`cycles per sequence, batch ${B}`, `${Math.round(per)} (DMA ${Math.round(unit(s, 'dma') / B)}, PE ${Math.round(unit(s, 'pe') / B)} per sequence${vs1})`, goal, goal ? ok : null);
    const { model, simulated } = predicted[B];
    const err = (model - simulated) / simulated;
    row(`  cost model, batch ${B}`, `${Math.round(model / B)} per sequence (${(100 * err).toFixed(2)}% vs the simulated layers)`, tight ? 'within 5%' : '', tight ? Math.abs(err) < 0.05 : null);
  }
  row('PE utilization while multiplying', `${(100 * sim1.report.peUtilization).toFixed(1)}%`, '>= 90%', sim1.report.peUtilization >= 0.9);
  // the same binary on the target with the column-pointer prefetch (docs/target.md), batch 1
  const pf = onTarget({ columnPrefetch: 1 });
  const pfReport = L.simReport(pf, L.simulateProgram(pf, new Map([[c.input, batched(x1, T, I, 1)]])));
  row('  with columnPrefetch=1', `${(100 * pfReport.peUtilization).toFixed(1)}% (${pfReport.cycles} cycles)`, '>= 90%', pfReport.peUtilization >= 0.9);
  const utilAt = (p, B) => L.simReport(p, L.simulateProgram(p, new Map([[c.input, batched(x1, T, I, B)]]))).peUtilization;
  const top = BATCHES[BATCHES.length - 1];
  row(`  at batch ${top} (a column's start serves the batch)`, `${(100 * utilAt(onTarget({ batch: top }), top)).toFixed(1)}%, with columnPrefetch=1 ${(100 * utilAt(onTarget({ batch: top, columnPrefetch: 1 }), top)).toFixed(1)}%`, '', null);
  if (c.plainPipeline) {
    // the previous default: each PE's K largest weights (gap-repair=false), whose gaps over
    // 2^relIndexBits rows cost padding entries
    const plainLxb = join(dir, `${c.name}.plain.lxb`);
    const pc = cli(['compile', modelFile, '--target', 'accel', '--pipeline', c.plainPipeline, '-o', plainLxb], dir);
    const gp = L.readLxb(new Uint8Array(readFileSync(plainLxb)), plainLxb).program;
    const withT = (over) => ({ ...gp, target: L.withParams(gp.target, over) });
    const u0 = utilAt(gp, 1);
    const u1 = utilAt(withT({ columnPrefetch: 1 }), 1);
    row('  pruned with gap-repair=false (before)', `${(100 * u0).toFixed(1)}%, with columnPrefetch=1 ${(100 * u1).toFixed(1)}% (compile --target accel ${pc.s.toFixed(2)} s)`, '', null);
    // the target side of the same padding: one more bit of relative row index (docs/target.md
    // relIndexBits), gap-repair=false, compiled for that target (the encoding depends on it)
    const wideT = join(dir, `${c.name}.rel5.json`);
    writeFileSync(wideT, JSON.stringify({ relIndexBits: 5 }));
    const relLxb = join(dir, `${c.name}.rel5.lxb`);
    cli(['compile', modelFile, '--target', 'accel', '--target-config', wideT, '--pipeline', c.plainPipeline, '-o', relLxb], dir);
    const rp = L.readLxb(new Uint8Array(readFileSync(relLxb)), relLxb).program;
    const r0 = utilAt(rp, 1);
    const r1 = utilAt({ ...rp, target: L.withParams(rp.target, { columnPrefetch: 1 }) }, 1);
    row('  target relIndexBits=5, gap-repair=false', `${(100 * r0).toFixed(1)}%, with columnPrefetch=1 ${(100 * r1).toFixed(1)}%`, '', null);
  }
  row('PE utilization over the run', `${(100 * sim1.report.peUtilizationOverall).toFixed(1)}%`, '', null);
  const simMacs = st.usefulMacs / sim1.s;
  row('simulator useful MAC/s', `${(simMacs / 1e6).toFixed(1)}M (${st.usefulMacs} MACs in ${sim1.s.toFixed(2)} s CPU, ${sim1.wall.toFixed(2)} s wall)`, '>= 50M', simMacs >= 50e6);

  // `run --numerics fixed`: the same pipeline, lowered to lstm.fixed, run on the JS runtime
  const reg = L.builtinRegistry();
  const calib = c.calibrationInputs ? [c.calibrationInputs] : undefined;
  const g0 = L.importOnnx(new Uint8Array(readFileSync(modelFile)), { file: modelFile });
  const { graph } = await L.runPipeline(g0, L.parsePipeline(c.pipeline, reg), { target: L.defaultTarget, evaluate: L.makeRuntimeEvaluator(), calibration: calib });
  const t = L.defaultTarget;
  const fixed = L.createModel(L.lowerToRuntime(graph, { verify: false, fixed: { actBits: t.actBits, accBits: t.accBits, lutEntries: t.lutEntries } }));
  const feed = { [c.input]: { dtype: 'f32', shape: c.xDims, data: x1 } };
  const run = timed(() => fixed.run(feed));
  const fixedMacs = st.usefulMacs / run.s;
  row('run --numerics fixed useful MAC/s', `${(fixedMacs / 1e6).toFixed(1)}M (${run.s.toFixed(2)} s CPU, ${run.wall.toFixed(2)} s wall)`, '>= 50M', fixedMacs >= 50e6);
  const out = c.output;
  const a = run.r[out].data;
  const b = sim1.r.outputs.get(out).data;
  let same = a.length === b.length;
  for (let i = 0; same && i < a.length; i++) same = Math.fround(b[i]) === a[i];
  row('sim == run --numerics fixed (output, bit for bit)', same ? 'yes' : 'NO', 'yes', same);

  for (const [target, r] of Object.entries(compiles)) {
    const goalS = c.name === 'big' ? (target === 'accel' ? 3 : 2) : null;
    row(`compile --target ${target}`, `${r.s.toFixed(2)} s wall (${r.cpu.toFixed(2)} s CPU)`, goalS ? `<= ${goalS} s` : '', goalS ? r.s <= goalS : null);
    row(`  peak RSS`, `${(r.rss / 2 ** 20).toFixed(0)} MB (${(r.rss / modelBytes).toFixed(1)}x the model's ${(modelBytes / 2 ** 20).toFixed(1)} MB)`, goalS ? '<= 4x' : '', goalS ? r.rss <= 4 * modelBytes : null);
  }
  if (calibrated) {
    const q = calibrated.passMs.quantize / 1000;
    row('quantize with 1 calibration sample set', `${q.toFixed(2)} s (compile ${calibrated.s.toFixed(2)} s wall, ${(calibrated.rss / 2 ** 20).toFixed(0)} MB)`, '<= 3 s', q <= 3);
  }
  return rows;
}

function print(name, rows) {
  console.log(`\n## ${name}`);
  const w = Math.max(...rows.map((r) => r.what.length));
  const v = Math.max(...rows.map((r) => r.value.length));
  for (const r of rows) console.log(`${r.what.padEnd(w)}  ${r.value.padEnd(v)}  ${r.goal ? `goal ${r.goal}` : ''}${r.ok === null ? '' : r.ok ? '  ok' : '  MISSED'}`);
}

if (!argv.includes('--no-build')) execFileSync('npm', ['run', '--silent', 'build', '--', '--outputStyle=static'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NX_DAEMON: 'false' } });
console.log(`lstmc accelerator benchmark on ${cpus().length} core(s) (${cpus()[0]?.model ?? '?'}), node ${process.version}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`default target; MAC/s from this process's CPU time (wall time beside it), medians of ${REPS} runs; compile: wall time of one child process each`);
const dir = mkdtempSync(join(tmpdir(), 'lstmc-accel-bench-'));
try {
  const kwsDir = join(ROOT, 'examples/kws-lstm');
  const kwsIn = L.decodeTensorProto(new Uint8Array(readFileSync(join(kwsDir, 'test_data_set_0/input_0.pb'))), 'input_0.pb').tensor;
  const kwsG = L.importOnnx(new Uint8Array(readFileSync(join(kwsDir, 'model.onnx'))), { file: 'model.onnx' });
  const cases = [
    {
      name: 'big',
      title: `2-layer LSTM I=H=1024, T=100, ${BIG_PIPELINE}`,
      bytes: bigOnnx(1024, 1024, 100),
      pipeline: BIG_PIPELINE,
      plainPipeline: BIG_PIPELINE.replace('sparsity=0.9}', 'sparsity=0.9,gap-repair=false}'),
      input: 'X',
      output: 'Y',
      xDims: [100, 1, 1024],
      x: randomF32(100 * 1024, 1, 99),
    },
    {
      name: 'kws',
      title: 'examples/kws-lstm, -O accel, calibration = its test data',
      file: join(kwsDir, 'model.onnx'),
      pipeline: L.presetPipeline('accel'),
      calibration: join(kwsDir, 'test_data_set_0'),
      calibrationInputs: new Map([[kwsG.inputs[0], kwsIn]]),
      input: kwsG.inputs[0],
      output: kwsG.outputs[0],
      xDims: [kwsIn.dims[0], 1, kwsIn.dims[2]],
      x: firstSequence(kwsIn),
    },
  ];
  for (const c of cases) if (!only || only === c.name) print(c.title, await benchModel(c, dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
