export { readNpy, writeNpy } from './npy.js';
export { HOST_DTYPES, isHostDType, type HostDType, type HostTensor } from './host-tensor.js';
export { decodeRtTensorProto, encodeRtTensorProto, type NamedRtTensor } from './tensor-proto.js';
