import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTensors, decodeRtTensorProto } from '@lstmc/backend-js';
import { loadModel, type RtTensor } from '@lstmc/runtime';
import { cli, REPO } from './helpers.js';
import { readWav16, runStream, type StreamSpec } from './silero-stream.js';

// The real-model corpus (tools/test/corpus/README.md): torch 1.13 and torch 2
// exports with torch's outputs, Silero VAD models with onnxruntime-node's. Every model and
// data set is its own test, run through the CLI exactly as a user runs it;
// a model lstmc cannot handle fails with lstmc's diagnostic.

const CORPUS = join(REPO, 'tools/test/corpus');
const TOLERANCE = 1e-4;

interface Entry {
  readonly name: string;
  readonly path: string;
}
interface StreamExpected {
  readonly audio: string;
  readonly sr: number;
  readonly state: StreamSpec['state'];
  readonly streams: readonly {
    readonly frame: number;
    readonly context: number;
    readonly frames: number;
    readonly probabilities: readonly number[];
    readonly final_state: Record<string, { readonly shape: readonly number[]; readonly data: readonly number[] }>;
  }[];
}

const manifest = {
  ...(JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { torch: Entry[]; silero: Entry[] }),
  // torch 2's exports have a manifest of their own (make_torch2_corpus.py runs under another Python)
  torch2: (JSON.parse(readFileSync(join(CORPUS, 'torch2', 'manifest.json'), 'utf8')) as { models: Entry[] }).models,
};
const KINDS = ['torch', 'torch2', 'silero'] as const;
const dataSets = (dir: string) => readdirSync(dir).filter((d) => /^test_data_set_\d+$/.test(d)).sort();
const outputFiles = (dir: string) => readdirSync(dir).filter((f) => /^output_\d+\.pb$/.test(f)).sort();
const pb = (path: string) => decodeRtTensorProto(readFileSync(path), path);
const failure = (what: string, r: { stdout: string; stderr: string }) => `${what}: ${(r.stderr || r.stdout).trim()}`;

/** The max abs error of each output file in `got` against `want`; names, count, dtype and shape must agree. */
function expectOutputs(gotDir: string, wantDir: string): void {
  const want = outputFiles(wantDir);
  expect(outputFiles(gotDir), 'output files').toEqual(want);
  for (const f of want) {
    const g = pb(join(gotDir, f));
    const w = pb(join(wantDir, f));
    expect(g.name, `${f} name`).toBe(w.name);
    const c = compareTensors(g.tensor, w.tensor);
    expect(c.ok ? c.maxAbsError : c.reason, `${f} (${w.name}) max abs error`).toBeLessThanOrEqual(TOLERANCE);
  }
}

/** `lstmc run MODEL --data DS --out TMP`, then every output against DS's expected files. */
async function expectRun(model: string, ds: string): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'lstmc-corpus-'));
  try {
    const r = await cli('run', model, '--data', ds, '--out', out);
    expect(r.code, failure('lstmc run', r)).toBe(0);
    expectOutputs(out, ds);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** `lstmc compile MODEL --target js`, run once per model by whichever test needs it first; the .lrg bytes. */
function compiler(model: string): () => Promise<Uint8Array> {
  let bytes: Promise<Uint8Array> | undefined;
  return () =>
    (bytes ??= (async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lstmc-corpus-'));
      try {
        const lrg = join(dir, 'model.lrg');
        const r = await cli('compile', model, '--target', 'js', '-o', lrg);
        if (r.code !== 0) throw new Error(failure('lstmc compile --target js', r));
        return readFileSync(lrg);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    })());
}

function corpusTests(e: Entry): void {
  const dir = join(CORPUS, e.path);
  const model = join(dir, 'model.onnx');
  const sets = dataSets(dir);
  const lrgBytes = compiler(model);

  for (const ds of sets)
    it(`lstmc run on ${ds} matches within ${TOLERANCE}`, async () => {
      await expectRun(model, join(dir, ds));
    });

  it(`lstmc compile --target js, then lstmc run on the .lrg, matches on ${sets.join(', ')}`, async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lstmc-corpus-'));
    try {
      const lrg = join(tmp, 'model.lrg');
      writeFileSync(lrg, await lrgBytes());
      for (const ds of sets) await expectRun(lrg, join(dir, ds));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  const streamFile = join(dir, 'stream-expected.json');
  if (!existsSync(streamFile)) return;
  const expected = JSON.parse(readFileSync(streamFile, 'utf8')) as StreamExpected;
  for (const s of expected.streams)
    it(`streams ${expected.audio.replace('../', '')} in ${s.frame}-sample frames (context ${s.context}), state fed back, as onnxruntime does`, async () => {
      const { rate, samples } = readWav16(readFileSync(join(dir, expected.audio)));
      expect(rate).toBe(expected.sr);
      const compiled = loadModel(await lrgBytes());
      const spec: StreamSpec = { frame: s.frame, context: s.context, sr: expected.sr, state: expected.state };
      const got = await runStream(spec, samples, (feeds) => compiled.run(feeds));
      expect(got.probabilities).toHaveLength(s.frames);
      const worst = Math.max(...got.probabilities.map((p, k) => Math.abs(p - s.probabilities[k]!)));
      expect(worst, 'max abs error of the speech probabilities').toBeLessThanOrEqual(TOLERANCE);
      for (const [name, want] of Object.entries(s.final_state)) {
        const w: RtTensor = { dtype: 'f32', shape: [...want.shape], data: Float32Array.from(want.data) };
        const c = compareTensors(got.finalState[name]!, w);
        expect(c.ok ? c.maxAbsError : c.reason, `final ${name} max abs error`).toBeLessThanOrEqual(TOLERANCE);
      }
    });
}

describe('the corpus manifest', () => {
  it('lists exactly the model folders on disk, each with model.onnx and test data', () => {
    for (const kind of KINDS) {
      const onDisk = readdirSync(join(CORPUS, kind)).filter((d) => existsSync(join(CORPUS, kind, d, 'model.onnx'))).sort();
      expect(manifest[kind].map((e) => e.name).sort(), kind).toEqual(onDisk);
      for (const d of onDisk) expect(dataSets(join(CORPUS, kind, d)).length, d).toBeGreaterThan(0);
    }
  });
});

describe('the corpus generators', () => {
  it('make_silero_expected.mjs, rerun on onnxruntime-node, reproduces the committed Silero data byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'lstmc-corpus-regen-'));
    try {
      const r = spawnSync(process.execPath, ['tools/scripts/corpus/make_silero_expected.mjs', '--out', out], { cwd: REPO, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const files = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)).map((f) => `${d.name}/${f}`) : [d.name]));
      const written = files(out).sort();
      expect(written.length).toBeGreaterThan(0);
      for (const f of written) expect(readFileSync(join(out, f)).equals(readFileSync(join(CORPUS, 'silero', f))), f).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

for (const kind of KINDS)
  describe(`corpus: ${kind}`, () => {
    for (const e of manifest[kind]) describe(e.name, () => corpusTests(e));
  });
