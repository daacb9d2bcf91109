export type { OptionAst, PassRefAst, PipelineAst, SourcePos } from './ast.js';
export { parsePipelineText, PIPELINE_FILE } from './parser.js';
export { resolvePipeline, parsePipeline, checkRequirements, applyEffects } from './resolve.js';
export type { Pipeline, PipelineStep } from './resolve.js';
export { printPipeline, printStep } from './print.js';
export type { PrintPipelineOptions } from './print.js';
