/**
 * Mutations of valid inputs, as a broken download or a hostile user would make them: byte edits of
 * binaries, edits of text, and edits of JSON trees (a value replaced, a key removed), each an
 * arbitrary that fast-check shrinks towards fewer and smaller edits.
 */
import fc from 'fast-check';

const INTERESTING_NUMBERS = [0, -1, 1, 2, 3, 7, 8, 63, 64, 255, 256, 65535, 2 ** 24, 2 ** 31 - 1, 2 ** 31, 2 ** 32, -(2 ** 31), 2 ** 53, 1e308, 0.5, -0.5, 1e-30];

/** Where in a sequence an edit applies, as a fraction of its length (so one edit fits any length). */
const at = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export type ByteEdit =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'delete'; readonly at: number; readonly n: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'u32'; readonly at: number; readonly value: number };

export const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at, value: fc.constantFrom(0, 0xff, 0x7f, 0x80, 0x01) }),
  fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at, n: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({ kind: fc.constant('u32' as const), at, value: fc.constantFrom(...INTERESTING_NUMBERS.filter((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)) }),
);

export const byteEdits = fc.array(byteEdit, { minLength: 1, maxLength: 4 });

/** Edits that keep the length (no insert, delete, truncate): for one section, so nothing after it moves. */
export const inPlaceEdits = fc.array(
  byteEdit.filter((e) => e.kind === 'flip' || e.kind === 'set' || e.kind === 'u32'),
  { minLength: 1, maxLength: 6 },
);

/** `edits` applied inside bytes [start, end) only (the rest unchanged). */
export function applyEditsWithin(bytes: Uint8Array, start: number, end: number, edits: readonly ByteEdit[]): Uint8Array {
  const out = bytes.slice();
  const part = applyByteEdits(bytes.subarray(start, end), edits).subarray(0, end - start);
  out.set(part, start);
  return out;
}

/** Apply edits to a copy of `bytes`, from `from` on (a header the caller keeps intact lies before it). */
export function applyByteEdits(bytes: Uint8Array, edits: readonly ByteEdit[], from = 0): Uint8Array {
  let b = Array.from(bytes);
  for (const e of edits) {
    const span = Math.max(b.length - from, 1);
    const i = from + Math.floor(e.at * span);
    switch (e.kind) {
      case 'flip':
        if (i < b.length) b[i] ^= 1 << e.bit;
        break;
      case 'set':
        if (i < b.length) b[i] = e.value;
        break;
      case 'insert':
        b.splice(i, 0, ...e.bytes);
        break;
      case 'delete':
        b.splice(i, e.n);
        break;
      case 'truncate':
        b = b.slice(0, i);
        break;
      case 'u32':
        for (let k = 0; k < 4 && i + k < b.length; k++) b[i + k] = (e.value >>> (8 * k)) & 0xff;
        break;
    }
  }
  return Uint8Array.from(b);
}

export type TextEdit =
  | { readonly kind: 'delete'; readonly at: number; readonly n: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'number'; readonly at: number; readonly value: number }
  | { readonly kind: 'line'; readonly at: number; readonly op: 'drop' | 'dup' | 'swap' }
  | { readonly kind: 'word'; readonly at: number; readonly from: number };

const TOKENS = ['{', '}', '(', ')', '[', ']', ',', ':', '=', '"', '%', '@', '<', '>', '-', '.', '\n', ' ', 'x', 'f32', 'i64', '?', '0', '-1', '1e999', 'NaN', 'inf', '#', '//', ';', '\\'];

export const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at, n: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('insert' as const), at, text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('number' as const), at, value: fc.constantFrom(...INTERESTING_NUMBERS) }),
  fc.record({ kind: fc.constant('line' as const), at, op: fc.constantFrom('drop' as const, 'dup' as const, 'swap' as const) }),
  fc.record({ kind: fc.constant('word' as const), at, from: at }),
);

export const textEdits = fc.array(textEdit, { minLength: 1, maxLength: 4 });

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let s = text;
  for (const e of edits) {
    const i = Math.floor(e.at * Math.max(s.length, 1));
    switch (e.kind) {
      case 'delete':
        s = s.slice(0, i) + s.slice(i + e.n);
        break;
      case 'insert':
        s = s.slice(0, i) + e.text + s.slice(i);
        break;
      case 'number': {
        // The number at or after i is replaced.
        const m = /-?\d+(\.\d+)?(e-?\d+)?/.exec(s.slice(i));
        if (m) s = s.slice(0, i + m.index) + String(e.value) + s.slice(i + m.index + m[0].length);
        break;
      }
      case 'line': {
        const lines = s.split('\n');
        const k = Math.floor(e.at * lines.length);
        if (e.op === 'drop') lines.splice(k, 1);
        else if (e.op === 'dup') lines.splice(k, 0, lines[k] ?? '');
        else if (k + 1 < lines.length) [lines[k], lines[k + 1]] = [lines[k + 1]!, lines[k]!];
        s = lines.join('\n');
        break;
      }
      case 'word': {
        // A word of the text replaces another one (a name, op or keyword used in the wrong place).
        const words = [...s.matchAll(/[A-Za-z_][\w.]*/g)];
        if (words.length < 2) break;
        const to = words[Math.floor(e.at * words.length)]!;
        const w = words[Math.floor(e.from * words.length)]![0];
        s = s.slice(0, to.index) + w + s.slice(to.index! + to[0].length);
        break;
      }
    }
  }
  return s;
}

export type JsonEdit =
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'borrow'; readonly at: number; readonly from: number }
  | { readonly kind: 'remove'; readonly at: number }
  /** Not generated: regression fixtures name the value they change by its path. */
  | { readonly kind: 'path'; readonly path: readonly (string | number)[]; readonly value: unknown };

const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...INTERESTING_NUMBERS),
  fc.constantFrom(null, true, false, '', 'I', 'Y', 'x', 'none', 'dense', 'csc', 'nope'),
  fc.constantFrom([], {}, [0], [-1], ['x']),
  fc.string({ maxLength: 4 }),
);

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at, value: jsonValue }),
  fc.record({ kind: fc.constant('borrow' as const), at, from: at }),
  fc.record({ kind: fc.constant('remove' as const), at }),
);

export const jsonEdits = fc.array(jsonEdit, { minLength: 1, maxLength: 3 });

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(v: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push({ parent: v, key: i }), slots(x, out)));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push({ parent: v as Record<string, unknown>, key: k }), slots(x, out);
  return out;
}

/** Apply edits to a deep copy of a JSON value: a value replaced by another, one borrowed from elsewhere in the tree, or removed. */
export function applyJsonEdits(value: unknown, edits: readonly JsonEdit[]): unknown {
  const root = { v: structuredClone(value) };
  for (const e of edits) {
    if (e.kind === 'path') {
      let o = root as unknown as Record<string | number, unknown>;
      const keys = ['v', ...e.path];
      for (const k of keys.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
      o[keys[keys.length - 1]!] = structuredClone(e.value);
      continue;
    }
    const all = slots(root.v);
    if (all.length === 0) break;
    const s = all[Math.floor(e.at * all.length)]!;
    const get = (x: Slot) => (x.parent as Record<string | number, unknown>)[x.key];
    const set = (x: Slot, y: unknown) => ((x.parent as Record<string | number, unknown>)[x.key] = y);
    if (e.kind === 'replace') set(s, structuredClone(e.value));
    else if (e.kind === 'borrow') set(s, structuredClone(get(all[Math.floor(e.from * all.length)]!)));
    else if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1);
    else delete s.parent[s.key as string];
  }
  return root.v;
}
