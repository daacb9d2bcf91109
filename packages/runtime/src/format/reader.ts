import { rtFail } from '../errors.js';
import { prepareGraph } from '../graph/prepare.js';
import type { KernelRegistry } from '../kernels/kernel.js';
import type { RuntimeModel } from '../model.js';
import { decodeManifest } from './decode-manifest.js';
import { assertLittleEndianHost } from './endian.js';
import { readHeader } from './header.js';

export interface ReadOptions {
  /** Kernels the graph may use (default: the runtime's registry, the built-in one for the main entry's readRuntimeGraph). */
  readonly kernels?: KernelRegistry;
  /** Accept NaN and infinite constants (default: E-RT-NONFINITE naming the constant). */
  readonly allowNonFinite?: boolean;
}

/**
 * Reads and fully validates runtime graph bytes: header, checksums, manifest JSON structure, every
 * index, dtype, shape and blob range, kernel names, attributes and graph order. Throws RuntimeError.
 * Constants are views into a private copy of the blob (later changes to `bytes` do not affect them).
 */
export function readRuntimeGraphWith(kernels: KernelRegistry, bytes: Uint8Array, options: ReadOptions = {}): RuntimeModel {
  assertLittleEndianHost();
  if (!(bytes instanceof Uint8Array)) rtFail('E-RT-MAGIC', 'runtime graph must be given as a Uint8Array');
  const h = readHeader(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(h.manifestOffset, h.manifestOffset + h.manifestLength));
  } catch {
    rtFail('E-RT-MANIFEST-JSON', 'manifest is not valid UTF-8', { offset: h.manifestOffset });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    rtFail('E-RT-MANIFEST-JSON', `manifest is not valid JSON: ${(e as Error).message}`, { offset: h.manifestOffset });
  }
  // A copy with its own buffer: Node's Buffer#slice is a view into a shared pool, so `.buffer` of it
  // would start elsewhere and tensors would be read from the wrong bytes.
  const blob = Uint8Array.prototype.slice.call(bytes, h.blobOffset, h.blobOffset + h.blobLength).buffer;
  const model = decodeManifest(json, blob, h.blobOffset, h.minor, options.allowNonFinite ?? false);
  prepareGraph(model, options.kernels ?? kernels);
  return model;
}
