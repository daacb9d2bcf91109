import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto } from '@lstmc/ir';
import { cli, REPO } from './helpers.js';

// Silero VAD on --target accel as it is, unspecialized: the Ifs on run-time conditions (the sr
// input, the chunk length) run on the binary's host part, the LSTMs still inside them quantized
// like the others and run there in the accelerator's fixed point; an LSTM that fold brings out of
// its branches (the opset-15 export's, whose If tests the state's static first dim) runs as
// microcode. Either way the simulator equals --numerics fixed bit for bit, and both stay near
// onnxruntime-node's outputs. (Specialized with --bind / --input-shape, every LSTM runs as
// microcode: corpus-accel.test.ts, bind.test.ts.)

describe('Silero VAD on the accelerator target', () => {
  for (const m of ['v5', 'v4-legacy', '16k-op15'])
    it(`${m}: compiles, the Ifs run on the host; sim equals --numerics fixed bit for bit`, async () => {
      const dir = join(REPO, 'tools/test/corpus/silero', m);
      const tmp = mkdtempSync(join(tmpdir(), 'lstmc-silero-accel-'));
      try {
        const lxb = join(tmp, 'vad.lxb');
        const c = await cli('compile', join(dir, 'model.onnx'), '--target', 'accel', '-o', lxb);
        expect(c.code, c.stderr).toBe(0);
        const out = join(tmp, 'out');
        const s = await cli('sim', lxb, '--data', join(dir, 'test_data_set_0'), '--out', out, '--check');
        expect(s.code, s.stderr).toBe(0);
        const d = await cli('dump', lxb, '--json');
        const phases = (JSON.parse(d.stdout) as { io: { phases: unknown[] } }).io.phases.length;
        expect(phases, 'accelerator phases').toBe(m === '16k-op15' ? 1 : 0);
        const r = await cli('run', join(dir, 'model.onnx'), '-O', 'accel', '--numerics', 'fixed', '--data', join(dir, 'test_data_set_0'), '--out', join(tmp, 'run'));
        expect(r.code, r.stderr).toBe(0);
        for (const f of readdirSync(out)) {
          const a = decodeTensorProto(readFileSync(join(out, f)), f).tensor.data as Float32Array;
          const b = decodeTensorProto(readFileSync(join(tmp, 'run', f)), f).tensor.data as Float32Array;
          expect(Array.from(a), f).toEqual(Array.from(b));
        }
        // No calibration: x and c are assumed within +-8 (measured: 8.1e-4 at most, on the state).
        const errs = [...s.stdout.matchAll(/max abs error ([0-9.e+-]+)/g)].map((x) => Number(x[1]));
        expect(errs.length).toBeGreaterThanOrEqual(2);
        for (const e of errs) expect(e).toBeLessThanOrEqual(2e-3);
        const i = await cli('inspect', join(dir, 'model.onnx'), '--json');
        const nodes = JSON.parse(i.stdout).placement.nodes as { node: string; op: string; where: string; reason: string }[];
        const ifs = nodes.filter((p) => p.op === 'If');
        expect(ifs.length).toBeGreaterThan(0);
        for (const p of ifs) expect(p.where, p.node).toBe('host');
        expect(ifs[0]!.reason).toContain('control flow on a run-time condition');
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
});
