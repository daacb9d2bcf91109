export { Model, Stream, loadModel, createModel, type LoadOptions, type IoInfo, type TensorMap } from './model.js';
