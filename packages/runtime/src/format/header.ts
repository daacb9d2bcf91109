import { rtFail } from '../errors.js';
import { crc32 } from './crc32.js';

/**
 * The fixed 64-byte header of a runtime graph file (all integers little-endian u32 unless noted):
 *
 *   0  magic "LSTMCRG\0" (8 bytes)      36 file length
 *   8  version major (u16) = 1          40 CRC-32 of bytes [64, file length)
 *  10  version minor (u16) = 0 or 1     44 reserved, 16 zero bytes
 *  12  flags = 0 (all bits reserved)    60 CRC-32 of header bytes [0, 60)
 *  16  header size = 64
 *  20  manifest offset = 64
 *  24  manifest length (UTF-8 JSON)
 *  28  blob offset (multiple of 64; bytes between manifest end and blob are zero)
 *  32  blob length (blob ends at file end)
 */
export const MAGIC = Uint8Array.of(0x4c, 0x53, 0x54, 0x4d, 0x43, 0x52, 0x47, 0x00);
/** The newest version this runtime writes and reads; it also reads every older minor of the same major. */
export const FORMAT_VERSION = { major: 1, minor: 1 } as const;
export const HEADER_SIZE = 64;
export const BLOB_ALIGN = 64;
export const KNOWN_FLAGS = 0;

export const HEADER_FIELDS = {
  versionMajor: 8,
  versionMinor: 10,
  flags: 12,
  headerSize: 16,
  manifestOffset: 20,
  manifestLength: 24,
  blobOffset: 28,
  blobLength: 32,
  fileLength: 36,
  payloadCrc: 40,
  reserved: 44,
  headerCrc: 60,
} as const;

export interface Header {
  /** Minor format version: 1 when the manifest uses 1.1 features (branches), else 0. */
  readonly minor: number;
  readonly manifestOffset: number;
  readonly manifestLength: number;
  readonly blobOffset: number;
  readonly blobLength: number;
  readonly fileLength: number;
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Writes the header into bytes[0, 64) of a file whose payload is already in place. */
export function writeHeader(bytes: Uint8Array, h: Header): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  bytes.set(MAGIC, 0);
  const F = HEADER_FIELDS;
  v.setUint16(F.versionMajor, FORMAT_VERSION.major, true);
  v.setUint16(F.versionMinor, h.minor, true);
  v.setUint32(F.flags, 0, true);
  v.setUint32(F.headerSize, HEADER_SIZE, true);
  v.setUint32(F.manifestOffset, h.manifestOffset, true);
  v.setUint32(F.manifestLength, h.manifestLength, true);
  v.setUint32(F.blobOffset, h.blobOffset, true);
  v.setUint32(F.blobLength, h.blobLength, true);
  v.setUint32(F.fileLength, h.fileLength, true);
  v.setUint32(F.payloadCrc, crc32(bytes, HEADER_SIZE, h.fileLength), true);
  v.setUint32(F.headerCrc, crc32(bytes, 0, F.headerCrc), true);
}

/** Validates the header and the whole-file checksum; returns the section bounds. */
export function readHeader(bytes: Uint8Array): Header {
  const F = HEADER_FIELDS;
  for (let i = 0; i < MAGIC.length; i++) {
    if (i >= bytes.length) rtFail('E-RT-TRUNCATED', `file is ${bytes.length} bytes, shorter than the magic`, { offset: bytes.length });
    if (bytes[i] !== MAGIC[i]) rtFail('E-RT-MAGIC', 'not an lstmc runtime graph (bad magic)', { offset: i });
  }
  if (bytes.length < HEADER_SIZE) rtFail('E-RT-TRUNCATED', `file is ${bytes.length} bytes, shorter than the ${HEADER_SIZE}-byte header`, { offset: bytes.length });
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER_SIZE);
  const u32 = (o: number) => v.getUint32(o, true);
  if (u32(F.headerCrc) !== crc32(bytes, 0, F.headerCrc)) rtFail('E-RT-HEADER-CRC', 'header checksum mismatch (corrupt header)', { offset: F.headerCrc });
  const major = v.getUint16(F.versionMajor, true);
  const minor = v.getUint16(F.versionMinor, true);
  if (major !== FORMAT_VERSION.major || minor > FORMAT_VERSION.minor) {
    rtFail('E-RT-VERSION', `format version ${major}.${minor} is not supported (this runtime reads ${FORMAT_VERSION.major}.0 to ${FORMAT_VERSION.major}.${FORMAT_VERSION.minor})`, { offset: F.versionMajor });
  }
  if ((u32(F.flags) & ~KNOWN_FLAGS) !== 0) rtFail('E-RT-FLAGS', `unknown flags 0x${u32(F.flags).toString(16)}`, { offset: F.flags });
  const h: Header = {
    minor,
    manifestOffset: u32(F.manifestOffset),
    manifestLength: u32(F.manifestLength),
    blobOffset: u32(F.blobOffset),
    blobLength: u32(F.blobLength),
    fileLength: u32(F.fileLength),
  };
  if (u32(F.headerSize) !== HEADER_SIZE) rtFail('E-RT-HEADER', `header size ${u32(F.headerSize)} is not ${HEADER_SIZE}`, { offset: F.headerSize });
  for (let o = F.reserved; o < F.headerCrc; o++) if (bytes[o] !== 0) rtFail('E-RT-HEADER', 'reserved header bytes are not zero', { offset: o });
  if (bytes.length < h.fileLength) rtFail('E-RT-TRUNCATED', `file is ${bytes.length} bytes, header says ${h.fileLength}`, { offset: bytes.length });
  if (bytes.length > h.fileLength) rtFail('E-RT-HEADER', `file has ${bytes.length - h.fileLength} bytes past its declared end`, { offset: h.fileLength });
  if (h.manifestOffset !== HEADER_SIZE) rtFail('E-RT-HEADER', `manifest offset ${h.manifestOffset} is not ${HEADER_SIZE}`, { offset: F.manifestOffset });
  const manifestEnd = h.manifestOffset + h.manifestLength;
  if (h.blobOffset % BLOB_ALIGN !== 0) rtFail('E-RT-ALIGN', `blob offset ${h.blobOffset} is not ${BLOB_ALIGN}-byte aligned`, { offset: F.blobOffset });
  if (h.blobOffset < manifestEnd || h.blobOffset - manifestEnd >= BLOB_ALIGN) {
    rtFail('E-RT-HEADER', `blob offset ${h.blobOffset} does not follow the manifest (ends at ${manifestEnd})`, { offset: F.blobOffset });
  }
  if (h.blobOffset + h.blobLength !== h.fileLength) rtFail('E-RT-HEADER', `blob [${h.blobOffset}, +${h.blobLength}) does not end at the file end ${h.fileLength}`, { offset: F.blobLength });
  if (u32(F.payloadCrc) !== crc32(bytes, HEADER_SIZE, h.fileLength)) rtFail('E-RT-CHECKSUM', 'file checksum mismatch (corrupt or modified payload)', { offset: F.payloadCrc });
  for (let o = manifestEnd; o < h.blobOffset; o++) if (bytes[o] !== 0) rtFail('E-RT-HEADER', 'padding after the manifest is not zero', { offset: o });
  return h;
}
