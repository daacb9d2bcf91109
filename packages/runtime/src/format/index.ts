export { type ReadOptions } from './reader.js';
export { crc32 } from './crc32.js';
export { MAGIC, FORMAT_VERSION, HEADER_SIZE, HEADER_FIELDS, BLOB_ALIGN } from './header.js';
export type { Manifest, ManifestAttr, ManifestNode, ManifestValue, BlobRef } from './manifest-json.js';
