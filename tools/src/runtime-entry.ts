/**
 * The source of a runtime module with only some kernels (`lstmc runtime-entry`): it builds a runtime
 * with `createRuntime` of the kernels named, imported by name from `@lstmc/runtime` (the LSTM
 * kernels, KERNEL_EXPORTS) and `@lstmc/runtime/ops` (an op's definition, made a kernel by
 * `opKernel`), and exports its loadModel, createModel and readRuntimeGraph. A bundler keeps what
 * the module names and leaves out every other kernel (the packages are free of side effects).
 */
import { KERNEL_EXPORTS, OP_KERNELS, controlFlowDef, readRuntimeGraph, type RtNode } from '@lstmc/runtime';

export interface EntryOptions {
  /** Link the worker threads of the `threads` load option (else models run on one thread). */
  readonly threads: boolean;
  /** The line saying what the module was made from. */
  readonly origin: string;
}

/** Adds the kernel names a runtime graph's nodes use, branches included (control flow is the runtime's own); validates the graph. */
export function addGraphKernels(bytes: Uint8Array, names: Set<string>): void {
  const walk = (nodes: readonly RtNode[]): void => {
    for (const n of nodes) {
      if (!controlFlowDef(n.kernel)) names.add(n.kernel);
      for (const b of Object.values(n.branches ?? {})) walk(b.nodes);
    }
  };
  walk(readRuntimeGraph(bytes).nodes);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

export function runtimeEntrySource(kernels: readonly string[], options: EntryOptions): string {
  const named: string[] = ['createRuntime'];
  const ops: string[] = [];
  const entries: string[] = [];
  for (const k of kernels) {
    const key = IDENTIFIER.test(k) ? k : `'${k}'`;
    const exported = Object.hasOwn(KERNEL_EXPORTS, k) ? KERNEL_EXPORTS[k]! : undefined;
    if (exported) {
      named.push(exported);
      entries.push(`    ${key}: ${exported},`);
    } else if (Object.hasOwn(OP_KERNELS, k)) {
      ops.push(k);
      entries.push(`    ${key}: opKernel('${k}', ${k}),`);
    } else throw new Error(`no built-in kernel '${k}'`);
  }
  if (ops.length) named.push('opKernel');
  if (options.threads) named.push('createThreadPool');
  return [
    `// ${options.origin}`,
    '// A runtime with only these kernels: import loadModel from here instead of @lstmc/runtime (everything',
    '// else still from there) and bundle (esbuild, rollup, vite, webpack): the bundle keeps these kernels',
    '// and leaves out the others. A graph with any other kernel fails to load (E-RT-KERNEL, naming it).',
    "// Written by 'lstmc runtime-entry'.",
    `import { ${named.join(', ')} } from '@lstmc/runtime';`,
    ...(ops.length ? [`import { ${ops.join(', ')} } from '@lstmc/runtime/ops';`] : []),
    '',
    'export const runtime = createRuntime({',
    '  kernels: {',
    ...entries,
    '  },',
    ...(options.threads ? ['  threadPool: createThreadPool,'] : []),
    '});',
    'export const { loadModel, createModel, readRuntimeGraph } = runtime;',
    '',
  ].join('\n');
}
