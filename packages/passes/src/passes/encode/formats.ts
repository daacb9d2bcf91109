/** The encoding table: format name -> implementation. */
import { bitmap } from './bitmap.js';
import { cscRel } from './csc-rel.js';
import { csr } from './csr.js';
import type { Encoding } from './format.js';

export const ENCODINGS = {
  'csc-rel': cscRel,
  csr,
  bitmap,
} as const satisfies Record<string, Encoding>;

export type EncodingFormat = keyof typeof ENCODINGS;
export const ENCODING_FORMATS = Object.keys(ENCODINGS) as EncodingFormat[];

/** Part names of each format, in a fixed order. */
export const ENCODING_PARTS = {
  'csc-rel': ['values', 'rel', 'col_len', 'rows', 'row_ptr'],
  csr: ['values', 'col_idx', 'row_ptr'],
  bitmap: ['bitmap', 'values'],
} as const satisfies Record<EncodingFormat, readonly string[]>;
