/** Element types of the IR, described once. */
export const DTYPES = {
  /** Element type not known (an opaque op's output without value_info). */
  unknown: { bytes: 0, onnx: 0, float: false },
  f32: { bytes: 4, onnx: 1, float: true },
  u8: { bytes: 1, onnx: 2, float: false },
  i8: { bytes: 1, onnx: 3, float: false },
  u16: { bytes: 2, onnx: 4, float: false },
  i16: { bytes: 2, onnx: 5, float: false },
  i32: { bytes: 4, onnx: 6, float: false },
  i64: { bytes: 8, onnx: 7, float: false },
  string: { bytes: 0, onnx: 8, float: false },
  bool: { bytes: 1, onnx: 9, float: false },
  f16: { bytes: 2, onnx: 10, float: true },
  f64: { bytes: 8, onnx: 11, float: true },
  u32: { bytes: 4, onnx: 12, float: false },
  u64: { bytes: 8, onnx: 13, float: false },
  bf16: { bytes: 2, onnx: 16, float: true },
} as const satisfies Record<string, { bytes: number; onnx: number; float: boolean }>;

export type DType = keyof typeof DTYPES;

export const DTYPE_NAMES = Object.keys(DTYPES) as DType[];

export function isDType(s: string): s is DType {
  return Object.hasOwn(DTYPES, s);
}

export function dtypeFromOnnx(code: number): DType | undefined {
  return DTYPE_NAMES.find((d) => DTYPES[d].onnx === code);
}
