/**
 * The zero pattern of a matrix as a row-major bit mask: bit (r * cols + c)
 * is set when the weight is non-zero, least significant bit first within a
 * byte. The page decodes the same layout (page/heatmap.ts).
 */
export function packMask(rows: number, cols: number, nonZero: (r: number, c: number) => boolean): Uint8Array {
  const bits = new Uint8Array(Math.ceil((rows * cols) / 8));
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (nonZero(r, c)) bits[i >> 3] |= 1 << (i & 7);
    }
  return bits;
}

export function maskBit(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3] >> (i & 7)) & 1) === 1;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
