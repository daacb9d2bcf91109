import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { decodeTensorProto, encodeTensorProto, fail, makeTensor, withLocation } from '@lstmc/ir';
import { formatSimReport, readLxb, recordedErrors, simReport, simulateProgram, traceJson, traceSink } from '@lstmc/backend-accel';
import { loadTargetFile, targetHash } from '@lstmc/target';
import type { Command } from '../command.js';
import { flag, stringOpt, UsageError } from '../command.js';
import { readBinary } from './dump.js';
import { readSimInputs } from '../sim-inputs.js';
import { TOLERANCE_OPTION, toleranceOf } from '../tolerance.js';
import { JSON_OPTION, printResult } from '../json-output.js';
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
    exact: { type: 'boolean', help: 'run products on the cycle-exact path (each PE walks its own entries); same results and cycles, slower' },
    check: { type: 'boolean', help: 'compare with output_N.pb in --data DIR and print the max abs error (fixed point vs the file) per output; exit 1 above --tolerance' },
    ...TOLERANCE_OPTION,
    ...JSON_OPTION,
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
    const inputs = readSimInputs(program, dataDir, io.cwd, io.stderr);
    // The binary records the quantize pass's measured errors: per accelerator layer direction and per host node running fixed-point LSTMs.
    const tolerance = toleranceOf(args, recordedErrors(program.io));
    const check = flag(args, 'check');
    const sink = stringOpt(args, 'trace') !== undefined ? traceSink() : undefined;
    const r = withLocation({ file }, () => simulateProgram(program, inputs, { trace: sink, exact: flag(args, 'exact') }));
    for (const [name, t] of r.outputs) {
      const k = t.data.findIndex((v) => !Number.isFinite(v));
      // Fixed-point outputs are always finite; a host segment (float32) may overflow.
      if (k >= 0) fail('E-SIM-NONFINITE-OUTPUT', `output '${name}' became ${t.data[k]} at element ${k} of [${t.dims.join(', ')}] from finite inputs (an overflow in a host segment)`, { file, field: name });
    }
    const report = simReport(program, r);
    const outDir = stringOpt(args, 'out');
    const written = outDir !== undefined ? program.io.graphOutputs.map((_, i) => join(outDir, `output_${i}.pb`)) : undefined;
    if (outDir !== undefined) {
      mkdirSync(resolve(io.cwd, outDir), { recursive: true });
      program.io.graphOutputs.forEach((name, i) => {
        const t = r.outputs.get(name)!;
        writeFileSync(resolve(io.cwd, written![i]!), encodeTensorProto(name, makeTensor('f32', t.dims, Float32Array.from(t.data))));
      });
    }
    const statsFile = stringOpt(args, 'stats');
    if (statsFile !== undefined) writeFileSync(resolve(io.cwd, statsFile), `${JSON.stringify({ ...report, saturation: r.saturation }, null, 2)}\n`);
    const traceFile = stringOpt(args, 'trace');
    if (traceFile !== undefined && sink) writeFileSync(resolve(io.cwd, traceFile), traceJson(sink, program.target.clockMHz));
    const checked = check
      ? program.io.graphOutputs.map((name, i) => {
          const shown = join(dataDir, `output_${i}.pb`);
          const path = join(dir, `output_${i}.pb`);
          if (!existsSync(path)) fail('E-SIM-CHECK-MISSING', `no expected value for output '${name}'`, { file: shown });
          const want = decodeTensorProto(readFileSync(path), shown).tensor;
          const got = r.outputs.get(name)!;
          if (want.dims.join() !== got.dims.join())
            return { name, expected: shown, maxAbsError: null, mismatch: `shape [${got.dims.join(', ')}] vs [${want.dims.join(', ')}]`, ok: false };
          const w = want.data as ArrayLike<number>;
          let err = 0;
          for (let k = 0; k < got.data.length; k++) {
            const e = Math.abs(got.data[k]! - Number(w[k]));
            err = Number.isNaN(e) ? Infinity : Math.max(err, e);
          }
          return { name, expected: shown, maxAbsError: err, ok: err <= tolerance.value };
        })
      : undefined;
    const bad = checked?.filter((c) => !c.ok).length ?? 0;
    const result = {
      binary: file,
      stats: report,
      saturation: r.saturation,
      outputs: program.io.graphOutputs.map((name, i) => ({ name, shape: r.outputs.get(name)!.dims, ...(written ? { file: written[i] } : {}) })),
      ...(checked ? { check: { tolerance: tolerance.value, toleranceSource: tolerance.source, ok: bad === 0, outputs: checked } } : {}),
    };
    printResult(args, io, result, () => [
      formatSimReport(report).trimEnd(),
      ...saturationReport(r.saturation).map((l) => l.trimEnd()),
      ...(written ? [`wrote ${written.length} output(s) to ${outDir}`] : []),
      ...(checked ?? []).map(
        (c, i) =>
          `output_${i} ${c.name}: ${c.maxAbsError !== null ? `max abs error ${c.maxAbsError.toExponential(3)} (fixed point vs ${c.expected}; tolerance ${tolerance.value.toExponential(3)}, ${tolerance.source})` : `mismatch: ${c.mismatch}`}${c.ok ? '' : '  FAIL'}`,
      ),
    ]);
    if (bad > 0) {
      io.stderr(`error[E-SIM-CHECK]: ${bad} of ${program.io.graphOutputs.length} output(s) differ from ${dataDir} by more than ${tolerance.value} (${tolerance.source})\n`);
      return 1;
    }
    return 0;
  },
};
