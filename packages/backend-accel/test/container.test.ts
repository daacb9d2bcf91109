import { describe, expect, it } from 'vitest';
import { inferTypes, isDiagnosticError, makeNode, updateGraph } from '@lstmc/ir';
import { defaultTarget, withParams } from '@lstmc/target';
import { assemble, compileAccel, crc32, deriveIsa, ISA, listing, readLxb, writeLxb, LXB, OPCODE_BITS, WORD_BITS } from '../src/index.js';
import { optimize } from './pipeline.js';
import { randomModel } from './random-model.js';

const T = withParams(defaultTarget, { pes: 4, relIndexBits: 3 });

async function sampleBinary(): Promise<Uint8Array> {
  const { graph } = randomModel({ input: 5, T: 3, B: 1, seed: 11, sparsity: 0.7, layers: [{ hidden: 6, direction: 'bidirectional', peephole: true }, { hidden: 4, direction: 'forward', clip: 1 }] });
  const g = await optimize(graph, T, [], 'fold,sparsity,select-mode{weight-threshold=0.5,input-threshold=0.3,input-test=runtime},quantize{x-max=2,c-max=4},encode{rows=balanced}');
  return writeLxb(compileAccel(g, T));
}

function code(f: () => unknown): { code: string; offset?: number; line?: number } {
  try {
    f();
  } catch (e) {
    if (isDiagnosticError(e)) return { code: e.diagnostic.code, offset: e.diagnostic.loc.offset, line: e.diagnostic.loc.line };
    throw e;
  }
  return { code: 'none' };
}

/** Recompute the CRC of the section holding `at`, and the header CRC, after an edit. */
function fixCrcs(b: Uint8Array): void {
  const dv = new DataView(b.buffer);
  const n = dv.getUint16(6, true);
  for (let i = 0; i < n; i++) {
    const e = LXB.headerBytes + i * LXB.entryBytes;
    dv.setUint32(e + 12, crc32(b.subarray(dv.getUint32(e + 4, true), dv.getUint32(e + 4, true) + dv.getUint32(e + 8, true))), true);
  }
  const end = LXB.headerBytes + n * LXB.entryBytes;
  const h = b.slice(0, end);
  new DataView(h.buffer).setUint32(16, 0, true);
  dv.setUint32(16, crc32(h), true);
}

describe('.lxb container', () => {
  it('is deterministic, and listing -> assembler reproduces it byte for byte', async () => {
    const a = await sampleBinary();
    const b = await sampleBinary();
    expect(b).toEqual(a);
    const text = listing(readLxb(a));
    expect(text).toMatch(/^\s+\d+: [0-9a-f]{16}  \S+.*; lstm0\/fwd$/m);
    expect(assemble(text)).toEqual(a);
  });

  it('reports corruption with the byte offset', async () => {
    const good = await sampleBinary();
    const dv = new DataView(good.buffer);
    const codeEntry = LXB.headerBytes + 1 * LXB.entryBytes; // sections are written in SECTION_ORDER: target, code, ...
    const codeOff = dv.getUint32(codeEntry + 4, true);

    const magic = good.slice();
    magic[0] = 0x7f;
    expect(code(() => readLxb(magic))).toMatchObject({ code: 'E-LXB-MAGIC', offset: 0 });

    const truncated = good.slice(0, good.length - 20);
    expect(code(() => readLxb(truncated))).toMatchObject({ code: 'E-LXB-TRUNCATED', offset: truncated.length });
    expect(code(() => readLxb(good.slice(0, 10)))).toMatchObject({ code: 'E-LXB-TRUNCATED', offset: 10 });

    const flipped = good.slice();
    flipped[codeOff + 3] ^= 0x10;
    expect(code(() => readLxb(flipped))).toMatchObject({ code: 'E-LXB-CRC', offset: codeOff });

    const header = good.slice();
    header[5] ^= 1; // version high byte
    expect(code(() => readLxb(header))).toMatchObject({ code: 'E-LXB-VERSION', offset: 4 });
    // a binary of format 2 (before the batch and columnPrefetch target parameters) is refused, saying why
    const old = good.slice();
    new DataView(old.buffer).setUint16(4, 2, true);
    expect(code(() => readLxb(old))).toMatchObject({ code: 'E-LXB-VERSION', offset: 4 });
    expect(() => readLxb(old)).toThrow(/version 2 .*reads version 3.*older lstmc \(before batching.*recompile/);

    // an unknown opcode in the third word, CRCs fixed so only the decoder can object
    const opc = good.slice();
    opc[codeOff + 2 * 8 + 7] = 0xfc; // top 6 bits all ones: opcode 0x3f, which the table does not use
    expect(Object.values(ISA).some((i) => i.opcode === 0x3f)).toBe(false);
    fixCrcs(opc);
    expect(code(() => readLxb(opc))).toMatchObject({ code: 'E-LXB-OPCODE', offset: codeOff + 16 });

    const lbl = good.slice();
    // tloop's end label pointing past the code
    const words = (dv.getUint32(codeEntry + 8, true)) / 8;
    let k = 0;
    const top = BigInt(WORD_BITS - OPCODE_BITS);
    for (; k < words; k++) if (Number(dv.getBigUint64(codeOff + k * 8, true) >> top) === ISA['tloop.f'].opcode) break;
    const end = deriveIsa(T).byMnemonic['tloop.f'].fields.find((f) => f.name === 'end')!;
    const mask = ((1n << BigInt(end.width)) - 1n) << BigInt(end.lsb);
    const ldv = new DataView(lbl.buffer);
    const w = ldv.getBigUint64(codeOff + k * 8, true);
    ldv.setBigUint64(codeOff + k * 8, (w & ~mask) | (BigInt(words + 5) << BigInt(end.lsb)), true);
    fixCrcs(lbl);
    expect(code(() => readLxb(lbl))).toMatchObject({ code: 'E-LXB-FIELD', offset: codeOff + k * 8 });
  });
});

describe('assembler labels', () => {
  const head = `.target ${JSON.stringify(T)}\n`;
  it('labels resolve forwards and backwards', () => {
    const b = readLxb(assemble(`${head}top:\n  jmp target=end\n  jmp target=top\nend:\n  halt\n`)).program.code;
    expect(b.map((i) => i.operands.target)).toEqual([2, 0, undefined]);
  });

  it('checks the host segments against the host section and the phases', () => {
    const { graph } = randomModel({ input: 4, T: 2, B: 1, seed: 3, sparsity: 0, layers: [{ hidden: 3, direction: 'forward' }] });
    const g = inferTypes(updateGraph(graph, { nodes: [...graph.nodes, makeNode({ op: 'Relu', name: 'head', inputs: ['l0.out'], outputs: ['act'] })], outputs: ['act'] }));
    const p = compileAccel(g, T);
    expect(p.io.hostSegments).toHaveLength(1);
    expect(code(() => readLxb(writeLxb(p)))).toEqual({ code: 'none' });
    const seg = p.io.hostSegments[0];
    const long = { ...p, io: { ...p.io, hostSegments: [{ ...seg, bytes: seg.bytes + 1 }] } };
    expect(code(() => readLxb(writeLxb(long))).code).toBe('E-LXB-FIELD');
    const late = { ...p, io: { ...p.io, hostSegments: [{ ...seg, index: 2 }] } };
    expect(code(() => readLxb(writeLxb(late))).code).toBe('E-LXB-JSON');
  });
});
