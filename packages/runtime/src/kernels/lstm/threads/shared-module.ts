import { uleb } from '../leb128.js';

/**
 * The matvec module over a shared memory, derived from the shipped bytes (src/generated, one defined
 * memory) without the generator: the memory section (id 5) is dropped and an import section (id 2,
 * placed after the type section) imports "env" "mem" as a shared memory of `pages` initial and
 * `maxPages` maximum pages. The same as the generator's matvecModuleBytes(pages, maxPages)
 * (test/generated.test.ts checks it).
 */
export function sharedMatvecModule(bytes: Uint8Array, pages: number, maxPages: number): Uint8Array<ArrayBuffer> {
  const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
  const entry = [...name('env'), ...name('mem'), 0x02, 0x03, ...uleb(pages), ...uleb(maxPages)];
  const imports = [0x02, ...uleb(entry.length + 1), 1, ...entry];
  const out: number[] = Array.from(bytes.subarray(0, 8));
  for (let p = 8; p < bytes.length;) {
    const id = bytes[p]!;
    let size = 0;
    let q = p + 1;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[q++]!;
      size |= (b & 0x7f) << shift;
      if (b < 0x80) break;
    }
    const end = q + size;
    if (id !== 5) out.push(...bytes.subarray(p, end));
    if (id === 1) out.push(...imports);
    p = end;
  }
  return Uint8Array.from(out);
}
