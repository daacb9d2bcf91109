import { expect, it } from 'vitest';
import { matvecModule } from '../src/kernels/lstm/matvec-engine.js';
import { matvecModuleBytes } from '../src/kernels/lstm/wasm/matvec-module.js';

it('src/generated/matvec-module.ts holds the bytes the wasm generator emits (else: node scripts/gen-wasm.mjs)', () => {
  const shipped = matvecModule();
  expect(shipped.length).toBeGreaterThan(1000);
  expect(WebAssembly.validate(shipped)).toBe(true);
  expect(Buffer.from(shipped).equals(Buffer.from(matvecModuleBytes(1)))).toBe(true);
});
