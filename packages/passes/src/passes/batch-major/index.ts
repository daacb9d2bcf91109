export { batchMajorPass, foldBatchMajor, type BatchMajorLayer } from './batch-major-pass.js';
