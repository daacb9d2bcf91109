/** What the commands that read runtime graphs (.lrg) share: the magic test and runtime errors re-raised against the file. */
import { fail, type Location } from '@lstmc/ir';
import { MAGIC, isRuntimeError } from '@lstmc/runtime';

/** True when `head` starts with the runtime graph magic. */
export function hasRuntimeGraphMagic(head: Uint8Array): boolean {
  return head.length >= MAGIC.length && MAGIC.every((b, i) => head[i] === b);
}

/** A runtime error re-raised as a diagnostic with the file it concerns. */
export function withFile<T>(loc: Location, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isRuntimeError(e)) fail(e.code, e.message, { ...loc, ...(e.offset !== undefined ? { offset: e.offset } : {}), ...(e.field !== undefined && loc.field === undefined ? { field: e.field } : {}) });
    throw e;
  }
}
