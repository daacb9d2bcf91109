import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCli } from '../src/cli.js';
import { PROGRESS_AFTER_MS, PROGRESS_INTERVAL_MS, formatProgress, progressOf, progressPrinter } from '../src/progress.js';
import { REPO } from './helpers.js';

describe('progress lines', () => {
  it('stay silent during the first second, then print on a stage change and at most every interval', () => {
    let now = 0;
    const lines: string[] = [];
    const sink = progressPrinter((s) => lines.push(s), () => now);
    sink({ stage: 'prune', item: 'a.W', done: 0, total: 4 });
    now = PROGRESS_AFTER_MS - 1;
    sink({ stage: 'prune', item: 'a.R', done: 1, total: 4 });
    expect(lines).toEqual([]);
    now = PROGRESS_AFTER_MS + 100;
    sink({ stage: 'prune', item: 'b.W', done: 2, total: 4 });
    now += PROGRESS_INTERVAL_MS - 1;
    sink({ stage: 'prune', item: 'b.R', done: 3, total: 4 }); // throttled
    now += 1;
    sink({ stage: 'quantize', item: '', done: 0, total: 0 }); // a new stage
    now += 10;
    sink({ stage: 'quantize', item: 'a', done: 0, total: 2 }); // throttled
    now += PROGRESS_INTERVAL_MS;
    sink({ stage: 'quantize', item: 'b', done: 1, total: 2 });
    expect(lines).toEqual(['lstmc: prune b.W (2/4, 50%) 1.1 s\n', 'lstmc: quantize 1.6 s\n', 'lstmc: quantize b (1/2, 50%) 2.1 s\n']);
  });

  it('formats stage, item, count and percent', () => {
    expect(formatProgress({ stage: 'codegen', item: 'lower lstm1', done: 3, total: 4 }, 2345)).toBe('lstmc: codegen lower lstm1 (3/4, 75%) 2.3 s\n');
    expect(formatProgress({ stage: 'import', item: '', done: 0, total: 0 }, 0)).toBe('lstmc: import 0.0 s\n');
  });

  it('are off with --quiet and for in-process callers that do not ask for them', () => {
    const lines: string[] = [];
    const io = { stdout: () => {}, stderr: (s: string) => lines.push(s), cwd: '.' };
    for (const sink of [progressOf(true, { ...io, progress: true }), progressOf(false, io)]) sink({ stage: 'prune', item: '', done: 0, total: 0 });
    expect(lines).toEqual([]);
  });

  it('compile takes --quiet (and -q)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lstmc-progress-'));
    try {
      for (const q of ['--quiet', '-q']) {
        let stderr = '';
        const code = await runCli(['compile', 'examples/kws-lstm/model.onnx', '--target', 'js', q, '-o', join(dir, 'k.lrg')], { stdout: () => {}, stderr: (s) => (stderr += s), cwd: REPO, progress: true });
        expect(stderr).toBe('');
        expect(code).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
