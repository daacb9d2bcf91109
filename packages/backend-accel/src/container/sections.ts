/** Section kinds of the .lxb container, in the order the writer emits them. */
export const SECTION_KINDS = {
  target: { id: 1, doc: 'the target parameters, canonical JSON' },
  code: { id: 2, doc: 'instruction words, 8 bytes each, little-endian' },
  weights: { id: 3, doc: 'encoded weights, one blob per matrix per PE' },
  consts: { id: 4, doc: 'constants (bias, peepholes) as int64 little-endian' },
  luts: { id: 5, doc: 'sigmoid then tanh table, lutEntries int32 little-endian each' },
  matrices: { id: 6, doc: 'matrix table (layout, shift, row assignment, blob offsets), JSON' },
  io: { id: 7, doc: 'host interface: DRAM tensors, memory sizes, layer code ranges, JSON' },
  debug: { id: 8, doc: 'symbols: the IR node of each instruction, JSON' },
  host: { id: 9, doc: 'host section: the runtime graphs (.lrg) of the ops the accelerator lacks, back to back; io.hostSegments says where each lies and before which accelerator phase the JS runtime runs it (may be empty)' },
} as const satisfies Record<string, { id: number; doc: string }>;

export type SectionKind = keyof typeof SECTION_KINDS;
export const SECTION_ORDER = Object.keys(SECTION_KINDS) as SectionKind[];

/**
 * What changed after each older format version, for the diagnostic that refuses it. Version 3:
 * the target gained `batch` and `columnPrefetch` (so the target hash of every binary changed),
 * and instructions serve every bank of a batch.
 */
export const LXB_CHANGES: Readonly<Record<number, string>> = {
  1: 'host segments before, between and after accelerator phases, and batching',
  2: 'batching and column-pointer prefetch: the target parameters batch and columnPrefetch',
};

/** File layout constants. */
export const LXB = {
  magic: [0x89, 0x4c, 0x58, 0x42] as const, // \x89 L X B
  version: 3,
  headerBytes: 24,
  entryBytes: 16,
  align: 8,
} as const;
