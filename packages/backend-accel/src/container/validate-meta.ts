import { fail, type Location } from '@lstmc/ir';
import { IO_ROLES, type IoDesc, type MatrixDesc } from './program.js';

/**
 * Structural checks of the JSON metadata sections (matrices, io, debug), so a
 * hand-edited listing or a crafted file gives a diagnostic, not a crash in the
 * simulator. `code` is E-LXB-JSON for binaries, E-ASM-JSON for assembly.
 */
type Shape = 'int' | 'num' | 'str' | 'strOrNull' | 'ints' | 'strs' | 'arr' | 'obj';

function check(v: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'int':
      return Number.isSafeInteger(v);
    case 'num':
      return typeof v === 'number' && Number.isFinite(v);
    case 'str':
      return typeof v === 'string';
    case 'strOrNull':
      return v === null || typeof v === 'string';
    case 'ints':
      return Array.isArray(v) && v.every((x) => Number.isSafeInteger(x));
    case 'strs':
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'arr':
      return Array.isArray(v);
    case 'obj':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
  }
}

function fields(o: unknown, spec: Record<string, Shape>, what: string, code: string, loc: Location, optional: readonly string[] = []): void {
  if (!check(o, 'obj')) fail(code, `${what} must be an object`, loc);
  const r = o as Record<string, unknown>;
  for (const [k, s] of Object.entries(spec)) {
    if (r[k] === undefined && optional.includes(k)) continue;
    if (!check(r[k], s)) fail(code, `${what}: '${k}' is missing or not ${s}`, { ...loc, field: k });
  }
}

export function checkMatrices(m: unknown, code: string, loc: Location): asserts m is MatrixDesc[] {
  if (!Array.isArray(m)) fail(code, 'the matrix table must be an array', loc);
  m.forEach((d, i) => {
    const what = `matrix ${i}`;
    fields(d, { name: 'str', rows: 'int', cols: 'int', shift: 'int', assignment: 'str', layout: 'str', pes: 'arr', peOfRow: 'ints' }, what, code, loc, ['peOfRow']);
    const x = d as MatrixDesc;
    if (x.layout !== 'dense' && x.layout !== 'csc') fail(code, `${what}: layout must be dense or csc`, { ...loc, field: 'layout' });
    if (x.assignment !== 'modulo' && x.assignment !== 'balanced') fail(code, `${what}: assignment must be modulo or balanced`, { ...loc, field: 'assignment' });
    if (x.rows < 1 || x.cols < 1) fail(code, `${what}: empty matrix`, loc);
    x.pes.forEach((p) => fields(p, { offset: 'int', bytes: 'int' }, `${what} PE blob`, code, loc));
  });
}

export function checkIo(io: unknown, code: string, loc: Location): asserts io is IoDesc {
  fields(
    io,
    { phases: 'arr', hostSegments: 'arr', graphOutputs: 'strs', graphInputs: 'strs', maxSeqLen: 'int', dramWords: 'int', vmemWords: 'int', accRows: 'int', tensors: 'arr', outputs: 'arr', layers: 'arr' },
    'io',
    code,
    loc,
  );
  const d = io as IoDesc;
  for (const [k, v] of [['dramWords', d.dramWords], ['vmemWords', d.vmemWords], ['accRows', d.accRows]] as const) {
    if (v < 0 || v > 2 ** 28) fail(code, `io: '${k}' = ${v} is out of range`, { ...loc, field: k });
  }
  for (const t of d.tensors) {
    fields(t, { name: 'str', role: 'str', node: 'str', dir: 'int', dirs: 'int', layout: 'int', addr: 'int', width: 'int', frac: 'int', value: 'ints', perm: 'ints' }, 'io tensor', code, loc, ['value', 'perm']);
    if (t.perm && [...t.perm].sort().join(',') !== '0,1,2') fail(code, `io tensor '${t.name}': perm [${t.perm}] is not a permutation of 3 axes`, { ...loc, field: t.name });
    if (!(IO_ROLES as readonly string[]).includes(t.role)) fail(code, `io tensor '${t.name}': unknown role '${t.role}'`, { ...loc, field: t.name });
    if (t.addr < 0 || t.width < 1 || t.addr + t.width > d.dramWords) fail(code, `io tensor '${t.name}' lies outside DRAM`, { ...loc, field: t.name });
  }
  for (const o of d.outputs) fields(o, { name: 'str', node: 'str', which: 'str', glue: 'arr' }, 'io output', code, loc);
  for (const ph of d.phases) {
    fields(ph, { entry: 'int', nodes: 'strs', readsFrom: 'strs', seqLens: 'obj' }, 'io phase', code, loc);
    fields(ph.seqLens, { name: 'strOrNull' }, 'io phase seqLens', code, loc);
    if (ph.entry < 0) fail(code, `io phase entry ${ph.entry} is out of range`, { ...loc, field: 'entry' });
  }
  for (const s of d.hostSegments) {
    fields(s, { index: 'int', offset: 'int', bytes: 'int', inputs: 'strs', outputs: 'strs', nodes: 'arr' }, 'io host segment', code, loc);
    if (s.index < 0 || s.index > d.phases.length) fail(code, `io host segment index ${s.index} is not in 0..${d.phases.length}`, { ...loc, field: 'index' });
    for (const n of s.nodes) fields(n, { name: 'str', op: 'str', qError: 'num' }, 'io host segment node', code, loc, ['qError']);
  }
  for (const l of d.layers) fields(l, { name: 'str', start: 'int', end: 'int', qError: 'num' }, 'io layer', code, loc, ['qError']);
}
