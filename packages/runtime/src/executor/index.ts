export { Model, Stream, createRuntime, type Runtime, type RuntimeParts, type ThreadPoolFactory, type LoadOptions, type IoInfo, type TensorMap, type RunOptions, type NodeTime } from './model.js';
