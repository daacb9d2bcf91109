/**
 * Everything `lstmc report` shows, gathered from a model (run through the
 * pass pipeline, partitioned, compiled for the accelerator and lowered for
 * the JS runtime) or from an accelerator binary. Rendering is page.ts's job.
 */
import { DiagnosticError, type Graph } from '@lstmc/ir';
import { compileAccelBinary, type LxbProgram, type Partition, type SimInput, partitionGraph, readLxb } from '@lstmc/backend-accel';
import { lowerToRuntime } from '@lstmc/backend-js';
import type { PassResult } from '@lstmc/passes';
import type { RuntimeModel } from '@lstmc/runtime';
import type { Target } from '@lstmc/target';
import { collectDecisions } from './collect-decisions.js';
import { graphOfModel, graphOfProgram } from './collect-graph.js';
import { matricesOfGraph, matricesOfProgram } from './collect-matrices.js';
import { collectQuantization } from './collect-quant.js';
import { collectSim } from './collect-sim.js';
import { collectWhatIf, whatIfCurve } from './collect-what-if.js';
import type { CpuMeasureOptions } from './measure-cpu.js';
import type { ReportData, WhatIfData } from './report-data.js';

export interface CollectOptions {
  /** Time the JS runtime at a few sparsities (null: no CPU measurements). */
  readonly cpu: ((input: number, hidden: number) => CpuMeasureOptions) | null;
  /** Inputs of a simulated run of the binary (`--sim DATA`), read once the binary's inputs are known. */
  readonly simInputs?: (p: LxbProgram) => ReadonlyMap<string, SimInput>;
}

/** Default CPU measurement: about 4M multiply-adds (dense) per run, 1 to 128 steps, median of 7 runs. */
export function defaultCpuOptions(input: number, hidden: number): CpuMeasureOptions {
  const macs = 4 * hidden * (input + hidden);
  return { steps: Math.max(1, Math.min(128, Math.round(4e6 / macs))), repeats: 7, sparsities: [0, 0.5, 0.7, 0.8, 0.9, 0.95] };
}

function attempt<T>(f: () => T, notes: string[], what: string): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    notes.push(`${what}: error[${e.diagnostic.code}]: ${e.diagnostic.message}`);
    return undefined;
  }
}

/** The report of a model after its pass pipeline (`results`: the steps that ran). */
export function collectFromModel(file: string, g: Graph, pipeline: string, results: readonly PassResult[], t: Target, o: CollectOptions): ReportData {
  const notes: string[] = [];
  const partition: Partition = partitionGraph(g);
  const compiled = attempt(() => compileAccelBinary(g, t), notes, 'no accelerator binary (no timeline, modulo PE mapping)');
  const program = compiled ? readLxb(compiled.bytes, file).program : undefined;
  const rt: RuntimeModel | undefined = attempt(() => lowerToRuntime(g, { file, verify: false }), notes, 'no JS runtime lowering (no kernels)');
  const decisions = collectDecisions(g, t);
  if (decisions.length === 0) notes.push('no mode decisions: the pipeline has no select-mode step (or no LSTM with constant weights)');
  const quantization = collectQuantization(g);
  if (quantization.length === 0) notes.push('no quantization: the pipeline has no quantize step');
  else if (quantization.some((q) => q.maxAbsError === null)) notes.push('quantization error not measured: give --calibration DIR');
  if (g.nodes.some((n) => n.op === 'If' || n.op === 'Loop')) notes.push('LSTMs inside If/Loop subgraphs run on the host (the JS runtime): their weights and decisions are shown; the timeline covers the accelerator only');
  const sim = program && o.simInputs ? collectSim(program, o.simInputs(program), file) : null;
  if (o.simInputs && !program) notes.push('no timeline: the model does not compile for the accelerator');
  return {
    file,
    kind: 'model',
    pipeline,
    target: { ...t },
    graph: graphOfModel(g, partition, rt),
    matrices: matricesOfGraph(g, program, t.pes),
    decisions,
    whatIf: collectWhatIf(decisions, t, o.cpu),
    quantization,
    passReports: results.filter((r) => r.reports.length).map((r) => ({ step: r.step, tables: r.reports })),
    sim,
    notes,
  };
}

/** The report of an accelerator binary: what its container holds (no pass decisions, no quantization errors). */
export function collectFromBinary(file: string, bytes: Uint8Array, o: CollectOptions): ReportData {
  const p = readLxb(bytes, file).program;
  const matrices = matricesOfProgram(p);
  const whatIf: WhatIfData[] = [];
  for (const w of matrices.filter((m) => m.matrix === 'W' && m.dir === 0)) {
    const r = matrices.find((m) => m.node === w.node && m.matrix === 'R' && m.dir === 0);
    if (!r) continue;
    const hidden = r.cols;
    whatIf.push(whatIfCurve({ node: w.node, input: w.cols, hidden, current: (w.sparsity + r.sparsity) / 2, inputSparsityW: 0, inputSparsityR: 0 }, p.target, o.cpu ? o.cpu(w.cols, hidden) : null));
  }
  return {
    file,
    kind: 'binary',
    pipeline: null,
    target: { ...p.target },
    graph: graphOfProgram(p),
    matrices,
    decisions: [],
    whatIf,
    quantization: [],
    passReports: [],
    sim: o.simInputs ? collectSim(p, o.simInputs(p), file) : null,
    notes: ['a binary records its weight layouts (dense/csc) but not the sparsities, thresholds and errors the passes measured: report the model for those'],
  };
}
