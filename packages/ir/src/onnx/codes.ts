/**
 * Diagnostic codes the ONNX frontend reports itself, with what each means.
 * Errors found by the op table (E-LSTM-*, E-IR-*) come from inference and
 * are listed with the ops. Tests check every code here is exercised.
 */
export const ONNX_CODES = {
  'E-IO-NOT-FOUND': 'the model file does not exist',
  'E-IO-READ': 'the model file cannot be read',
  'E-ONNX-DECODE': 'the bytes are truncated, not protobuf, or a protobuf without a graph',
  'E-ONNX-IR-VERSION': 'the model ir_version is outside the range lstmc reads',
  'E-ONNX-NONFINITE': 'an initializer or Constant value holds NaN or an infinity (accepted with --allow-nonfinite)',
  'E-ONNX-OPSET': 'the ai.onnx opset is missing or outside the supported range',
  'E-ONNX-DTYPE': 'an element type lstmc does not represent (complex, float8, int4, undefined)',
  'E-ONNX-DIMS': 'a negative or absurd dimension, or more elements than lstmc accepts',
  'E-ONNX-RAW-SIZE': "raw_data's byte length does not match dims and element type",
  'E-ONNX-DATA-SIZE': "a typed data field's value count does not match dims",
  'E-ONNX-DATA': 'a string tensor stored as raw or external bytes',
  'E-ONNX-SEGMENT': 'a segmented tensor (unsupported)',
  'E-ONNX-SPARSE': 'a malformed sparse tensor (indices shape, type or range)',
  'E-ONNX-EXTERNAL': 'external data without location, with a path leaving the model directory, or unreadable',
  'E-ONNX-EXTERNAL-MISSING': 'the external data file does not exist next to the model',
  'E-ONNX-EXTERNAL-RANGE': 'external data offset/length reach past the end of the file',
  'E-ONNX-EXTERNAL-SIZE': "external data's byte length does not match dims and element type",
  'E-ONNX-TYPE': 'a graph input that is not a typed tensor (sequence, map, optional, untyped)',
  'E-ONNX-NAME': 'an initializer, graph input or graph output without a name',
  'E-ONNX-NODE': 'a node without op_type',
  'E-ONNX-ATTR': 'an attribute without name, type or value, repeated, or referring to a function attribute',
  'E-ONNX-ATTR-KIND': 'an attribute kind the IR cannot hold (sparse tensor, tensors, type protos)',
} as const satisfies Record<string, string>;

export type OnnxCode = keyof typeof ONNX_CODES;
