/**
 * Tensors as the host (CLI, tests) exchanges them with files: the element types .npy files
 * carry, in the typed arrays the runtime uses for them (i64 in BigInt64Array, bool as 0/1 bytes),
 * so a HostTensor is a valid runtime tensor as it is.
 */
export const HOST_DTYPES = ['f32', 'f64', 'i32', 'i64', 'bool'] as const;
export type HostDType = (typeof HOST_DTYPES)[number];

interface HostDataMap {
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  i64: BigInt64Array;
  bool: Uint8Array;
}

export type HostTensor = { [D in HostDType]: { readonly dtype: D; readonly shape: readonly number[]; readonly data: HostDataMap[D] } }[HostDType];

export function isHostDType(s: string): s is HostDType {
  return (HOST_DTYPES as readonly string[]).includes(s);
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function allocHost(dtype: HostDType, n: number): HostTensor['data'] {
  switch (dtype) {
    case 'f32':
      return new Float32Array(n);
    case 'f64':
      return new Float64Array(n);
    case 'i32':
      return new Int32Array(n);
    case 'i64':
      return new BigInt64Array(n);
    case 'bool':
      return new Uint8Array(n);
  }
}
