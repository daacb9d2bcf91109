/** Node-only helpers (file I/O); the main entry stays free of Node APIs so it runs in browsers. */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadModel } from './builtin.js';
import type { LoadOptions, Model } from './executor/index.js';
import { writeRuntimeGraph } from './format/writer.js';
import type { RuntimeModel } from './model.js';

export function loadModelFile(path: string, options: LoadOptions = {}): Model {
  const b = readFileSync(path);
  return loadModel(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), options);
}

export function writeRuntimeGraphFile(path: string, model: RuntimeModel): void {
  writeFileSync(path, writeRuntimeGraph(model));
}
