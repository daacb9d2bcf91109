/**
 * @lstmc/runtime/ops: each op's definition by name (`Gather`, `Softmax`, ...), for a runtime of only
 * the ops a model uses: `opKernel('Gather', Gather)` is the kernel BUILTIN_KERNELS holds for Gather.
 * `lstmc runtime-entry` writes such a module for a runtime graph.
 */
export * from '@lstmc/ops/defs';
