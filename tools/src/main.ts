#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { hasRelaxedSimd } from '@lstmc/runtime';
import { runCli } from './cli.js';

// Relaxed SIMD gives `--matvec auto` its fused multiply-adds. Node 22 has it on; Node 20's V8 has it
// behind this flag, which only changes WebAssembly validated or compiled after it is set (nothing is
// before the command runs), so the CLI runs the same kernels on both. `--matvec wasm-simd` keeps the
// plain module. An embedding application decides this for itself: the runtime sets no flags.
if (!hasRelaxedSimd()) setFlagsFromString('--experimental-wasm-relaxed-simd');

// A closed pipe (`lstmc dump x.lxb | head`) ends the output, not the process with a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  cwd: process.cwd(),
  progress: true,
});
process.exitCode = code;
