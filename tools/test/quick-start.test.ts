import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { REPO } from './helpers.js';

/**
 * The README's quick start, run as written (after `npm ci`, each `npx lstmc`
 * command in order, in a fresh folder where `examples/` is the repository's):
 * it must print a sparse decision, the encoding and taken run-time branches,
 * and end by writing report.html.
 */
function quickStartCommands(): string[][] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const cmds = block!.trim().split('&&').map((c) => c.trim().split(/\s+/));
  expect(cmds[0]).toEqual(['npm', 'ci']);
  return cmds.slice(1).map((c) => {
    expect(c.slice(0, 2)).toEqual(['npx', 'lstmc']);
    return c.slice(2);
  });
}

describe("the README's quick start", () => {
  it('shows the sparse mode, the encoding and the run-time branch, and writes report.html', { timeout: 180_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'lstmc-quick-start-'));
    symlinkSync(join(REPO, 'examples'), join(cwd, 'examples'));
    const outs: string[] = [];
    for (const argv of quickStartCommands()) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
      expect(code, `${argv.join(' ')}\n${stderr}`).toBe(0);
      outs.push(stdout);
    }
    const [compile, sim, report] = outs;
    const modes = compile.split('=== select-mode: combine=or, input test runtime ===\n')[1].split('\n===')[0].split('\n').slice(1).filter((l) => l);
    expect(modes).toHaveLength(4);
    for (const row of modes) expect(row).toMatch(/ sparse-weight +sparse-both +\d+ /);
    const encode = compile.split('=== encode: csc-rel ===\n')[1].split('\n===')[0].split('\n').slice(1).filter((l) => l);
    expect(encode).toHaveLength(4);
    expect(compile).toMatch(/wrote kws\.lxb \(accelerator binary, .* 4 matrices \(4 sparse\)/);
    const branches = [...sim.matchAll(/^branch @\d+ \(.*\): taken (\d+), not taken (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(branches.length).toBeGreaterThan(0);
    expect(branches.some(([taken]) => taken > 0)).toBe(true);
    // The accelerator's fixed-point output against torch's (measured 8.75e-5).
    const simError = Number(/^output_0 probs: max abs error ([0-9.e+-]+) /m.exec(sim)?.[1]);
    expect(simError).toBeLessThan(1e-3);
    expect(report).toMatch(/^wrote report\.html \(/);
    expect(existsSync(join(cwd, 'report.html'))).toBe(true);
  });

  it("runs the example on the JS runtime within 1e-5 of torch's output", async () => {
    const out = mkdtempSync(join(tmpdir(), 'lstmc-quick-start-'));
    let stdout = '';
    const code = await runCli(['run', 'examples/kws-lstm-sparse/model.onnx', '--data', 'examples/kws-lstm-sparse/test_data_set_0', '--out', out, '--check'], { stdout: (s) => (stdout += s), stderr: () => {}, cwd: REPO });
    expect(code).toBe(0);
    expect(Number(/max abs error ([0-9.e+-]+)/.exec(stdout)?.[1])).toBeLessThan(1e-5);
  });
});
