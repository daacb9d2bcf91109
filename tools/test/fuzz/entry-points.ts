/**
 * The entry points the fuzzer drives, each with the arbitrary of its inputs and the call under
 * test. A call returns the numbers that must be finite (outputs, weights it produced) or nothing;
 * it may throw lstmc's diagnostic. What the CLI adds around a library call (input and output
 * checks) is part of the call, so a finding here is a finding of the command.
 */
import fc from 'fast-check';
import { DiagnosticError, decodeTensorProto, encodeTensorProto, exportOnnx, importOnnx, parseGraph, printGraph, verifyGraph, type Graph, type Tensor } from '@lstmc/ir';
import { HEADER_FIELDS, createModel, loadModel, type RtTensor } from '@lstmc/runtime';
import { decodeRtTensorProto, lowerToRuntime, readNpy, writeNpy, irToRtTensor } from '@lstmc/backend-js';
import { SECTION_ORDER, assemble, listing, listingJson, readLxb, simulateProgram, type SimInput } from '@lstmc/backend-accel';
import { builtinRegistry, parsePipeline, printPipeline, type Pipeline } from '@lstmc/passes';
import { TARGET_KEYS, TARGET_PARAMS, defaultTarget, parseTarget, printTarget, type Target } from '@lstmc/target';
import { checkFiniteInputs, checkFiniteOutputs } from '../../src/finite.js';
import { applyByteEdits, applyEditsWithin, applyJsonEdits, applyTextEdits, byteEdits, inPlaceEdits, jsonEdits, textEdits } from './mutate.js';
import { applyStructureEdits, structureEdits } from './structure.js';
import { fixLrgCrcs, fixLxbCrcs, LXB_JSON_SECTIONS, rewriteLrgManifest, rewriteLxbJson } from './containers.js';
import { base, lrgBytes, lxbBytes, modelSpec, onnxBytes, runTextPipeline, type Base } from './models.js';
import type { Produced } from './outcome.js';

export interface EntryPoint<C = unknown> {
  readonly name: string;
  readonly summary: string;
  readonly arbitrary: fc.Arbitrary<C>;
  run(c: C): Produced | Promise<Produced>;
}

const FILE = 'fuzz.onnx';

/** `arb` in one case of `every`, else undefined (towards which cases shrink). */
function sometimes<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

/** In one case of five an input element is NaN or infinite (to check it is refused, not computed with). */
const inputPoison = sometimes(
  fc.record({ value: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
  5,
);

function poisoned(t: Tensor, p: { value: number; at: number } | undefined): Tensor {
  if (!p || t.data.length === 0) return t;
  const data = Float32Array.from(t.data as Float32Array);
  data[Math.floor(p.at * data.length)] = p.value;
  return { ...t, data };
}

function feedOf(b: Base, p: { value: number; at: number } | undefined): Record<string, RtTensor> {
  const feed: Record<string, RtTensor> = {};
  for (const [name, t] of b.inputs) feed[name] = irToRtTensor(poisoned(t, p), { field: name });
  return feed;
}

/** A poisoned input that was run without a diagnostic is itself a silent non-finite value. */
function unrefused(p: { value: number } | undefined): [string, ArrayLike<number>][] {
  return p ? [['a non-finite input that nothing refused', [p.value]]] : [];
}

function produced(outs: Record<string, RtTensor>): Produced {
  return new Map(Object.entries(outs).map(([k, t]) => [k, t.data as ArrayLike<number | bigint>]));
}

/** A target with a few parameters at their limits or defaults; parameters that do not fit together fall back to the default target. */
const targetArb: fc.Arbitrary<Target> = fc
  .dictionary(
    fc.constantFrom(...TARGET_KEYS),
    fc.constantFrom('min' as const, 'max' as const, 'default' as const, 'half' as const),
    { maxKeys: 3 },
  )
  .map((pick) => {
    const o: Record<string, number> = {};
    for (const [k, how] of Object.entries(pick)) {
      const s = TARGET_PARAMS[k as keyof typeof TARGET_PARAMS] as { default: number; min?: number; max?: number };
      const v = how === 'min' ? (s.min ?? s.default) : how === 'max' ? Math.min(s.max ?? s.default, 64) : how === 'half' ? Math.max(1, Math.round(s.default / 2)) : s.default;
      o[k] = v;
    }
    try {
      return parseTarget(JSON.stringify(o));
    } catch {
      return defaultTarget;
    }
  });

function importChecked(bytes: Uint8Array): Graph {
  const g = importOnnx(bytes, { file: FILE });
  const errs = verifyGraph(g, { file: FILE });
  if (errs.length) throw new DiagnosticError(errs[0]!);
  return g;
}

const onnxCase = fc.record({
  spec: modelSpec,
  mutation: fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.record({ kind: fc.constant('bytes' as const), edits: byteEdits }),
    fc.record({ kind: fc.constant('structure' as const), edits: structureEdits }),
  ),
});

function mutatedOnnx(c: typeof onnxCase extends fc.Arbitrary<infer T> ? T : never): Uint8Array {
  const b = base(c.spec);
  const m = c.mutation;
  if (m.kind === 'bytes') return applyByteEdits(onnxBytes(b), m.edits);
  if (m.kind === 'structure') return exportOnnx(applyStructureEdits(b.graph, m.edits));
  return onnxBytes(b);
}

/** Per pass: the pipeline that reaches it (its requirements) and random values for its declared options. */
const PASS_PREFIX: Record<string, string> = {
  fold: '',
  prune: 'fold',
  sparsity: 'fold',
  'select-mode': 'fold,sparsity',
  quantize: 'fold,sparsity,select-mode',
  encode: 'fold,sparsity,select-mode,quantize',
  delta: 'fold',
};

const OPTION_VALUES = ['0', '1', '0.5', '0.99', '-1', '2', '1e9', 'auto', 'true', 'false', 'off', 'nan', 'x', '4x4', '1x1', '0x3', 'balanced', 'modulo', 'csr', 'bitmap', 'calibration', 'runtime', 'static', 'or', 'and', '8', '16'];

function passCase(pass: string) {
  const spec = builtinRegistry().passes.get(pass)!.pass.options;
  const keys = Object.keys(spec);
  return fc.record({
    spec: modelSpec,
    target: targetArb,
    options: keys.length ? fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...OPTION_VALUES), { maxKeys: 3 }) : fc.constant({}),
    edits: sometimes(structureEdits, 4),
  });
}

async function runPass(pass: string, c: { spec: Base['spec']; target: Target; options: Record<string, string>; edits?: Parameters<typeof applyStructureEdits>[1] }): Promise<Produced> {
  const b = base(c.spec);
  let g = b.graph;
  // Only graphs the importer lets through reach the passes, as in `lstmc compile`.
  if (c.edits) g = importChecked(exportOnnx(applyStructureEdits(g, c.edits)));
  const opts = Object.entries(c.options).map(([k, v]) => `${k}=${v}`).join(',');
  const step = opts ? `${pass}{${opts}}` : pass;
  const prefix = PASS_PREFIX[pass]!;
  const out = await runTextPipeline(g, prefix ? `${prefix},${step}` : step, c.target);
  return new Map([...out.initializers].filter(([, t]) => t.dtype === 'f32').map(([k, t]) => [k, t.data as Float32Array]));
}

const lrgCase = fc.record({
  spec: modelSpec,
  mutation: fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('bytes' as const), edits: byteEdits }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('manifest' as const), edits: jsonEdits }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('blob' as const), edits: inPlaceEdits }) },
  ),
  poison: inputPoison,
});

const lxbCase = fc.record({
  spec: modelSpec,
  target: targetArb,
  mutation: fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('bytes' as const), edits: byteEdits }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('json' as const), section: fc.constantFrom(...LXB_JSON_SECTIONS), edits: jsonEdits }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('section' as const), section: fc.constantFrom(...SECTION_ORDER), edits: inPlaceEdits }) },
  ),
  poison: inputPoison,
});

type LxbCase = typeof lxbCase extends fc.Arbitrary<infer T> ? T : never;

async function mutatedLxb(c: LxbCase): Promise<{ bytes: Uint8Array; b: Base }> {
  const b = base(c.spec);
  const bytes = await lxbBytes(b, c.target);
  const m = c.mutation;
  if (m.kind === 'bytes') return { bytes: fixLxbCrcs(applyByteEdits(bytes, m.edits, 24)), b };
  if (m.kind === 'json') return { bytes: rewriteLxbJson(bytes, m.section, (v) => applyJsonEdits(v, m.edits)), b };
  if (m.kind === 'section') {
    const s = readLxb(bytes).sections.find((x) => x.kind === m.section)!;
    return { bytes: fixLxbCrcs(applyEditsWithin(bytes, s.offset, s.offset + s.length, m.edits)), b };
  }
  return { bytes, b };
}

/** The inputs `lstmc sim` gives the simulator (graph inputs in order), checked as `sim` checks them. */
function simInputs(b: Base, poison: { value: number; at: number } | undefined, names: readonly string[]): Map<string, SimInput> {
  const m = new Map<string, SimInput>();
  for (const name of names) {
    const t = b.inputs.get(name);
    if (!t) continue;
    const p = poisoned(t, poison);
    m.set(name, { dims: p.dims, data: Array.from(p.data as Float32Array) });
  }
  return m;
}

const tensorCase = fc.record({
  spec: modelSpec,
  format: fc.constantFrom('npy' as const, 'pb' as const),
  edits: byteEdits,
});

const pipelineCase = fc.record({
  steps: fc.array(
    fc.record({
      name: fc.constantFrom(...Object.keys(PASS_PREFIX), 'nope', 'Fold', ''),
      options: fc.dictionary(fc.constantFrom('sparsity', 'method', 'which', 'weight-threshold', 'max-elements', 'dce', 'x', 'block'), fc.constantFrom(...OPTION_VALUES, '"q"', '{', ''), { maxKeys: 3 }),
    }),
    { maxLength: 5 },
  ),
  edits: sometimes(textEdits, 2),
});

export const ENTRY_POINTS: readonly EntryPoint<any>[] = [
  {
    name: 'onnx-import',
    summary: 'importOnnx + verifyGraph on valid, byte-mutated and structure-mutated LSTM models',
    arbitrary: onnxCase,
    run: (c) => void importChecked(mutatedOnnx(c)),
  },
  {
    name: 'verify',
    summary: 'verifyGraph on structure-mutated IR graphs (no ONNX round trip)',
    arbitrary: fc.record({ spec: modelSpec, edits: structureEdits }),
    run: (c) => void verifyGraph(applyStructureEdits(base(c.spec).graph, c.edits), { file: FILE }),
  },
  ...Object.keys(PASS_PREFIX).map(
    (pass): EntryPoint => ({
      name: `pass:${pass}`,
      summary: `the ${pass} pass (after the passes it requires) with random options and targets`,
      arbitrary: passCase(pass),
      run: (c) => runPass(pass, c as Parameters<typeof runPass>[1]),
    }),
  ),
  {
    name: 'codegen-js',
    summary: 'lowerToRuntime (float and fixed numerics) + runtime run of the result, on imported (possibly mutated) models',
    arbitrary: fc.record({ spec: modelSpec, edits: sometimes(structureEdits, 3), fixed: fc.boolean(), target: targetArb }),
    async run(c) {
      const b = base(c.spec);
      const g0 = c.edits ? applyStructureEdits(b.graph, c.edits) : b.graph;
      const g1 = importChecked(exportOnnx(g0));
      const g = await runTextPipeline(g1, c.fixed ? 'fold,sparsity,select-mode,quantize' : 'fold,sparsity,select-mode{weight-threshold=0.8,input-test=off}', c.target);
      const fixed = c.fixed ? { actBits: c.target.actBits, accBits: c.target.accBits, lutEntries: c.target.lutEntries } : undefined;
      const model = createModel(lowerToRuntime(g, { file: FILE, verify: false, ...(fixed ? { fixed } : {}) }));
      const feed = feedOf(b, undefined);
      checkFiniteInputs(model, feed);
      return produced(checkFiniteOutputs(model.run(feed)));
    },
  },
  {
    name: 'codegen-accel',
    summary: 'compileAccelBinary on imported (possibly mutated) models for random targets; its output must read back',
    arbitrary: fc.record({ spec: modelSpec, edits: sometimes(structureEdits, 3), target: targetArb }),
    async run(c) {
      const b = base(c.spec);
      const g = c.edits ? importChecked(exportOnnx(applyStructureEdits(b.graph, c.edits))) : b.graph;
      const bytes = await lxbBytes({ ...b, graph: g }, c.target);
      readLxb(bytes, 'fuzz.lxb');
    },
  },
  {
    name: 'lrg-run',
    summary: 'runtime loadModel + run on .lrg files mutated (bytes with checksums fixed, manifest JSON), with finite or poisoned inputs',
    arbitrary: lrgCase,
    async run(c) {
      const b = base(c.spec);
      let bytes = await lrgBytes(b);
      const m = c.mutation;
      if (m.kind === 'bytes') bytes = fixLrgCrcs(applyByteEdits(bytes, m.edits, 64));
      if (m.kind === 'manifest') bytes = rewriteLrgManifest(bytes, (j) => applyJsonEdits(j, m.edits));
      if (m.kind === 'blob') bytes = fixLrgCrcs(applyEditsWithin(bytes, new DataView(bytes.buffer, bytes.byteOffset).getUint32(HEADER_FIELDS.blobOffset, true), bytes.length, m.edits));
      const model = loadModel(bytes);
      const feed = feedOf(b, c.poison);
      checkFiniteInputs(model, feed);
      return new Map([...produced(checkFiniteOutputs(model.run(feed)))!, ...unrefused(c.poison)]);
    },
  },
  {
    name: 'lxb-read',
    summary: 'readLxb on .lxb files mutated (bytes with checksums fixed, io/matrices/debug JSON)',
    arbitrary: lxbCase,
    run: async (c) => void readLxb((await mutatedLxb(c)).bytes, 'fuzz.lxb'),
  },
  {
    name: 'listing',
    summary: 'readLxb + listing + listingJson (lstmc dump) on mutated .lxb files',
    arbitrary: lxbCase,
    async run(c) {
      const f = readLxb((await mutatedLxb(c)).bytes, 'fuzz.lxb');
      listing(f);
      JSON.stringify(listingJson(f));
    },
  },
  {
    name: 'sim',
    summary: 'readLxb + simulateProgram (lstmc sim) on mutated .lxb files, with finite or poisoned inputs',
    arbitrary: lxbCase,
    async run(c) {
      const { bytes, b } = await mutatedLxb(c);
      const { program } = readLxb(bytes, 'fuzz.lxb');
      const r = simulateProgram(program, simInputs(b, c.poison, program.io.graphInputs), { maxInstructions: 2_000_000 });
      return new Map([...r.outputs].map(([k, t]) => [k, t.data] as [string, ArrayLike<number>]).concat(unrefused(c.poison)));
    },
  },
  {
    name: 'lir',
    summary: 'parseGraph + verifyGraph on mutated textual IR',
    arbitrary: fc.record({ spec: modelSpec, edits: textEdits }),
    run(c) {
      const text = applyTextEdits(printGraph(base(c.spec).graph), c.edits);
      const g = parseGraph(text, { file: 'fuzz.lir' });
      const errs = verifyGraph(g, { file: 'fuzz.lir' });
      if (errs.length) throw new DiagnosticError(errs[0]!);
    },
  },
  {
    name: 'pipeline',
    summary: 'parsePipeline + printPipeline (which must parse back to the same text) on generated and mutated pipeline text',
    arbitrary: pipelineCase,
    run(c) {
      let text = c.steps.map((s: { name: string; options: Record<string, string> }) => {
        const o = Object.entries(s.options).map(([k, v]) => `${k}=${v}`).join(',');
        return o ? `${s.name}{${o}}` : s.name;
      }).join(',');
      if (c.edits) text = applyTextEdits(text, c.edits);
      const reg = builtinRegistry();
      const p: Pipeline = parsePipeline(text, reg);
      const printed = printPipeline(p);
      if (printPipeline(parsePipeline(printed, reg)) !== printed) throw new Error(`pipeline text does not round-trip: '${text}' printed as '${printed}'`);
    },
  },
  {
    name: 'asm',
    summary: 'assemble on mutated listings (lstmc asm); what it assembles must read back',
    arbitrary: fc.record({ spec: modelSpec, edits: textEdits }),
    async run(c) {
      const text = applyTextEdits(listing(readLxb(await lxbBytes(base(c.spec)))), c.edits);
      readLxb(assemble(text, 'fuzz.s'), 'fuzz.lxb');
    },
  },
  {
    name: 'target',
    summary: 'parseTarget on mutated target JSON',
    arbitrary: fc.record({ edits: jsonEdits, text: sometimes(textEdits, 3) }),
    run(c) {
      const json = JSON.stringify(applyJsonEdits(JSON.parse(printTarget(defaultTarget)), c.edits));
      parseTarget(c.text ? applyTextEdits(json, c.text) : json, 'fuzz.json');
    },
  },
  {
    name: 'tensor-file',
    summary: 'readNpy / TensorProto decoders on byte-mutated input files',
    arbitrary: tensorCase,
    run(c) {
      const b = base(c.spec);
      const [name, t] = [...b.inputs][0]!;
      const rt = irToRtTensor(t, { field: name }) as Parameters<typeof writeNpy>[0];
      if (c.format === 'npy') {
        readNpy(applyByteEdits(writeNpy(rt), c.edits), 'fuzz.npy');
        return;
      }
      // A mutated file may hold NaN: decoding it is right, so no output is checked for finiteness.
      const bytes = applyByteEdits(encodeTensorProto(name, t), c.edits);
      decodeTensorProto(bytes, 'fuzz.pb');
      decodeRtTensorProto(bytes, 'fuzz.pb');
    },
  },
];

export function entryPoint(name: string): EntryPoint {
  const e = ENTRY_POINTS.find((x) => x.name === name);
  if (!e) throw new Error(`no fuzz entry point '${name}' (known: ${ENTRY_POINTS.map((x) => x.name).join(', ')})`);
  return e;
}

