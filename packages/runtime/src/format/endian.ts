/** The file format is little-endian and constants are viewed in place as typed arrays. */
export function assertLittleEndianHost(): void {
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new Error('lstmc runtime: big-endian hosts are not supported');
}
