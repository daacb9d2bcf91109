import { expect, it } from 'vitest';
import { matvecModule } from '../src/kernels/lstm/matvec-engine.js';
import { matvecModuleBytes } from '../src/kernels/lstm/wasm/matvec-module.js';
import { sharedMatvecModule } from '../src/kernels/lstm/threads/shared-module.js';
import { MAX_PAGES } from '../src/kernels/lstm/threads/thread-pool.js';

it('src/generated/matvec-module.ts holds the bytes the wasm generator emits (else: node scripts/gen-wasm.mjs)', () => {
  const shipped = matvecModule();
  expect(shipped.length).toBeGreaterThan(1000);
  expect(WebAssembly.validate(shipped)).toBe(true);
  expect(Buffer.from(shipped).equals(Buffer.from(matvecModuleBytes(1)))).toBe(true);
});

it('the shared-memory variant the thread pool derives from the shipped bytes is the generator\'s', () => {
  const shared = sharedMatvecModule(matvecModule(), 1, MAX_PAGES);
  expect(WebAssembly.validate(shared)).toBe(true);
  expect(Buffer.from(shared).equals(Buffer.from(matvecModuleBytes(1, MAX_PAGES)))).toBe(true);
});
