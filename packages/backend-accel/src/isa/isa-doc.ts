import { defaultTarget, TARGET_PARAMS, type Target } from '@lstmc/target';
import { formatInstr } from '../asm/format-instr.js';
import { SECTION_KINDS, SECTION_ORDER, LXB } from '../container/sections.js';
import { deriveIsa, fieldRange } from './derive-isa.js';
import { OPCODE_BITS, WORD_BITS, type FieldSpec } from './fields.js';
import { MNEMONICS } from './table.js';

/** Width rule of a field as text: a constant, or the target rule it follows. */
function widthRule(f: FieldSpec, resolved: number): string {
  return typeof f.width === 'number' ? String(resolved) : `${f.widthDoc ?? 'target-derived'} (${resolved})`;
}

/**
 * docs/isa.md, generated from the ISA table (bit positions for the given
 * target, default: the TARGET.md defaults).
 */
export function renderIsaDoc(t: Target = defaultTarget): string {
  const isa = deriveIsa(t);
  const L: string[] = [];
  L.push('<!-- Generated from packages/backend-accel/src/isa/table.ts by src/isa/isa-doc.ts; do not edit.');
  L.push('     Regenerate: cd packages/backend-accel && npm run gen-docs -->');
  L.push('# Accelerator instruction set');
  L.push('');
  L.push(`Every instruction is one ${WORD_BITS}-bit word (little-endian in the code section). Bits`);
  L.push(`${WORD_BITS - 1}..${WORD_BITS - OPCODE_BITS} hold the opcode; the operand fields follow from bit ${WORD_BITS - OPCODE_BITS - 1} downwards in the`);
  L.push('order listed; unused low bits are zero (the decoder rejects anything else). Field widths marked');
  L.push('"target-derived" follow the target file, so bit positions below are for the default target');
  L.push(`(${Object.keys(TARGET_PARAMS).map((k) => `${k}=${t[k as keyof Target]}`).join(', ')}).`);
  L.push('');
  L.push('Assembly syntax is `mnemonic field=value, ...` with every field named; enums by name, code');
  L.push('addresses as `@N` or a label (`name:` on its own line). `lstmc dump` prints this syntax and');
  L.push('`lstmc asm` reads it back.');
  L.push('');
  L.push('Timing: the controller issues in order. An instruction occupies the controller for its cost,');
  L.push('except DMA instructions (one issue cycle; the transfer queues on the DMA engine) and `sync`');
  L.push('(waits until the DMA engine is idle). Matrix-vector costs are the slowest PE under the rules of');
  L.push('`docs/target.md`; `pes` elements per cycle for the vector units.');
  L.push('');
  L.push('| opcode | mnemonic | unit | cycles | summary |');
  L.push('|---|---|---|---|---|');
  for (const mn of MNEMONICS) {
    const s = isa.byMnemonic[mn].spec;
    L.push(`| 0x${s.opcode.toString(16).padStart(2, '0')} | \`${mn}\` | ${s.unit} | ${s.costDoc} | ${s.summary.replace(/\|/g, '\\|')} |`);
  }
  for (const mn of MNEMONICS) {
    const lay = isa.byMnemonic[mn];
    const ex = Object.fromEntries(lay.fields.map((f) => [f.name, f.kind === 'enum' ? 0 : fieldRange(f).min < 0 ? -1 : 1]));
    L.push('');
    L.push(`## \`${mn}\` (opcode 0x${lay.spec.opcode.toString(16).padStart(2, '0')})`);
    L.push('');
    L.push(`${lay.spec.summary}.`);
    L.push('');
    L.push(`Syntax: \`${formatInstr(isa, { mnemonic: mn, operands: ex })}\``);
    L.push('');
    if (lay.fields.length) {
      L.push('| field | bits | width | kind | range | meaning |');
      L.push('|---|---|---|---|---|---|');
      for (const f of lay.fields) {
        const r = fieldRange(f);
        const range = f.kind === 'enum' ? f.values!.join(', ') : `${r.min}..${r.max}`;
        L.push(`| \`${f.name}\` | ${f.lsb + f.width - 1}..${f.lsb} | ${widthRule(lay.spec.fields.find((x) => x.name === f.name)!, f.width)} | ${f.kind} | ${range} | ${f.doc} |`);
      }
    } else L.push('No operands.');
    L.push('');
    L.push(`Cycles: ${lay.spec.costDoc}.`);
  }
  L.push('');
  L.push('## Container (.lxb)');
  L.push('');
  L.push(`Header (${LXB.headerBytes} bytes): magic \`89 4c 58 42\`, u16 format version (${LXB.version}), u16 section count,`);
  L.push('8-byte target hash (first 8 bytes of SHA-256 over the canonical target), u32 CRC-32 of the header and');
  L.push(`section table (this field taken as zero), u32 file length. Then one ${LXB.entryBytes}-byte entry per section`);
  L.push(`(u32 kind, u32 offset, u32 length, u32 CRC-32 of the payload) and the payloads, each ${LXB.align}-byte aligned.`);
  L.push('');
  L.push('| id | section | contents |');
  L.push('|---|---|---|');
  for (const k of SECTION_ORDER) L.push(`| ${SECTION_KINDS[k].id} | ${k} | ${SECTION_KINDS[k].doc} |`);
  L.push('');
  return `${L.join('\n')}`;
}
