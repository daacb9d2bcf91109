import { type LayerPlanCost, type MatrixLayout, type MatvecMode } from '@lstmc/target';
import type { LxbProgram } from '../container/program.js';
import { ISA } from '../isa/table.js';
import type { SimStats } from './machine.js';
import type { SimMatrix } from './sim-matrix.js';

/** The layout of a whole matrix from its column tiles (or itself), in column order. */
export function joinLayouts(parts: readonly MatrixLayout[]): MatrixLayout {
  const cols = parts.reduce((a, l) => a + l.cols, 0);
  const pes = parts[0].pes;
  const entries = new Float64Array(pes * cols);
  let c0 = 0;
  for (const l of parts) {
    for (let p = 0; p < pes; p++) for (let c = 0; c < l.cols; c++) entries[p * cols + c0 + c] = l.entriesPerPeColumn[p * l.cols + c];
    c0 += l.cols;
  }
  return { cols, pes, rowsPerPe: parts[0].rowsPerPe, entriesPerPeColumn: entries };
}

/**
 * The cost model's plan of one layer direction of a binary (`layer`: a name of io.layers), read
 * back from its code range and matrix table: W's and R's layouts (column tiles joined), the
 * step's vector operations, and the mode of each matrix's products. A run-time decision
 * between two modes counts as the side its branch took more often in the run `stats` come
 * from (the cost model times one mode per matrix). `banks`: the sequences stepping together.
 */
export function layerPlanOf(p: LxbProgram, matrices: readonly SimMatrix[], layer: string, stats: SimStats, banks = 1): LayerPlanCost {
  const range = p.io.layers.find((l) => l.name === layer);
  if (!range) throw new Error(`layerPlanOf: no layer '${layer}'`);
  const code = p.code.slice(range.start, range.end);
  const modeAt = (pc: number) => (ISA[p.code[pc].mnemonic] as { mode?: MatvecMode }).mode;
  const nextProduct = (pc: number) => {
    while (pc < range.end && !modeAt(pc)) pc++;
    return pc;
  };
  const of = (which: 'W' | 'R') => {
    const idx = p.matrices.flatMap((m, i) => (m.name === `${layer}/${which}` || m.name.startsWith(`${layer}/${which}[`) ? [i] : []));
    const mine = (pc: number) => pc < range.end && idx.includes(p.code[pc].operands.m);
    let mode: MatvecMode | undefined;
    // a run-time decision: the mode of the side the run took more often
    for (let pc = range.start; pc < range.end && !mode; pc++) {
      const ins = p.code[pc];
      if (ins.mnemonic !== 'bzc' || !mine(nextProduct(pc + 1))) continue;
      const b = stats.branches[String(pc)] ?? { taken: 0, notTaken: 0 };
      mode = modeAt(b.taken > b.notTaken ? nextProduct(ins.operands.target) : nextProduct(pc + 1));
    }
    for (let pc = range.start; pc < range.end && !mode; pc++) if (modeAt(pc) && mine(pc)) mode = modeAt(pc);
    return { layout: joinLayouts(idx.map((i) => matrices[i].costLayout)), mode: mode ?? 'dense', rows: matrices[idx[0]].rows };
  };
  const w = of('W');
  const r = of('R');
  const has = (mn: string) => code.some((i) => i.mnemonic === mn);
  return {
    features: { hidden: w.rows / 4, bias: has('v.bias'), peephole: has('v.peep'), inputForget: has('v.om') },
    input: w.layout.cols,
    w: { layout: w.layout, mode: w.mode },
    r: { layout: r.layout, mode: r.mode },
    banks,
  };
}
