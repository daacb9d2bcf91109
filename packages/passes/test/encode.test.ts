import { describe, expect, it } from 'vitest';
import { rowToPe, balancedRowAssignment } from '@lstmc/target';
import { ENCODINGS, ENCODING_FORMATS, builtinRegistry, decodeMatrix, encodedMatrix, lstmParams, parsePipeline, readMatrix, runPipeline } from '../src/index.js';
import { lstmGraph, randomTensor } from './helpers/graphs.js';
import { rng } from '@lstmc/testing';

describe('encodings', () => {
  it('decode(encode(m)) reproduces the matrix exactly, every format, sparsities 0..0.999', () => {
    let seed = 1;
    for (const [rows, cols] of [[64, 32], [40, 7], [128, 96], [1, 1], [3, 50]] as const)
      for (const s of [0, 0.3, 0.9, 0.99, 0.999, 1]) {
        const a = randomTensor([rows, cols], seed++, s).data as Float32Array;
        for (const f of ENCODING_FORMATS)
          for (const bits of [1, 2, 4, 8])
            for (const assignment of [rowToPe(rows, 7), balancedRowAssignment(Float64Array.from({ length: rows }, (_, r) => r % 5), 3)]) {
              const { parts, stats } = ENCODINGS[f].encode({ rows, cols, data: a, dtype: 'f32' }, { relIndexBits: bits, valueBits: 32, assignment });
              const back = ENCODINGS[f].decode(parts, rows, cols);
              expect(Array.from(back)).toEqual(Array.from(a));
              expect(stats.nnz).toBe(Array.from(a).filter((v) => v !== 0).length);
            }
      }
  });

  it('csc-rel inserts a padding entry exactly when a gap does not fit the relative index', () => {
    // One column, 40 rows on one PE, non-zeros at rows 0, 20 and 39; 4-bit index spans 16 rows.
    const a = new Float32Array(40);
    a[0] = 1;
    a[20] = 2;
    a[39] = 3;
    const { parts, stats } = ENCODINGS['csc-rel'].encode({ rows: 40, cols: 1, data: a, dtype: 'f32' }, { relIndexBits: 4, valueBits: 16, assignment: rowToPe(40, 1) });
    // gaps: 0, 19 (one padding), 18 (one padding)
    expect(stats.padding).toBe(2);
    expect(stats.entries).toBe(5);
    expect(Array.from(parts.rel.data as Uint8Array)).toEqual([0, 15, 3, 15, 2]);
    expect(Array.from(parts.values.data as Float32Array)).toEqual([1, 0, 2, 0, 3]);
    // bytes: ceil(5 entries * (16 + 4) bits / 8) + 2 bytes column length
    expect(stats.bytes).toBe(13 + 2);
  });

  it('quantized values keep their integer dtype and fixed-point format', () => {
    const r = rng(3);
    const data = Int16Array.from({ length: 24 }, () => (r() < 0.6 ? 0 : Math.floor(r() * 60000) - 30000));
    for (const f of ENCODING_FORMATS) {
      const { parts } = ENCODINGS[f].encode({ rows: 6, cols: 4, data, dtype: 'i16', fixed: { frac: 11 } }, { relIndexBits: 2, valueBits: 16, assignment: rowToPe(6, 4) });
      expect(parts.values.dtype).toBe('i16');
      expect(parts.values.fixed).toEqual({ frac: 11 });
      expect(Array.from(ENCODINGS[f].decode(parts, 6, 4))).toEqual(Array.from(data));
    }
  });
});

describe('encode pass', () => {
  for (const format of ENCODING_FORMATS)
    it(`stores ${format} encodings as initializers that decode to the weights`, async () => {
      const g = lstmGraph({ input: 10, hidden: 6, dirs: 2 });
      const run = await runPipeline(g, parsePipeline(`prune{method=balanced,sparsity=0.8},encode{format=${format},rows=balanced}`, builtinRegistry()));
      const n = run.graph.nodes[0];
      const p = lstmParams(run.graph, n)!;
      for (const m of ['W', 'R'] as const)
        for (const d of [0, 1]) {
          const e = encodedMatrix(run.graph, n, m, d)!;
          expect(e.format).toBe(format);
          expect(Array.from(decodeMatrix(e, 24, m === 'W' ? 10 : 6))).toEqual(Array.from(readMatrix(p, m, d)));
        }
      const r = run.results[1];
      expect(r.counters['matrices-encoded']).toBe(4);
      expect(r.counters.bytes).toBeLessThan(r.counters['dense-bytes']);
      expect(run.graph.metadata['lstmc.properties']).toBe('encoded');
    });

  it('a later prune invalidates the encoding: annotations and initializers are dropped', async () => {
    const g = lstmGraph({ input: 5, hidden: 4 });
    const run = await runPipeline(g, parsePipeline('encode,prune{sparsity=0.5}', builtinRegistry()));
    expect([...run.graph.initializers.keys()].filter((k) => k.startsWith('lstmc.'))).toEqual([]);
    expect(Object.keys(run.graph.nodes[0].attrs).filter((k) => k.startsWith('lstmc.'))).toEqual([]);
    expect(run.graph.metadata['lstmc.properties']).toBe('');
  });
});
