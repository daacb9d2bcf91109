import { describe, expect, it } from 'vitest';
import { isDiagnosticError } from '@lstmc/ir';
import { defaultTarget, withParams } from '@lstmc/target';
import { assembleProgram, emptyStats, runBatch, type LxbProgram } from '../src/index.js';

// 2 PEs, 16-bit words, 4 bytes per DMA cycle: an 8-word transfer takes 4 DMA cycles.
const T = withParams(defaultTarget, { pes: 2, dmaBytesPerCycle: 4 });

function program(body: string, vmem = 16, dram = 32): LxbProgram {
  const p = assembleProgram(`.target ${JSON.stringify(T)}\n${body}\n`);
  return { ...p, io: { ...p.io, vmemWords: vmem, dramWords: dram, accRows: 4 } };
}

function run(p: LxbProgram, dram: Int32Array, seqLen = 1) {
  const stats = emptyStats();
  const cycles = runBatch(p, [], [dram], stats, { seqLens: [seqLen] });
  return { cycles, stats };
}

describe('simulator timing, worked by hand', () => {
  it('DMA queues behind the controller; sync waits for it', () => {
    // t=0 dma.ld issues (engine busy 0..4), t=1 sync waits until 4, zscan of 8 words on 2 PEs: 4 cycles (4..8), halt 8..9
    const p = program('dma.ld v=0, d=0, n=8, t=0\nsync\nzscan v=0, n=8\nhalt');
    expect(run(p, new Int32Array(32)).cycles).toBe(9);
  });

  it('a store still in flight at halt extends the run', () => {
    // dma.st issues at 0 (engine 0..4), halt at 1..2: the run ends when the engine is idle at 4
    const p = program('dma.st d=0, v=0, n=8, t=0\nhalt');
    expect(run(p, new Int32Array(32)).cycles).toBe(4);
  });

  it('transfers queue in order: load then store, then sync', () => {
    // ld 0..4 on the engine, st 4..8, sync issued at 2 waits until 8, halt 8..9
    const p = program('dma.ld v=0, d=0, n=8, t=0\ndma.st d=8, v=0, n=8, t=0\nsync\nhalt');
    const dram = new Int32Array(32);
    dram.set([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(run(p, dram).cycles).toBe(9);
    expect(Array.from(dram.subarray(8, 16))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('time loop with time-indexed DMA and the zero-count branch', () => {
    // per step: load x_t (2 words), scan, branch on >= 1 zero; count decisions
    const p = program(
      [
        'tloop.f len=seq, end=done',
        'top:',
        'dma.ld v=0, d=0, n=2, t=1',
        'sync',
        'zscan v=0, n=2',
        'bzc th=1, target=skip',
        'dma.st d=16, v=0, n=2, t=1',
        'skip:',
        'tnext',
        'done:',
        'halt',
      ].join('\n'),
    );
    const dram = new Int32Array(32);
    dram.set([5, 6, 0, 7, 8, 9]); // step 0 no zero, step 1 one zero, step 2 no zero
    const { stats } = run(p, dram, 3);
    expect(Object.values(stats.branches)).toEqual([{ taken: 1, notTaken: 2 }]);
    // stored only the steps without zeros, at 16 + t*2
    expect(Array.from(dram.subarray(16, 22))).toEqual([5, 6, 0, 0, 8, 9]);
  });

  it('a zero-length sequence skips the loop body', () => {
    const p = program('tloop.f len=seq, end=done\ndma.st d=0, v=0, n=8, t=0\ntnext\ndone:\nhalt');
    expect(run(p, new Int32Array(32), 0).stats.dmaBytes).toBe(0);
  });

  it('faults are diagnostics naming the instruction', () => {
    const p = program('dma.ld v=0, d=30, n=8, t=0\nhalt');
    try {
      run(p, new Int32Array(32));
      expect.unreachable();
    } catch (e) {
      expect(isDiagnosticError(e) && e.diagnostic.code).toBe('E-SIM-FAULT');
      expect(isDiagnosticError(e) && e.diagnostic.loc.field).toBe('pc=0');
    }
  });
});
