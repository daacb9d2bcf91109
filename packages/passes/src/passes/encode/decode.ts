/** Reading encoded matrices back from the IR (for tests, reports and backends). */
import type { Graph, Node, Tensor } from '@lstmc/ir';
import { ANN, getString, getStrings } from '../../annotations.js';
import type { MatrixKind } from '../../lstm-params.js';
import { ENCODINGS, ENCODING_PARTS, type EncodingFormat } from './formats.js';

export interface EncodedMatrix {
  readonly format: EncodingFormat;
  readonly base: string;
  readonly parts: Readonly<Record<string, Tensor>>;
}

/** The encoding of one direction's W or R recorded on an LSTM node, if any. */
export function encodedMatrix(g: Graph, n: Node, m: MatrixKind, dir: number): EncodedMatrix | undefined {
  const format = getString(n, ANN.encFormat) as EncodingFormat | undefined;
  const base = getStrings(n, m === 'W' ? ANN.encW : ANN.encR)?.[dir];
  if (!format || !base || !(format in ENCODINGS)) return undefined;
  const parts: Record<string, Tensor> = {};
  for (const part of ENCODING_PARTS[format]) {
    const t = g.initializers.get(`${base}.${part}`);
    if (!t) throw new Error(`encoded matrix '${base}' lacks part '${part}'`);
    parts[part] = t;
  }
  return { format, base, parts };
}

export function decodeMatrix(e: EncodedMatrix, rows: number, cols: number): Float64Array {
  return ENCODINGS[e.format].decode(e.parts, rows, cols);
}
