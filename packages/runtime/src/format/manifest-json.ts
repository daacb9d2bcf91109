/**
 * The JSON manifest of a runtime graph file, as stored (format version 1.0; 1.1 adds `branches`). See docs/runtime-format.md.
 * Constants do not appear inline: they reference byte ranges of the blob.
 */
export interface BlobRef {
  /** Byte offset from the blob start; a multiple of 64. */
  offset: number;
  /** Byte length: element count times dtype size. */
  length: number;
}

export interface ManifestValue {
  name: string;
  dtype: string;
  shape: (number | string)[] | null;
  data?: BlobRef;
}

export type ManifestAttr =
  | { type: 'int' | 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'ints' | 'floats'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensor'; dtype: string; shape: number[]; data: BlobRef };

export interface ManifestNode {
  kernel: string;
  name: string;
  inputs: number[];
  outputs: number[];
  attrs: Record<string, ManifestAttr>;
  mode?: { W: string; R: string };
  /** Control-flow nodes (format 1.1): subgraphs by name. */
  branches?: Record<string, ManifestSubgraph>;
}

export interface ManifestSubgraph {
  nodes: ManifestNode[];
  outputs: number[];
}

export interface Manifest {
  values: ManifestValue[];
  inputs: number[];
  outputs: number[];
  nodes: ManifestNode[];
  metadata?: Record<string, string>;
}

export const MANIFEST_KEYS = ['values', 'inputs', 'outputs', 'nodes', 'metadata'] as const;
export const VALUE_KEYS = ['name', 'dtype', 'shape', 'data'] as const;
export const NODE_KEYS = ['kernel', 'name', 'inputs', 'outputs', 'attrs', 'mode', 'branches'] as const;
export const SUBGRAPH_KEYS = ['nodes', 'outputs'] as const;
export const BLOB_REF_KEYS = ['offset', 'length'] as const;
