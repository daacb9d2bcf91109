import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Repository root (packages/ir/test -> ../../..). */
export const REPO_ROOT = join(HERE, '..', '..', '..');
/** ONNX conformance data lives next to the clone (CI: shared/ is a sibling of the checkout). */
export const CONFORMANCE = join(REPO_ROOT, '..', 'shared', 'conformance');
export const FIXTURES = join(HERE, 'fixtures', 'onnx');

export interface ConformanceCase {
  readonly set: string;
  readonly name: string;
  readonly dir: string;
  readonly model: string;
}

/** Every `<set>/<case>/model.onnx` under the conformance folder. */
export function conformanceCases(): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const set of readdirSync(CONFORMANCE).sort()) {
    const setDir = join(CONFORMANCE, set);
    if (!existsSync(join(setDir, 'MANIFEST.md'))) continue;
    for (const name of readdirSync(setDir).sort()) {
      const model = join(setDir, name, 'model.onnx');
      if (existsSync(model)) out.push({ set, name, dir: join(setDir, name), model });
    }
  }
  return out;
}

/** input_N.pb / output_N.pb of a case's first test data set, in N order. */
export function testDataFiles(dir: string, kind: 'input' | 'output'): string[] {
  const ds = join(dir, 'test_data_set_0');
  if (!existsSync(ds)) return [];
  return readdirSync(ds)
    .filter((f) => f.startsWith(`${kind}_`) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(kind.length + 1, -3)) - Number(b.slice(kind.length + 1, -3)))
    .map((f) => join(ds, f));
}
