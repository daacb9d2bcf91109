import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One `_error_<kind>` fixture folder: its name and the `key: value` lines of its expected.txt. */
export interface ErrorCase {
  readonly dir: string;
  readonly expected: Readonly<Record<string, string>>;
}

/** The `_error_*` folders under `root` that have an expected.txt (code, node, field ... of the diagnostic), sorted. */
export function errorCases(root: string): ErrorCase[] {
  return readdirSync(root)
    .filter((d) => d.startsWith('_error_') && existsSync(join(root, d, 'expected.txt')))
    .sort()
    .map((dir) => ({
      dir,
      expected: Object.fromEntries(
        readFileSync(join(root, dir, 'expected.txt'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => {
            const i = l.indexOf(': ');
            return [l.slice(0, i), l.slice(i + 2)];
          }),
      ),
    }));
}
