/**
 * The relaxed-SIMD variant of the matvec module: every multiply-add site the generator marked
 * (wasm/wasm-encoder.ts op.mulAdd: f32x4.mul, local.get acc, f32x4.add) rewritten in place to
 * local.get acc, f32x4.relaxed_madd and three nops, the same 8 bytes, so no size or offset in the
 * module changes. relaxed_madd rounds once where the host fuses it (an FMA unit), so results differ
 * from the plain module's in the last bits and may differ between hosts; the plain module stays the
 * bit-reproducible one (load option `matvec: 'wasm-simd'`).
 */

const PLAIN = [0xfd, 0xe6, 0x01, 0x20, -1, 0xfd, 0xe4, 0x01];

/** `bytes` with the sites at the given offsets rewritten; a site that is not the plain form is an internal error. */
export function withRelaxedMadd(bytes: Uint8Array, sites: readonly number[]): Uint8Array<ArrayBuffer> {
  const out = Uint8Array.from(bytes);
  for (const s of sites) {
    if (!PLAIN.every((b, i) => b < 0 || out[s + i] === b)) throw new Error(`matvec module: no multiply-add at byte ${s}`);
    out.set([0x20, out[s + 4]!, 0xfd, 0x85, 0x02, 0x01, 0x01, 0x01], s);
  }
  return out;
}

/** Site offsets stored as comma-separated deltas (src/generated, scripts/gen-wasm.mjs). */
export function decodeSites(deltas: string): number[] {
  let at = 0;
  return deltas ? deltas.split(',').map((d) => (at += Number(d))) : [];
}

export function encodeSites(sites: readonly number[]): string {
  return sites.map((s, i) => s - (i > 0 ? sites[i - 1]! : 0)).join(',');
}
