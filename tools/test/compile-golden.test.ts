// The bytes `lstmc compile` writes, pinned: speed work on the passes and back ends must not change
// a single byte of the .lxb / .lrg files. The expected SHA-256 digests are in
// fixtures/compile-golden.json; after an intended change of the output, regenerate them with
//   LSTMC_UPDATE_GOLDEN=1 npx vitest run test/compile-golden.test.ts   (in tools/)
// and say in the commit why the bytes changed.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, REPO } from './helpers.js';

const GOLDEN = join(REPO, 'tools/test/fixtures/compile-golden.json');
const UPDATE = process.env.LSTMC_UPDATE_GOLDEN === '1';

const kws = (m: string) => ({ model: `examples/${m}/model.onnx`, calib: `examples/${m}/test_data_set_0` });
/** name -> compile arguments after MODEL (paths relative to the repository). */
function cases(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of ['kws-lstm', 'kws-lstm-sparse']) {
    const { model, calib } = kws(m);
    out[`${m} accel -O accel calibrated`] = [model, '--target', 'accel', '-O', 'accel', '--calibration', calib];
    out[`${m} js calibrated`] = [model, '--target', 'js', '--calibration', calib];
    out[`${m} accel default`] = [model, '--target', 'accel'];
    out[`${m} accel balance=entries`] = [model, '--target', 'accel', '--pipeline', 'prune{method=balanced,sparsity=0.85,balance=entries},sparsity,select-mode,quantize,encode'];
    out[`${m} js magnitude global`] = [model, '--target', 'js', '--pipeline', 'prune{method=magnitude,sparsity=0.7,scope=global},sparsity,select-mode,quantize,encode'];
    out[`${m} js balanced group=4`] = [model, '--target', 'js', '--pipeline', 'prune{method=balanced,sparsity=0.8,group=4},sparsity,select-mode,quantize,encode'];
    out[`${m} accel max-gap rows=balanced`] = [model, '--target', 'accel', '--pipeline', 'prune{method=balanced,sparsity=0.9,max-gap=auto},sparsity,select-mode,quantize,encode{rows=balanced}'];
    out[`${m} accel block`] = [model, '--target', 'accel', '--pipeline', 'prune{method=block,sparsity=0.5},sparsity,select-mode,quantize,encode'];
    out[`${m} accel row`] = [model, '--target', 'accel', '--pipeline', 'prune{method=row,sparsity=0.5},sparsity,select-mode,quantize,encode'];
  }
  const v5 = 'tools/test/corpus/silero/v5/model.onnx';
  out['silero v5 js'] = [v5, '--target', 'js'];
  out['silero v5 accel specialized'] = [v5, '--target', 'accel', '-O', 'accel', '--bind', 'sr=16000', '--input-shape', 'input=1,576', '--input-shape', 'state=2,1,128'];
  return out;
}

describe('lstmc compile output bytes (golden digests)', () => {
  const expected: Record<string, string> = UPDATE ? {} : JSON.parse(readFileSync(GOLDEN, 'utf8')).sha256;
  const got: Record<string, string> = {};
  for (const [name, args] of Object.entries(cases())) {
    it(name, { timeout: 120_000 }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lstmc-golden-'));
      try {
        const out = join(dir, args.includes('js') ? 'out.lrg' : 'out.lxb');
        const r = await cli('compile', ...args, '-o', out);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        got[name] = createHash('sha256').update(readFileSync(out)).digest('hex');
        if (!UPDATE) expect(got[name], `bytes of '${name}' changed`).toBe(expected[name]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
  if (UPDATE)
    it('writes the digests', () => {
      const regenerate = 'LSTMC_UPDATE_GOLDEN=1 npx vitest run test/compile-golden.test.ts (in tools/)';
      writeFileSync(GOLDEN, `${JSON.stringify({ regenerate, sha256: got }, null, 2)}\n`);
    });
});
