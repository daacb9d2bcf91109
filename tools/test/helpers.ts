import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runCli } from '../src/cli.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
/** ONNX's conformance data, laid beside the repository (../shared). */
export const CONFORMANCE = join(REPO, '../shared/conformance');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the CLI in-process, capturing its output. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: REPO });
  return { code, stdout, stderr };
}
