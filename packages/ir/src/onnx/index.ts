export { ONNX_OPSET_RANGE, ONNX_IR_VERSION_RANGE, importOnnx, loadOnnxFile } from './import-model.js';
export type { ImportOptions } from './import-model.js';
export type { ReadFile } from './external-data.js';
export { decodeTensorProto, encodeTensorProto } from './tensor-file.js';
export type { NamedTensor } from './tensor-file.js';
export { exportOnnx } from './export-model.js';
export { ONNX_CODES } from './codes.js';
export type { OnnxCode } from './codes.js';
