import { createHash } from 'node:crypto';
import { TARGET_KEYS, type Target } from './params.js';

/**
 * A stable 64-bit identity of a target: the first 8 bytes of SHA-256 over the
 * canonical `key=value` lines (table order). Binaries record it so a binary is
 * never simulated on a target it was not compiled for. Returned as 16 lowercase
 * hex digits.
 */
export function targetHash(t: Target): string {
  const canon = TARGET_KEYS.map((k) => `${k}=${t[k]}`).join('\n');
  return createHash('sha256').update(canon).digest('hex').slice(0, 16);
}

/** The same hash as 8 bytes (big-endian digit order), for binary headers. */
export function targetHashBytes(t: Target): Uint8Array {
  const hex = targetHash(t);
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
