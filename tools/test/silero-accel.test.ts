import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from './helpers.js';

// Silero VAD on --target accel: its sample-rate If (on the sr input) and the LSTMs inside the
// branches run on the binary's host part; the simulated binary matches onnxruntime-node.

describe('Silero VAD on the accelerator target', () => {
  for (const m of ['v5', 'v4-legacy', '16k-op15'])
    it(`${m}: compiles, the If runs on the host, sim matches onnxruntime within 1e-4`, async () => {
      const dir = join(REPO, 'tools/test/corpus/silero', m);
      const tmp = mkdtempSync(join(tmpdir(), 'lstmc-silero-accel-'));
      try {
        const lxb = join(tmp, 'vad.lxb');
        const c = await cli('compile', join(dir, 'model.onnx'), '--target', 'accel', '-o', lxb);
        expect(c.code, c.stderr).toBe(0);
        const s = await cli('sim', lxb, '--data', join(dir, 'test_data_set_0'), '--out', join(tmp, 'out'), '--check');
        expect(s.code, s.stderr).toBe(0);
        const errs = [...s.stdout.matchAll(/max abs error ([0-9.e+-]+)/g)].map((x) => Number(x[1]));
        expect(errs.length).toBeGreaterThanOrEqual(2);
        for (const e of errs) expect(e).toBeLessThanOrEqual(1e-4);
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
