export { ENTRY_POINTS, entryPoint, type EntryPoint } from './entry-points.js';
export { fuzzEntry, formatCounts, caseToJson, caseFromJson, type FuzzResult, type Finding, type FuzzOptions } from './run-fuzz.js';
export { OUTCOMES, FINDINGS, classify, type Outcome } from './outcome.js';
