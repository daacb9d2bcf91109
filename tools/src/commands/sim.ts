import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeTensorProto, encodeTensorProto, fail, makeTensor, withLocation } from '@lstmc/ir';
import { formatSimReport, readLxb, simReport, simulateProgram, traceJson, traceSink, type SimInput } from '@lstmc/backend-accel';
import { loadTargetFile, targetHash } from '@lstmc/target';
import type { Command } from '../command.js';
import { flag, stringOpt, UsageError } from '../command.js';
import { readBinary } from './dump.js';
import { readDataSetInputs, skippedNote } from '../data-set.js';
import { saturationReport } from '../numerics.js';

export const sim: Command = {
  name: 'sim',
  summary: 'run an accelerator binary on the cycle simulator: outputs, cycles, utilization, DMA, branch decisions',
  args: ['BINARY'],
  options: {
    data: { type: 'string', value: 'DIR', help: 'folder with input_N.pb in graph-input order (ONNX test data layout)' },
    out: { type: 'string', value: 'DIR', help: 'write output_N.pb here' },
    stats: { type: 'string', value: 'FILE', help: 'write the statistics as JSON' },
    trace: { type: 'string', value: 'FILE', help: 'write a Chrome trace-event timeline (chrome://tracing, Perfetto)' },
    'target-config': { type: 'string', value: 'FILE', help: 'check that the binary was compiled for this target' },
    check: { type: 'boolean', help: 'compare with output_N.pb in --data DIR and print the max abs error (fixed point vs the file) per output' },
  },
  details: [
    'Limits: a binary runs sequences of at most the maxSeqLen steps its DRAM layout was compiled for',
    "(shown by `lstmc dump`; longer inputs are refused with E-SIM-INPUT naming both lengths), and one",
    'accelerator run stops after 2e8 instructions (E-SIM-LIMIT: a runaway loop in hand-written code).',
    'Inputs holding NaN or an infinity are refused (E-SIM-NONFINITE, with the time step and batch entry):',
    'fixed point has no NaN, and an infinity would saturate silently.',
  ].join('\n'),
  run(args, io) {
    const file = args.positionals[0];
    const dataDir = stringOpt(args, 'data');
    if (dataDir === undefined) throw new UsageError('give the inputs with --data DIR');
    const { program } = readLxb(readBinary(file, io.cwd), file);
    const tc = stringOpt(args, 'target-config');
    if (tc !== undefined) {
      const t = loadTargetFile(resolve(io.cwd, tc));
      if (targetHash(t) !== targetHash(program.target)) fail('E-SIM-TARGET', `'${file}' was compiled for target ${targetHash(program.target)}, not ${targetHash(t)}`, { file: tc });
    }
    const dir = resolve(io.cwd, dataDir);
    const ds = readDataSetInputs(dataDir, program.io.graphInputs, io.cwd);
    io.stderr(skippedNote(ds.skipped));
    const inputs = new Map<string, SimInput>();
    program.io.graphInputs.forEach((name, i) => {
      const f = ds.byInput.get(name);
      if (!f) fail('E-SIM-INPUT', `input '${name}' needs ${join(dataDir, `input_${i}.pb`)}`, { file: join(dataDir, `input_${i}.pb`), field: name });
      inputs.set(name, { dims: f.tensor.shape, data: Array.from(f.tensor.data as ArrayLike<number | bigint>, Number) });
    });
    const sink = stringOpt(args, 'trace') !== undefined ? traceSink() : undefined;
    const r = withLocation({ file }, () => simulateProgram(program, inputs, { trace: sink }));
    for (const [name, t] of r.outputs) {
      const k = t.data.findIndex((v) => !Number.isFinite(v));
      // Fixed-point outputs are always finite; a host segment (float32) may overflow.
      if (k >= 0) fail('E-SIM-NONFINITE-OUTPUT', `output '${name}' became ${t.data[k]} at element ${k} of [${t.dims.join(', ')}] from finite inputs (an overflow in a host segment)`, { file, field: name });
    }
    const report = simReport(program, r);
    io.stdout(formatSimReport(report));
    for (const line of saturationReport(r.saturation)) io.stdout(line);
    const outDir = stringOpt(args, 'out');
    if (outDir !== undefined) {
      const od = resolve(io.cwd, outDir);
      mkdirSync(od, { recursive: true });
      program.io.graphOutputs.forEach((name, i) => {
        const t = r.outputs.get(name)!;
        writeFileSync(join(od, `output_${i}.pb`), encodeTensorProto(name, makeTensor('f32', t.dims, Float32Array.from(t.data))));
      });
      io.stdout(`wrote ${program.io.graphOutputs.length} output(s) to ${outDir}\n`);
    }
    const statsFile = stringOpt(args, 'stats');
    if (statsFile !== undefined) writeFileSync(resolve(io.cwd, statsFile), `${JSON.stringify({ ...report, saturation: r.saturation }, null, 2)}\n`);
    const traceFile = stringOpt(args, 'trace');
    if (traceFile !== undefined && sink) writeFileSync(resolve(io.cwd, traceFile), traceJson(sink, program.target.clockMHz));
    if (flag(args, 'check')) {
      program.io.graphOutputs.forEach((name, i) => {
        const path = join(dir, `output_${i}.pb`);
        if (!existsSync(path)) fail('E-SIM-CHECK-MISSING', `no expected value for output '${name}'`, { file: join(dataDir, `output_${i}.pb`) });
        const want = decodeTensorProto(readFileSync(path), path).tensor.data as ArrayLike<number>;
        const got = r.outputs.get(name)!.data;
        let err = 0;
        for (let k = 0; k < got.length; k++) err = Math.max(err, Math.abs(got[k] - Number(want[k])));
        io.stdout(`output_${i} ${name}: max abs error ${err.toExponential(3)} (fixed point vs ${join(dataDir, `output_${i}.pb`)})\n`);
      });
    }
    return 0;
  },
};
