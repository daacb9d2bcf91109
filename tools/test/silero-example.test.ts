import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, REPO } from './helpers.js';

// The README's second worked example: compile Silero VAD, run examples/silero-vad/vad.mjs on a
// 16 kHz recording; the speech probabilities it prints equal onnxruntime-node's on the same frames.

describe('the Silero VAD example', () => {
  it('prints onnxruntime-node probabilities frame by frame and finds the speech', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'lstmc-vad-'));
    try {
      const lrg = join(tmp, 'vad.lrg');
      const c = await cli('compile', join(REPO, 'tools/test/corpus/silero/v5/model.onnx'), '--target', 'js', '-o', lrg);
      expect(c.code, c.stderr).toBe(0);
      const r = spawnSync(process.execPath, [join(REPO, 'examples/silero-vad/vad.mjs'), lrg, join(REPO, 'tools/test/corpus/silero/utterance-16k.wav')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const printed = [...r.stdout.matchAll(/^\s*\d+ ms\s+([0-9.]+)/gm)].map((m) => Number(m[1]));
      const want = JSON.parse(readFileSync(join(REPO, 'tools/test/corpus/silero/v5/stream-expected.json'), 'utf8')).streams[0].probabilities as number[];
      expect(printed).toHaveLength(want.length);
      for (let k = 0; k < want.length; k++) expect(Math.abs(printed[k]! - want[k]!), `frame ${k}`).toBeLessThanOrEqual(6e-4);
      // 1 s of silence, the sentence, then noise (tools/test/corpus/README.md)
      const first = r.stdout.match(/^speech (\d+)-(\d+) ms/m);
      expect(first, r.stdout).not.toBeNull();
      expect(Number(first![1])).toBeGreaterThanOrEqual(900);
      expect(Number(first![1])).toBeLessThanOrEqual(1100);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
