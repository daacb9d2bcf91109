import { existsSync, statSync, writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { fail } from '@lstmc/ir';
import { PRESETS, printPipeline } from '@lstmc/passes';
import type { Command } from '../command.js';
import { flag, stringOpt } from '../command.js';
import { loadModel } from '../load-model.js';
import { PASS_FLAG_OPTIONS, isTextIr, loadTextIr, runPassFlags, targetFromArgs } from '../pass-flags.js';
import { readSimInputs } from '../sim-inputs.js';
import { readBinary } from './dump.js';
import { type CollectOptions, type ReportData, collectFromBinary, collectFromModel, defaultCpuOptions, renderReportPage } from '../report/index.js';

const BINARY_EXT = '.lxb';

export const report: Command = {
  name: 'report',
  summary: 'write one self-contained HTML page: graph and placement, sparsity heatmaps, mode decisions, what-if curves, quantization, simulated timeline',
  args: ['MODEL'],
  options: {
    ...PASS_FLAG_OPTIONS,
    output: { type: 'string', short: 'o', value: 'FILE', help: 'the HTML file to write (default report.html)' },
    sim: { type: 'string', value: 'DIR', help: 'simulate the binary on input_N.pb of DIR and draw its cycle timeline' },
    'no-measure': { type: 'boolean', help: 'do not time the JS runtime for the what-if curves' },
  },
  details: [
    'MODEL is an ONNX model or textual IR (.lir), run through the pass pipeline of the flags',
    `(default -O accel), or an accelerator binary (${BINARY_EXT}), shown as its container holds it.`,
    'The page loads nothing from the network: open it from disk in any browser.',
  ].join('\n'),
  async run(args, io) {
    const file = args.positionals[0]!;
    const out = stringOpt(args, 'output') ?? 'report.html';
    const simDir = stringOpt(args, 'sim');
    if (simDir !== undefined && !(existsSync(resolve(io.cwd, simDir)) && statSync(resolve(io.cwd, simDir)).isDirectory()))
      fail('E-REPORT-SIM-DATA', `--sim needs a folder of input_N.pb files; '${simDir}' is not one`, { file: simDir });
    const opts: CollectOptions = {
      cpu: flag(args, 'no-measure') ? null : defaultCpuOptions,
      simInputs: simDir === undefined ? undefined : (p) => readSimInputs(p, simDir, io.cwd, io.stderr),
    };
    let data: ReportData;
    if (extname(file) === BINARY_EXT) data = collectFromBinary(file, readBinary(file, io.cwd), opts);
    else {
      const lir = isTextIr(file) ? loadTextIr(file, io.cwd) : undefined;
      const g = lir ? lir.graph : loadModel(file, io.cwd);
      const run = await runPassFlags(g, args, io, { file, fallback: lir?.pipeline ?? PRESETS.accel });
      data = collectFromModel(file, run.graph, printPipeline(run.pipeline), run.results, targetFromArgs(args, io), opts);
    }
    const html = renderReportPage(data);
    try {
      writeFileSync(resolve(io.cwd, out), html);
    } catch (e) {
      fail('E-IO', `cannot write '${out}': ${(e as Error).message}`, { file: out });
    }
    const parts = [`${data.matrices.length} matrices`, `${data.decisions.length} layer decision(s)`, data.sim ? `${data.sim.events.start.length} simulated instructions` : 'no timeline'];
    io.stdout(`wrote ${out} (${(html.length / 1024).toFixed(0)} KB: ${parts.join(', ')})\n`);
    return 0;
  },
};
