export { prepareGraph, type PreparedGraph, type PreparedNode } from './prepare.js';
