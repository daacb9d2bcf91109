import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferTypes } from '../src/infer.js';
import { loadOnnxFile } from '../src/onnx/index.js';
import { createTextIrReader, graphResources, parseGraph, printGraph, printGraphWithResources, TEXT_IR_HEADER } from '../src/text/index.js';
import { conformanceCases, REPO_ROOT } from './onnx-paths.js';
import { diffGraphs } from './text-helpers.js';

/** ONNX conformance models, plus the repository's own example and frontend feature models (torch export, If/Loop, external data). */
const REPO_MODELS = [
  ...readdirSync(join(REPO_ROOT, 'examples'))
    .map((d) => join(REPO_ROOT, 'examples', d, 'model.onnx'))
    .filter((f) => existsSync(f)),
  ...readdirSync(join(import.meta.dirname, 'fixtures', 'onnx', 'features'))
    .filter((f) => f.endsWith('.onnx'))
    .map((f) => join(import.meta.dirname, 'fixtures', 'onnx', 'features', f)),
];
const CASES = [
  ...conformanceCases(),
  ...REPO_MODELS.map((model) => ({ set: relative(REPO_ROOT, dirname(model)), name: basename(model, '.onnx'), dir: dirname(model), model })),
];
const GOLDEN_DIR = join(import.meta.dirname, 'golden');
/** A few models whose printed form is committed; UPDATE_GOLDEN=1 rewrites them. */
const GOLDEN = [
  'onnx-node/test_lstm_batchwise',
  'onnx-node/test_lstm_with_peepholes',
  'onnx-node-pr2923/test_lstm_bidirectional',
  'onnx-node-ops/test_gemm_all_attributes',
  'onnx-node-ops/test_unsqueeze_two_axes',
  'examples/kws-lstm/model',
  'packages/ir/test/fixtures/onnx/features/control',
];

describe('conformance models survive the text form', () => {
  const reader = createTextIrReader();
  it('finds the conformance models', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(REPO_MODELS.some((m) => m.includes('kws-lstm'))).toBe(true);
    expect(REPO_MODELS.some((m) => m.endsWith('control.onnx'))).toBe(true);
  });

  for (const c of CASES) {
    it(`${c.set}/${c.name}`, () => {
      const imported = loadOnnxFile(c.model);
      // As imported, and with every value typed by inference (symbolic dims, more types).
      for (const g of [imported, inferTypes(imported, { file: c.model })]) {
        for (const elideAbove of [0, Infinity]) {
          const { text, resources } = printGraphWithResources(g, { elideAbove });
          expect(text.startsWith(`${TEXT_IR_HEADER}\n`)).toBe(true);
          const back = parseGraph(text, { file: `${c.name}.lir`, resources, reader });
          expect(diffGraphs(g, back)).toEqual([]);
          expect(printGraph(back, { elideAbove })).toBe(text);
        }
      }
    });
  }
});

describe('golden text of a few conformance models', () => {
  for (const id of GOLDEN) {
    const set = dirname(id);
    const name = basename(id);
    it(id, () => {
      const c = CASES.find((k) => k.set === set && k.name === name);
      expect(c, `conformance case ${id}`).toBeDefined();
      const text = printGraph(loadOnnxFile(c!.model));
      const file = join(GOLDEN_DIR, `${name === 'model' ? basename(set) : name}.lir`);
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
      expect(existsSync(file), `${file} missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(file, 'utf8'));
      // The golden file is itself valid text that reads back to the same model.
      const g = loadOnnxFile(c!.model);
      expect(diffGraphs(g, parseGraph(readFileSync(file, 'utf8'), { file, resources: graphResources(g) }))).toEqual([]);
    });
  }
});
