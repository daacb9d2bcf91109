import { DiagnosticError, fail, withLocation } from '@lstmc/ir';
import { parseTarget, targetHash, type Target } from '@lstmc/target';
import { decodeProgram } from '../isa/decode.js';
import { deriveIsa } from '../isa/derive-isa.js';
import { crc32 } from '@lstmc/runtime';
import { checkIo, checkMatrices } from './validate-meta.js';
import { checkIoRefs } from './validate-refs.js';
import { loadMatrices } from '../sim/load-matrices.js';
import type { IoDesc, LxbProgram, MatrixDesc } from './program.js';
import { LXB, LXB_CHANGES, SECTION_KINDS, SECTION_ORDER, type SectionKind } from './sections.js';

export interface SectionInfo {
  readonly kind: SectionKind;
  readonly offset: number;
  readonly length: number;
  readonly crc: number;
}

export interface LxbFile {
  readonly program: LxbProgram;
  readonly version: number;
  readonly hash: string;
  readonly sections: readonly SectionInfo[];
  readonly size: number;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/**
 * Read and validate an .lxb. Every problem is a diagnostic with the byte offset
 * where it was found: E-LXB-TRUNCATED, -MAGIC, -VERSION, -CRC, -SECTION,
 * -TARGET, -JSON, -OPCODE, -FIELD, -WEIGHTS.
 */
export function readLxb(bytes: Uint8Array, file = '<binary>'): LxbFile {
  // A private copy: callers may pass a Node Buffer (a view into a shared pool whose slice() does not copy).
  return readChecked(new Uint8Array(bytes), file);
}

function readChecked(bytes: Uint8Array, file: string): LxbFile {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < LXB.headerBytes) fail('E-LXB-TRUNCATED', `file of ${bytes.length} bytes is shorter than the ${LXB.headerBytes}-byte header`, { file, offset: bytes.length });
  if (!LXB.magic.every((b, i) => bytes[i] === b)) fail('E-LXB-MAGIC', `not an lstmc accelerator binary (magic ${hex(bytes.subarray(0, 4))})`, { file, offset: 0 });
  const version = dv.getUint16(4, true);
  if (version !== LXB.version) {
    const why = version < LXB.version ? `written by an older lstmc${LXB_CHANGES[version] ? ` (before ${LXB_CHANGES[version]})` : ''}; recompile the model with this lstmc` : 'written by a newer lstmc';
    fail('E-LXB-VERSION', `format version ${version} is not supported: this lstmc reads version ${LXB.version}; the binary was ${why}`, { file, offset: 4 });
  }
  const count = dv.getUint16(6, true);
  const tableEnd = LXB.headerBytes + count * LXB.entryBytes;
  if (bytes.length < tableEnd) fail('E-LXB-TRUNCATED', `section table of ${count} entries runs past the end of the file`, { file, offset: bytes.length });
  const headerCopy = bytes.slice(0, tableEnd);
  new DataView(headerCopy.buffer).setUint32(16, 0, true);
  if (crc32(headerCopy) !== dv.getUint32(16, true)) fail('E-LXB-CRC', 'header CRC mismatch', { file, offset: 16 });
  const declared = dv.getUint32(20, true);
  if (bytes.length < declared) fail('E-LXB-TRUNCATED', `file is ${bytes.length} bytes, its header says ${declared}`, { file, offset: bytes.length });
  const byId = new Map<number, SectionKind>(SECTION_ORDER.map((k) => [SECTION_KINDS[k].id, k]));
  const sections: SectionInfo[] = [];
  const payload = {} as Record<SectionKind, Uint8Array>;
  for (let i = 0; i < count; i++) {
    const e = LXB.headerBytes + i * LXB.entryBytes;
    const kind = byId.get(dv.getUint32(e, true));
    if (!kind) fail('E-LXB-SECTION', `unknown section kind ${dv.getUint32(e, true)}`, { file, offset: e });
    if (payload[kind]) fail('E-LXB-SECTION', `section '${kind}' appears twice`, { file, offset: e });
    const offset = dv.getUint32(e + 4, true);
    const length = dv.getUint32(e + 8, true);
    const crc = dv.getUint32(e + 12, true);
    if (offset + length > bytes.length || offset < tableEnd) fail('E-LXB-TRUNCATED', `section '${kind}' (${length} bytes at ${offset}) lies outside the file`, { file, offset: Math.min(offset, bytes.length) });
    const data = bytes.subarray(offset, offset + length);
    if (crc32(data) !== crc) fail('E-LXB-CRC', `section '${kind}' CRC mismatch`, { file, offset, field: kind });
    payload[kind] = data;
    sections.push({ kind, offset, length, crc });
  }
  for (const k of SECTION_ORDER) if (!payload[k]) fail('E-LXB-SECTION', `section '${k}' is missing`, { file, offset: LXB.headerBytes });
  const off = (k: SectionKind) => sections.find((s) => s.kind === k)!.offset;
  const text = (k: SectionKind) => new TextDecoder().decode(payload[k]);
  const json = <T>(k: SectionKind): T => {
    try {
      return JSON.parse(text(k)) as T;
    } catch {
      return fail('E-LXB-JSON', `section '${k}' is not valid JSON`, { file, offset: off(k), field: k });
    }
  };

  let target: Target;
  try {
    target = parseTarget(text('target'), file);
  } catch (e) {
    if (e instanceof DiagnosticError) fail('E-LXB-TARGET', `target section: ${e.diagnostic.message}`, { file, offset: off('target') });
    throw e;
  }
  const hash = hex(bytes.subarray(8, 16));
  if (targetHash(target) !== hash) fail('E-LXB-TARGET', `target hash ${hash} does not match the target section (${targetHash(target)})`, { file, offset: 8 });

  const isa = deriveIsa(target);
  const code = withLocation({ file }, () => decodeProgram(isa, payload.code, off('code')));
  const matrices = json<MatrixDesc[]>('matrices');
  const io = json<IoDesc>('io');
  const debug = json<string[]>('debug');
  checkMatrices(matrices, 'E-LXB-JSON', { file, offset: off('matrices') });
  checkIo(io, 'E-LXB-JSON', { file, offset: off('io') });
  checkIoRefs(io, code.length, 'E-LXB-FIELD', { file, offset: off('io') });
  if (!Array.isArray(debug) || debug.some((x) => typeof x !== 'string')) fail('E-LXB-JSON', 'debug info must be an array of strings', { file, offset: off('debug') });
  if (debug.length !== code.length) fail('E-LXB-FIELD', `debug info has ${debug.length} entries for ${code.length} instructions`, { file, offset: off('debug') });
  code.forEach((ins, i) => {
    if ('m' in ins.operands && ins.operands.m >= matrices.length) {
      fail('E-LXB-FIELD', `${ins.mnemonic} names matrix ${ins.operands.m}, the table has ${matrices.length}`, { file, offset: off('code') + i * 8, field: 'm' });
    }
  });
  for (const m of matrices) {
    for (const p of m.pes) {
      if (p.offset + p.bytes > payload.weights.length) fail('E-LXB-FIELD', `matrix '${m.name}' blob lies outside the weights section`, { file, offset: off('matrices'), field: m.name });
    }
  }
  for (const s of io.hostSegments) {
    if (s.offset < 0 || s.bytes < 0 || s.offset + s.bytes > payload.host.length) fail('E-LXB-FIELD', `host segment ${s.index} (${s.bytes} bytes at ${s.offset}) lies outside the host section`, { file, offset: off('io'), field: 'hostSegments' });
  }
  if (payload.consts.length % 8 !== 0) fail('E-LXB-TRUNCATED', 'constants section is not a whole number of 8-byte words', { file, offset: off('consts') });
  const cdv = new DataView(payload.consts.buffer, payload.consts.byteOffset, payload.consts.byteLength);
  const consts = Array.from({ length: payload.consts.length / 8 }, (_, i) => Number(cdv.getBigInt64(i * 8, true)));
  const n = target.lutEntries;
  if (payload.luts.length !== 8 * n) fail('E-LXB-FIELD', `LUT section has ${payload.luts.length} bytes, the target needs ${8 * n}`, { file, offset: off('luts') });
  const ldv = new DataView(payload.luts.buffer, payload.luts.byteOffset, payload.luts.byteLength);
  const sigmoid = Int32Array.from({ length: n }, (_, i) => ldv.getInt32(i * 4, true));
  const tanh = Int32Array.from({ length: n }, (_, i) => ldv.getInt32((n + i) * 4, true));
  const program: LxbProgram = {
    target,
    code,
    weights: payload.weights.slice(),
    consts,
    luts: { entries: n, actBits: target.actBits, sigmoid, tanh },
    matrices,
    io,
    debug,
    host: payload.host.slice(),
  };
  // The weights decode for the matrix table (PE blobs, row assignment, CSC runs), so that a
  // binary dump accepts is one sim can run.
  withLocation({ file }, () => loadMatrices(program, off('weights')));
  return { program, version, hash, sections, size: bytes.length };
}
