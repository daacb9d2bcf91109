export { encodePass, sourceMatrix } from './encode-pass.js';
export { ENCODINGS, ENCODING_FORMATS, ENCODING_PARTS } from './formats.js';
export type { EncodingFormat } from './formats.js';
export type { Encoding, EncodingStats, DenseMatrix, EncodeParams } from './format.js';
export { encodedMatrix, decodeMatrix } from './decode.js';
export type { EncodedMatrix } from './decode.js';
