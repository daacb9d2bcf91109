export { sparsityPass } from './sparsity-pass.js';
