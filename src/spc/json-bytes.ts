/**
 * Writing JSON text as bytes without building strings: constant pieces are encoded once and
 * copied, integers are written digit by digit, and only free text goes through a UTF-8 encoder.
 * `ByteSink` collects the bytes in chunks; the `put…` functions write into its current chunk after
 * `reserve` has made room, so a hot loop makes one bounds check per point. Pure: the caller
 * decides where the chunks go.
 */
const encoder = new TextEncoder()

/** Default chunk size: large enough for few writes, small enough to keep memory flat. */
const CHUNK_BYTES = 1 << 20

/** Room a number needs at most: "-1.2345678901234567e-308". */
export const MAX_NUMBER_BYTES = 24

/** Bytes of an ASCII string (a constant piece of JSON), encoded once and copied many times. */
export function asciiBytes(s: string): Uint8Array {
  return encoder.encode(s)
}

/** Copies `b` into `buf` at `pos`; returns the position after it. */
export function putBytes(buf: Uint8Array, pos: number, b: Uint8Array): number {
  const n = b.length
  if (n > 24) buf.set(b, pos)
  else for (let i = 0; i < n; i++) buf[pos + i] = b[i]
  return pos + n
}

/** Writes an ASCII string; returns the position after it. */
export function putAscii(buf: Uint8Array, pos: number, s: string): number {
  const n = s.length
  for (let i = 0; i < n; i++) buf[pos + i] = s.charCodeAt(i)
  return pos + n
}

/** Writes a 32-bit integer (not −2³¹) in decimal; returns the position after it. */
export function putInt(buf: Uint8Array, pos: number, v: number): number {
  if (v < 0) {
    buf[pos++] = 45
    v = -v
  }
  const digits =
    v < 10
      ? 1
      : v < 100
        ? 2
        : v < 1000
          ? 3
          : v < 10000
            ? 4
            : v < 100000
              ? 5
              : v < 1000000
                ? 6
                : v < 10000000
                  ? 7
                  : v < 100000000
                    ? 8
                    : v < 1000000000
                      ? 9
                      : 10
  for (let i = pos + digits - 1; i > pos; i--) {
    const q = (v / 10) | 0
    buf[i] = 48 + v - q * 10
    v = q
  }
  buf[pos] = 48 + v
  return pos + digits
}

/** A JSON number as JSON.stringify writes it (null for NaN and infinities); returns the new position. */
export function putNumber(buf: Uint8Array, pos: number, v: number): number {
  if (v - v !== 0) return putAscii(buf, pos, 'null')
  if (v === (v | 0) && v !== -2147483648) return putInt(buf, pos, v)
  return putAscii(buf, pos, String(v))
}

export class ByteSink {
  /** The chunk being filled, and the next free position in it. */
  buf: Uint8Array
  pos = 0
  /** Chunks that are full and ready to be taken. */
  private full: Uint8Array[] = []
  /** With `reuse`: a chunk the consumer has finished with, to fill again instead of allocating. */
  private spare: Uint8Array | null = null

  /**
   * @param reuse when true, a chunk handed out by `take` is overwritten once the caller asks for
   *   more (fresh memory costs page faults and garbage collections: 330 of them for a million
   *   points); the caller must have written it out by then.
   */
  constructor(
    private readonly chunkBytes = CHUNK_BYTES,
    private readonly reuse = false,
  ) {
    this.buf = new Uint8Array(chunkBytes)
  }

  /** Makes room for `n` more bytes in `buf` (starting a new chunk when needed); returns `buf`. */
  reserve(n: number): Uint8Array {
    if (this.pos + n <= this.buf.length) return this.buf
    if (this.pos > 0) this.full.push(this.buf.subarray(0, this.pos))
    const spare = this.spare
    this.buf = spare !== null && spare.length >= n ? spare : new Uint8Array(Math.max(this.chunkBytes, n))
    this.spare = null
    this.pos = 0
    return this.buf
  }

  /** Writes a string known to be ASCII. */
  ascii(s: string): void {
    const buf = this.reserve(s.length)
    this.pos = putAscii(buf, this.pos, s)
  }

  /** Writes any text as UTF-8 (JSON.stringify output of free text). */
  text(s: string): void {
    const b = encoder.encode(s)
    const buf = this.reserve(b.length)
    this.pos = putBytes(buf, this.pos, b)
  }

  /** True when at least one chunk is full and ready. */
  get ready(): boolean {
    return this.full.length > 0
  }

  /** Takes the full chunks (and, with `all`, the partial one too). */
  take(all = false): Uint8Array[] {
    const out = this.full
    this.full = []
    if (all && this.pos > 0) {
      out.push(this.buf.subarray(0, this.pos))
      this.buf = new Uint8Array(0)
      this.pos = 0
    }
    if (this.reuse && out.length === 1 && out[0].buffer.byteLength === this.chunkBytes)
      this.spare = new Uint8Array(out[0].buffer)
    return out
  }
}
