import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RtTensor } from '@lstmc/runtime';
import { decodeRtTensorProto, type NamedRtTensor } from '../src/index.js';

export const REPO = join(import.meta.dirname, '../../..');
/** ONNX's conformance data, laid beside the repository. */
export const CONFORMANCE = join(REPO, '../shared/conformance');

/** The `<prefix>_N.pb` files of a test data set, in N order. */
export function readPbs(dir: string, prefix: 'input' | 'output'): NamedRtTensor[] {
  const out: NamedRtTensor[] = [];
  for (let i = 0; existsSync(join(dir, `${prefix}_${i}.pb`)); i++) out.push(decodeRtTensorProto(readFileSync(join(dir, `${prefix}_${i}.pb`)), `${prefix}_${i}.pb`));
  return out;
}

export function caseDirs(suite: string): string[] {
  const root = join(CONFORMANCE, suite);
  return readdirSync(root)
    .filter((d) => d.startsWith('test_'))
    .sort()
    .map((d) => join(root, d));
}

/** Max |a - b| over two tensors of the same shape (Infinity when shapes differ or NaNs disagree). */
export function maxAbsDiff(a: RtTensor, b: RtTensor): number {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) return Infinity;
  let m = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = Number(a.data[i]);
    const y = Number(b.data[i]);
    if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
    if (!Number.isNaN(x)) m = Math.max(m, Math.abs(x - y));
  }
  return m;
}
