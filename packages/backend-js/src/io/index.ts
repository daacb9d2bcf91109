export { readNpy, readNpyHeader, writeNpy, npyHeaderBytes, type NpyHeader } from './npy.js';
export { HOST_DTYPES, isHostDType, type HostDType, type HostTensor } from './host-tensor.js';
export { decodeRtTensorProto, encodeRtTensorProto, type NamedRtTensor } from './tensor-proto.js';
export { TENSOR_FILE_FORMATS, readTensorFile, tensorFileBytes, tensorFileFormat, type TensorFileFormat } from './tensor-file.js';
export { compareTensors, type Comparison } from './compare.js';
