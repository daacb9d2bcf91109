import { fail } from '../diagnostic.js';
import { checkFiniteConstants } from '../finite-constants.js';
import type { Graph } from '../graph.js';
import { updateGraph } from '../graph.js';
import { inferTypes, type InferOptions } from '../infer.js';
import type { ReadFile } from './external-data.js';
import { externalDataReader, nodeReadFile } from './external-data.js';
import { importGraph, normalizeDomain } from './import-graph.js';
import type { ModelProtoMsg } from './messages.js';
import { int64ToNumber } from './messages.js';
import { decodeModelProto } from './schema.js';
import { LOCAL_FUNCTIONS_KEY, localFunctions } from './local-functions.js';

/**
 * Default-domain opsets lstmc imports. LSTM-7/14/22 cover 7..22; opsets 23..25
 * revised no op of lstmc's table beyond adding element types lstmc does not
 * import (float8/int4), and the official Squeeze/Unsqueeze/Transpose node
 * tests are opset 25, so they are accepted with the same semantics.
 */
export const ONNX_OPSET_RANGE = { min: 7, max: 25 } as const;

/**
 * ONNX IR versions lstmc reads: 3 (the first with opset imports, ONNX 1.0) to 13 (ONNX 1.20, the
 * newest the conformance data holds). A later IR version may change the file format in ways this
 * importer cannot see, so it is refused instead of half-read.
 */
export const ONNX_IR_VERSION_RANGE = { min: 3, max: 13 } as const;

function checkIrVersion(model: ModelProtoMsg, file: string): void {
  const v = int64ToNumber(model.ir_version);
  const { min, max } = ONNX_IR_VERSION_RANGE;
  if (!(v >= min && v <= max)) fail('E-ONNX-IR-VERSION', `ONNX IR version ${v} is not supported (lstmc reads IR versions ${min} to ${max})`, { file, field: 'ir_version' });
}

export interface ImportOptions {
  /** Model file name, used in every diagnostic. */
  readonly file: string;
  /** Directory external data locations are relative to; without it external data is an error. */
  readonly baseDir?: string;
  /** File reader for external data (default: Node's fs). */
  readonly readFile?: ReadFile;
  /**
   * Keep going past nodes whose inputs or attributes fail type inference: each failure is passed
   * here and the node's outputs stay untyped (`inspect` shows a model that `run` would refuse).
   */
  readonly onInferError?: InferOptions['onNodeError'];
  /** Accept NaN and infinite initializers and Constant values (default: E-ONNX-NONFINITE naming the tensor). */
  readonly allowNonFinite?: boolean;
}

function readOpsets(model: ModelProtoMsg, file: string): Record<string, number> {
  const opsets: Record<string, number> = {};
  for (const o of model.opset_import) opsets[normalizeDomain(o.domain)] = int64ToNumber(o.version);
  const v = opsets[''];
  const { min, max } = ONNX_OPSET_RANGE;
  if (v === undefined) fail('E-ONNX-OPSET', 'the model imports no ai.onnx opset', { file, field: 'opset_import' });
  if (!(v >= min && v <= max)) fail('E-ONNX-OPSET', `ai.onnx opset ${v} is not supported (lstmc reads opsets ${min} to ${max})`, { file, field: 'opset_import' });
  return opsets;
}

/** Producer facts kept on the graph so that export can reproduce them. */
function modelMetadata(model: ModelProtoMsg): Record<string, string> {
  const meta: Record<string, string> = { 'onnx.ir_version': String(int64ToNumber(model.ir_version)) };
  if (model.producer_name) meta['onnx.producer_name'] = model.producer_name;
  if (model.producer_version) meta['onnx.producer_version'] = model.producer_version;
  for (const p of model.metadata_props) meta[`onnx.meta.${p.key}`] = p.value;
  if (model.functions.length) meta[LOCAL_FUNCTIONS_KEY] = JSON.stringify(localFunctions(model.functions));
  return meta;
}

/**
 * Decode an ONNX model and return its typed IR graph. Every problem with the
 * file is a DiagnosticError with a stable code and location (file, node,
 * initializer or attribute).
 */
export function importOnnx(bytes: Uint8Array, opts: ImportOptions): Graph {
  const file = opts.file;
  const model = decodeModelProto(bytes, file);
  if (!model.graph) fail('E-ONNX-DECODE', 'not an ONNX model: it has no graph', { file });
  checkIrVersion(model, file);
  const opsets = readOpsets(model, file);
  const readExternal = opts.baseDir !== undefined ? externalDataReader(opts.baseDir, opts.readFile ?? nodeReadFile) : undefined;
  const g = importGraph(model.graph, { file, opsets, readExternal });
  if (!opts.allowNonFinite) checkFiniteConstants(g, 'E-ONNX-NONFINITE', { file });
  return inferTypes(updateGraph(g, { metadata: modelMetadata(model) }), { file, ...(opts.onInferError ? { onNodeError: opts.onInferError } : {}) });
}

function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

/** Read and import an ONNX file; external data is looked up next to it. */
export function loadOnnxFile(path: string, readFile: ReadFile = nodeReadFile, opts: Pick<ImportOptions, 'onInferError' | 'allowNonFinite'> = {}): Graph {
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFile(path);
  } catch (e) {
    fail('E-IO-READ', `cannot read '${path}': ${(e as Error).message}`, { file: path });
  }
  if (!bytes) fail('E-IO-NOT-FOUND', `no such file '${path}'`, { file: path });
  return importOnnx(bytes, { file: path, baseDir: dirname(path), readFile, ...opts });
}
