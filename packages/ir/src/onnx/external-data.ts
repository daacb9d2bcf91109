import type { Location } from '../diagnostic.js';
import { fail } from '../diagnostic.js';
import type { TensorSource } from './tensor-from-proto.js';

/** Reads a whole file; returns undefined when it does not exist. */
export type ReadFile = (path: string) => Uint8Array | undefined;

/** Node's fs, reached without a static import so browser bundles of @lstmc/ir still load. */
export function nodeReadFile(path: string): Uint8Array | undefined {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs') as typeof import('node:fs') | undefined;
  if (!fs) throw new Error('internal: reading files needs Node.js (pass a readFile hook elsewhere)');
  try {
    return fs.readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** True when `location` stays inside the model's directory (ONNX requires a relative path). */
function isContained(location: string): boolean {
  if (/^([a-zA-Z]:)?[\\/]/.test(location)) return false;
  return !location.split(/[\\/]/).some((seg) => seg === '..');
}

/**
 * The external-data resolver of one import: `location` is relative to
 * `baseDir`; each file is read once per import (the cache lives in this
 * closure, not in the module).
 */
export function externalDataReader(baseDir: string, readFile: ReadFile): NonNullable<TensorSource['readExternal']> {
  const cache = new Map<string, Uint8Array>();
  return (location: string, offset: number, length: number | undefined, loc: Location) => {
    if (!isContained(location)) fail('E-ONNX-EXTERNAL', `external data location '${location}' must be a relative path inside the model's directory`, loc);
    const path = `${baseDir.replace(/[\\/]+$/, '')}/${location}`;
    let bytes = cache.get(path);
    if (!bytes) {
      let read: Uint8Array | undefined;
      try {
        read = readFile(path);
      } catch (e) {
        fail('E-ONNX-EXTERNAL', `cannot read external data file '${location}': ${(e as Error).message}`, loc);
      }
      if (!read) fail('E-ONNX-EXTERNAL-MISSING', `external data file '${location}' does not exist next to the model`, loc);
      bytes = read;
      cache.set(path, bytes);
    }
    const end = length === undefined ? bytes.length : offset + length;
    if (offset > bytes.length || end > bytes.length)
      fail('E-ONNX-EXTERNAL-RANGE', `external data [${offset}, ${end}) is outside '${location}' (${bytes.length} bytes)`, loc);
    return bytes.subarray(offset, end);
  };
}
