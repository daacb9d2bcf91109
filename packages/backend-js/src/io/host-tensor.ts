import type { RtTensor } from '@lstmc/runtime';

/**
 * Tensors as the host (CLI, tests) exchanges them with .npy files: the element types .npy files
 * carry here, held as runtime tensors (i64 in BigInt64Array, bool as 0/1 bytes).
 */
export const HOST_DTYPES = ['f32', 'f64', 'i32', 'i64', 'bool'] as const;
export type HostDType = (typeof HOST_DTYPES)[number];

export type HostTensor = { [D in HostDType]: RtTensor<D> }[HostDType];

export function isHostDType(s: string): s is HostDType {
  return (HOST_DTYPES as readonly string[]).includes(s);
}
