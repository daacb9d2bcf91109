/**
 * Where a failing pass's reproducer is written. By default next to the model,
 * as `NAME.reproducer.lir`, or `NAME.reproducer.N.lir` with the first N free:
 * files are created exclusively, so a reproducer is never overwritten (by a
 * later failure, or by another model of the same name in another folder).
 * Where the model's folder is not writable, the same names in the current
 * directory. `--reproducer FILE` names the file itself (replaced if present).
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';

/** Names tried in one folder before giving up. */
const MAX_TRIES = 1000;

function candidates(model: string): string[] {
  const stem = basename(model, extname(model));
  return Array.from({ length: MAX_TRIES }, (_, n) => (n === 0 ? `${stem}.reproducer.lir` : `${stem}.reproducer.${n}.lir`));
}

/** Creates the first free name in `dir` (as shown: `shownDir`); returns its path as shown, or undefined when the folder takes none. */
function createIn(dir: string, shownDir: string, names: readonly string[], text: string): string | undefined {
  for (const name of names) {
    try {
      writeFileSync(join(dir, name), text, { flag: 'wx' });
      return shownDir === '.' ? name : join(shownDir, name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
    }
  }
  return undefined;
}

/**
 * Writes `text` as the reproducer of `model` (a path as given on the command
 * line, relative to `cwd`); returns the path written, as the user would type
 * it, or undefined when no file could be written.
 */
export function writeReproducerFile(model: string, cwd: string, text: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    try {
      writeFileSync(resolve(cwd, explicit), text);
      return explicit;
    } catch {
      return undefined;
    }
  }
  const names = candidates(model);
  return createIn(dirname(resolve(cwd, model)), dirname(model), names, text) ?? createIn(cwd, '.', names, text);
}
