import { DiagnosticError, fail, withLocation, type Location } from '@lstmc/ir';
import { buildLuts } from '@lstmc/runtime/fixed';
import { targetFromObject, type Target } from '@lstmc/target';
import type { IoDesc, LxbProgram, MatrixDesc } from '../container/program.js';
import { LXB } from '../container/sections.js';
import { writeLxb } from '../container/lxb-write.js';
import { checkIo, checkMatrices } from '../container/validate-meta.js';
import { checkIoRefs } from '../container/validate-refs.js';
import { readLxb } from '../container/lxb-read.js';
import { deriveIsa } from '../isa/derive-isa.js';
import { encodeInstr, type Instr } from '../isa/encode.js';
import { ISA, type Mnemonic } from '../isa/table.js';
import { parseAsm, type Pos, type StatementAst } from './parser.js';

const EMPTY_IO: IoDesc = {
  phases: [],
  hostSegments: [],
  graphOutputs: [],
  graphInputs: [],
  maxSeqLen: 0,
  dramWords: 0,
  vmemWords: 0,
  accRows: 0,
  tensors: [],
  outputs: [],
  layers: [],
};

function ints(arg: string, loc: Location): number[] {
  if (arg === '') return [];
  return arg.split(/\s+/).map((s) => {
    if (!/^-?\d+$/.test(s)) fail('E-ASM-DATA', `'${s}' is not an integer`, loc);
    return Number(s);
  });
}

/**
 * Assemble text (the listing format, or hand-written code with labels) into
 * a program. Sections absent from the text get defaults: no matrices, an empty
 * host interface, LUTs built for the target. Errors carry line:column.
 */
export function assembleProgram(text: string, file = '<asm>'): LxbProgram {
  const stmts = parseAsm(text, file);
  const at = (p: Pos): Location => ({ file, line: p.line, column: p.column });
  let target: Target | undefined;
  let matrices: MatrixDesc[] = [];
  let io: IoDesc = EMPTY_IO;
  let ioLoc: Location | undefined;
  const weights: number[] = [];
  const host: number[] = [];
  const consts: number[] = [];
  const sigmoid: number[] = [];
  const tanh: number[] = [];
  const labels = new Map<string, number>();
  const pending: { s: Extract<StatementAst, { kind: 'instr' }>; index: number }[] = [];

  const parseJson = (arg: string, p: Pos): unknown => {
    try {
      return JSON.parse(arg);
    } catch {
      return fail('E-ASM-JSON', 'directive argument is not valid JSON', at(p));
    }
  };

  for (const s of stmts) {
    if (s.kind === 'label') {
      if (labels.has(s.name)) fail('E-ASM-LABEL', `label '${s.name}' is defined twice`, at(s.pos));
      labels.set(s.name, pending.length);
      continue;
    }
    if (s.kind === 'instr') {
      pending.push({ s, index: pending.length });
      continue;
    }
    const loc = at(s.argPos);
    switch (s.name) {
      case 'format':
        if (s.arg !== String(LXB.version)) fail('E-ASM-FORMAT', `format '${s.arg}' is not ${LXB.version}`, loc);
        break;
      case 'target':
        target = withLocation(loc, () => targetFromObject(parseJson(s.arg, s.argPos), loc));
        break;
      case 'matrices': {
        const m = parseJson(s.arg, s.argPos);
        checkMatrices(m, 'E-ASM-JSON', loc);
        matrices = m;
        break;
      }
      case 'io': {
        const v = parseJson(s.arg, s.argPos);
        checkIo(v, 'E-ASM-JSON', loc);
        io = v;
        ioLoc = loc;
        break;
      }
      case 'code':
      case 'weights':
      case 'consts':
        break;
      case 'bytes':
      case 'host': {
        if (!/^([0-9a-f]{2})*$/.test(s.arg)) fail('E-ASM-DATA', `.${s.name} needs pairs of lowercase hex digits`, loc);
        const into = s.name === 'host' ? host : weights;
        for (let i = 0; i < s.arg.length; i += 2) into.push(parseInt(s.arg.slice(i, i + 2), 16));
        break;
      }
      case 'word':
        consts.push(...ints(s.arg, loc));
        break;
      case 'sigmoid':
        sigmoid.push(...ints(s.arg, loc));
        break;
      case 'tanh':
        tanh.push(...ints(s.arg, loc));
        break;
      default:
        fail('E-ASM-DIRECTIVE', `unknown directive '.${s.name}'`, at(s.pos));
    }
  }
  if (!target) fail('E-ASM-TARGET', 'no .target directive', { file, line: 1, column: 1 });
  const isa = deriveIsa(target);
  const code: Instr[] = pending.map(({ s }) => {
    if (!Object.prototype.hasOwnProperty.call(ISA, s.mnemonic)) fail('E-ASM-MNEMONIC', `unknown instruction '${s.mnemonic}'`, at(s.pos));
    const lay = isa.byMnemonic[s.mnemonic as Mnemonic];
    const operands: Record<string, number> = {};
    for (const o of s.operands) {
      const f = lay.fields.find((x) => x.name === o.name);
      if (!f) fail('E-ASM-OPERAND', `${s.mnemonic} has no operand '${o.name}'`, at(o.pos));
      if (o.name in operands) fail('E-ASM-OPERAND', `operand '${o.name}' given twice`, at(o.pos));
      let v: number;
      if (f.kind === 'enum') {
        v = f.values!.indexOf(o.text);
        if (o.kind !== 'name' || v < 0) fail('E-ASM-OPERAND', `'${o.name}' must be one of ${f.values!.join(', ')}`, at(o.pos));
      } else if (f.kind === 'label') {
        if (o.kind === 'address') v = Number(o.text.slice(1));
        else if (o.kind === 'name' && labels.has(o.text)) v = labels.get(o.text)!;
        else fail('E-ASM-LABEL', `'${o.text}' is not a defined label or @address`, at(o.pos));
      } else {
        if (o.kind !== 'int') fail('E-ASM-OPERAND', `'${o.name}' takes an integer`, at(o.pos));
        v = Number(o.text);
      }
      operands[o.name] = v;
    }
    for (const f of lay.fields) if (!(f.name in operands)) fail('E-ASM-OPERAND', `${s.mnemonic} is missing operand '${f.name}'`, at(s.pos));
    const ins: Instr = { mnemonic: s.mnemonic as Mnemonic, operands };
    try {
      encodeInstr(isa, ins);
    } catch (e) {
      if (e instanceof DiagnosticError) {
        const o = s.operands.find((x) => x.name === e.diagnostic.loc.field);
        fail(e.diagnostic.code.replace('E-ISA-', 'E-ASM-'), e.diagnostic.message, at(o?.pos ?? s.pos));
      }
      throw e;
    }
    return ins;
  });
  const luts = sigmoid.length || tanh.length
    ? { entries: sigmoid.length, actBits: target.actBits, sigmoid: Int32Array.from(sigmoid), tanh: Int32Array.from(tanh) }
    : buildLuts(target.lutEntries, target.actBits);
  if (luts.sigmoid.length !== target.lutEntries || luts.tanh.length !== target.lutEntries) {
    fail('E-ASM-DATA', `LUTs need ${target.lutEntries} entries each, got ${luts.sigmoid.length} and ${luts.tanh.length}`, { file, line: 1, column: 1 });
  }
  checkIoRefs(io, code.length, 'E-ASM-JSON', ioLoc ?? { file, line: 1, column: 1 });
  return { target, code, weights: Uint8Array.from(weights), consts, luts, matrices, io, debug: pending.map(({ s }) => s.debug), host: Uint8Array.from(host) };
}

/** Assemble to .lxb bytes; what the reader would refuse (blob ranges, weights) is refused here, so asm never writes a binary that dump or sim reject. */
export function assemble(text: string, file = '<asm>'): Uint8Array {
  const bytes = writeLxb(assembleProgram(text, file));
  readLxb(bytes, file);
  return bytes;
}
