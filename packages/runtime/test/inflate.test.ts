import { deflateRawSync, constants } from 'node:zlib';
import { expect, it } from 'vitest';
import { Rng } from '@lstmc/testing';
import { inflateRaw } from '../src/inflate.js';

/** Inputs of several kinds: empty, short, random, repetitive, long runs, text-like, larger than one block. */
function samples(): Uint8Array[] {
  const rng = new Rng(11);
  const random = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));
  const skewed = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rng.next() ** 4 * 20));
  const repeated = new Uint8Array(70_000).map((_, i) => (i * 7) % 13);
  return [new Uint8Array(0), Uint8Array.of(42), random(1000), random(100_000), skewed(5000), skewed(200_000), repeated, new Uint8Array(300).fill(9), new TextEncoder().encode('lstmc '.repeat(999))];
}

it('inflates what zlib deflates (raw), at every level and strategy, byte for byte', () => {
  for (const data of samples()) {
    for (const level of [0, 1, 6, 9]) {
      for (const strategy of [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE]) {
        const back = inflateRaw(deflateRawSync(data, { level, strategy }));
        expect(Buffer.from(back).equals(Buffer.from(data)), `${data.length} bytes, level ${level}, strategy ${strategy}`).toBe(true);
      }
    }
  }
});

it('refuses streams that end early or hold invalid blocks', () => {
  const good = deflateRawSync(new TextEncoder().encode('abcabcabc'.repeat(50)), { level: 9 });
  expect(() => inflateRaw(good.subarray(0, good.length - 3))).toThrow(/inflate:/);
  expect(() => inflateRaw(Uint8Array.of(0x07))).toThrow(/inflate: bad block type/);
  expect(() => inflateRaw(Uint8Array.of(0x01, 0x05, 0x00, 0x00, 0x00))).toThrow(/inflate: bad stored block length/);
});
