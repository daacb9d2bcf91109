import { printTarget } from '@lstmc/target';
import type { LxbFile } from '../container/lxb-read.js';
import type { IoDesc } from '../container/program.js';
import { deriveIsa } from '../isa/derive-isa.js';
import { encodeInstr } from '../isa/encode.js';
import { formatInstr } from './format-instr.js';

const BYTES_PER_LINE = 32;
const INTS_PER_LINE = 16;

function chunks<T>(a: ArrayLike<T>, n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < a.length; i += n) out.push(Array.from({ length: Math.min(n, a.length - i) }, (_, k) => a[i + k]));
  return out;
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

/**
 * The objdump-like listing of a binary. It is also the assembler's input:
 * `asm(listing(f))` reproduces the binary byte for byte. Lines starting with
 * `;` are comments (header, section table); directives carry every section;
 * code lines are `address: raw-word  instruction  ; IR node`, and the comment
 * of a code line is that instruction's debug entry.
 */
export function listing(f: LxbFile): string {
  const p = f.program;
  const isa = deriveIsa(p.target);
  const L: string[] = [];
  L.push(`; lstmc accelerator binary: format ${f.version}, ${f.size} bytes, target hash ${f.hash}`);
  L.push(`; ${'section'.padEnd(9)} ${'offset'.padStart(8)} ${'size'.padStart(9)}  crc32`);
  for (const s of f.sections) L.push(`; ${s.kind.padEnd(9)} 0x${hex(s.offset, 6)} ${String(s.length).padStart(9)}  0x${hex(s.crc, 8)}`);
  L.push(`; ${p.code.length} instructions, ${p.matrices.length} matrices, ${p.consts.length} constants, ${p.luts.entries}-entry LUTs`);
  for (const s of stages(p.io)) {
    if (s.kind === 'accel') L.push(`; stage ${s.order}: accelerator phase ${s.index}, code @${s.entry}, once per batch item: ${s.nodes.join(', ')}`);
    else {
      L.push(`; stage ${s.order}: host segment ${s.index} on the JS runtime (${s.bytes} bytes at ${s.offset} of the host section): ${s.nodes.map((n) => `${n.op} '${n.name}'`).join(', ')}`);
      L.push(`;   reads ${s.inputs.join(', ') || 'nothing'}; yields ${s.outputs.join(', ')}`);
    }
  }
  L.push(`.format ${f.version}`);
  L.push(`.target ${JSON.stringify(JSON.parse(printTarget(p.target)))}`);
  L.push(`.matrices ${JSON.stringify(p.matrices)}`);
  L.push(`.io ${JSON.stringify(p.io)}`);
  L.push('.code');
  const texts = p.code.map((ins) => formatInstr(isa, ins));
  const width = Math.max(0, ...texts.map((t) => t.length));
  p.code.forEach((ins, i) => {
    const word = encodeInstr(isa, ins).toString(16).padStart(16, '0');
    const dbg = p.debug[i] ? `  ; ${p.debug[i]}` : '';
    L.push(`${String(i).padStart(6)}: ${word}  ${dbg ? texts[i].padEnd(width) : texts[i]}${dbg}`);
  });
  L.push('.weights');
  for (const c of chunks(p.weights, BYTES_PER_LINE)) L.push(`.bytes ${c.map((b) => hex(b, 2)).join('')}`);
  L.push('.consts');
  for (const c of chunks(p.consts, INTS_PER_LINE)) L.push(`.word ${c.join(' ')}`);
  for (const c of chunks(p.luts.sigmoid, INTS_PER_LINE)) L.push(`.sigmoid ${c.join(' ')}`);
  for (const c of chunks(p.luts.tanh, INTS_PER_LINE)) L.push(`.tanh ${c.join(' ')}`);
  for (const c of chunks(p.host, BYTES_PER_LINE)) L.push(`.host ${c.map((b) => hex(b, 2)).join('')}`);
  return `${L.join('\n')}\n`;
}

type Stage =
  | ({ readonly kind: 'host'; readonly order: number } & IoDesc['hostSegments'][number])
  | ({ readonly kind: 'accel'; readonly order: number; readonly index: number } & IoDesc['phases'][number]);

/** What runs in which order: host segment k (JS runtime), then accelerator phase k, ..., the last host segment. */
function stages(io: IoDesc): Stage[] {
  const out: Stage[] = [];
  for (let k = 0; k <= io.phases.length; k++) {
    for (const s of io.hostSegments) if (s.index === k) out.push({ kind: 'host', order: out.length, ...s });
    if (k < io.phases.length) out.push({ kind: 'accel', order: out.length, index: k, ...io.phases[k] });
  }
  return out;
}

/** The same facts as JSON (`lstmc dump --json`). */
export function listingJson(f: LxbFile): unknown {
  const p = f.program;
  const isa = deriveIsa(p.target);
  return {
    format: f.version,
    size: f.size,
    targetHash: f.hash,
    target: p.target,
    sections: f.sections,
    matrices: p.matrices,
    io: p.io,
    stages: stages(p.io),
    code: p.code.map((ins, i) => ({
      address: i,
      word: encodeInstr(isa, ins).toString(16).padStart(16, '0'),
      mnemonic: ins.mnemonic,
      operands: ins.operands,
      text: formatInstr(isa, ins),
      node: p.debug[i],
    })),
  };
}
