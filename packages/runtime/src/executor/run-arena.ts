import { alloc, type Allocator, type OpData } from '@lstmc/ops';
import { isRtDType, RT_DTYPES } from '../dtype.js';

/**
 * Arrays of at most this many bytes V8 keeps in its own heap, where creating one costs tens of
 * nanoseconds; a larger one gets a backing store of its own, about a microsecond to create and more
 * to collect (measured on Node 20: 0.04 us at 16 floats, 0.8-1.5 us from 64 to 4096 floats, against
 * 0.07-0.3 us for a view into an existing buffer, zeroed). Silero VAD v5 creates 28 of those per
 * 512-sample frame, kws-lstm 19 per run: a tenth to a fifth of their run time.
 */
const HEAP_BYTES = 64;
/** Larger arrays are created as before: their allocation is small against what computes them. */
const PIECE_MAX_BYTES = 256 * 1024;
/** The most memory an arena keeps between runs; a run that wants more takes the rest as new arrays. */
const CAPACITY_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Memory for the tensors of one run at a time, reused by the next run of the same model, so that a
 * run of a small model creates no typed arrays but its outputs. `begin` starts a run: pieces handed
 * out by the previous run are zeroed and handed out again, in order; `alloc` gives a zeroed view into
 * the arena (16-byte aligned) for arrays of HEAP_BYTES to PIECE_MAX_BYTES, a new array for others and
 * once the arena is full; `end` closes the run. The arena grows at the next `begin` to what the last
 * run asked for (up to CAPACITY_MAX_BYTES), so from the second run of a model its pieces fit.
 *
 * Every piece is overwritten by the next run: what outlives a run must not be an arena view. The
 * model copies graph outputs that are (`owns`), and kernels keep their stream state as copies.
 * Outside a run, and in a run nested in another (an `onNode` callback that runs the model), `alloc`
 * creates new arrays.
 */
export class RunArena {
  private buffer = new ArrayBuffer(0);
  /** Bytes handed out in this run (the last one, between runs). */
  private used = 0;
  /** Bytes this run asked for, whether they fitted or not. */
  private wanted = 0;
  private open = false;

  readonly alloc: Allocator = (dtype, n) => {
    if (!this.open || !isRtDType(dtype)) return alloc(dtype, n);
    const { ctor, bytes: size } = RT_DTYPES[dtype];
    const bytes = n * size;
    if (bytes <= HEAP_BYTES || bytes > PIECE_MAX_BYTES) return alloc(dtype, n);
    const at = (this.used + 15) & ~15;
    this.wanted = ((this.wanted + 15) & ~15) + bytes;
    if (at + bytes > this.buffer.byteLength) return alloc(dtype, n);
    this.used = at + bytes;
    return new ctor(this.buffer, at, n) as OpData;
  };

  /** Starts a run; false (and no arena for it) when a run is already open. */
  begin(): boolean {
    if (this.open) return false;
    this.open = true;
    if (this.wanted > this.buffer.byteLength && this.buffer.byteLength < CAPACITY_MAX_BYTES) {
      this.buffer = new ArrayBuffer(Math.min(CAPACITY_MAX_BYTES, (this.wanted + 4095) & ~4095));
    } else new Uint8Array(this.buffer, 0, this.used).fill(0);
    this.used = 0;
    this.wanted = 0;
    return true;
  }

  /** Ends the run `begin` started. */
  end(): void {
    this.open = false;
  }

  /** Is this buffer the arena's (data of it is overwritten by the next run)? */
  owns(buffer: ArrayBufferLike): boolean {
    return buffer === this.buffer;
  }
}
