/**
 * DeltaRNN input sparsification (Neil et al.): each input element keeps a
 * reference value; at step t the change x_t - ref is sent when its
 * magnitude is at least the threshold (and ref becomes x_t), otherwise a zero
 * is sent. The layer then sees the reconstruction ref_t instead of x_t, and
 * the matrix-vector product runs on the sparse change vectors.
 */
export interface DeltaResult {
  /** The sequence the layer effectively computes with ([T, B, I], layout 0). */
  readonly reconstructed: Float32Array;
  /** Change elements sent as zero. */
  readonly zeros: number;
  readonly total: number;
}

export function deltaSequence(x: ArrayLike<number>, T: number, B: number, I: number, threshold: number): DeltaResult {
  const out = new Float32Array(T * B * I);
  const ref = new Float32Array(B * I);
  let zeros = 0;
  for (let t = 0; t < T; t++)
    for (let k = 0; k < B * I; k++) {
      const i = t * B * I + k;
      const d = x[i] - ref[k];
      if (d === 0 || Math.abs(d) < threshold) zeros++;
      else ref[k] = x[i];
      out[i] = ref[k];
    }
  return { reconstructed: out, zeros, total: T * B * I };
}
