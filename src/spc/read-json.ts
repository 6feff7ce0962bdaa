/**
 * A reader for the common shape of `qi spc` requests, straight from the JSON bytes: each point's
 * x, y and n go into columns without a JavaScript object per point (JSON.parse builds a million
 * of them for a million points, and that is most of its time). Everything else in a request (its
 * other fields, however written) is handed to JSON.parse as a small text of its own.
 *
 * The reader only answers for text it fully understands: points with nothing but `x` (a plain
 * number or a date string), `y` and `n` (numbers or null); anything else (escapes, other point
 * fields, subgroup values, a duplicate key, bad syntax) gives null, and the caller falls back to
 * JSON.parse and the ordinary validation, so every answer and every error message stays the same.
 */
import type { XValue } from './types.js'

/** Points read into columns: y and n are NaN where null or absent; n is null when no point has n. */
export interface PointColumns {
  xs: XValue[]
  y: Float64Array
  n: Float64Array | null
}

/** One request: its fields other than `points` (as JSON text), and its points. */
export interface ReadRequest {
  fieldsText: string
  columns: PointColumns
}

export type ReadInput = { batch: ReadRequest[] } | ReadRequest

class Unreadable extends Error {}

/** The position just after the string that starts at p (escapes skipped, not checked). */
function skipString(b: Uint8Array, p: number): number {
  for (p++; p < b.length; p++) {
    const c = b[p]
    if (c === 92) p++
    else if (c === 34) return p + 1
  }
  throw UNREADABLE
}
const UNREADABLE = new Unreadable()
const decoder = new TextDecoder()

/**
 * Reads a request, or a batch `{"batch": [...]}` of them, or returns null when the text is not of
 * the shape this reader knows (the caller then uses JSON.parse).
 * @example readRequestBytes(new TextEncoder().encode('{"method":"mdc","chart":"i","points":[{"x":1,"y":2}]}'))
 * // { fieldsText: '{"method":"mdc","chart":"i"}', columns: { xs: [1], y: Float64Array [2], n: null } }
 */
export function readRequestBytes(bytes: Uint8Array): ReadInput | null {
  try {
    const reader = new Reader(bytes)
    const input = reader.topLevel()
    reader.ws()
    if (reader.pos !== bytes.length) return null
    return input
  } catch (error) {
    if (error instanceof Unreadable || error instanceof RangeError) return null
    throw error
  }
}

class Reader {
  pos = 0
  constructor(private readonly b: Uint8Array) {}

  ws(): void {
    const b = this.b
    let p = this.pos
    while (p < b.length) {
      const c = b[p]
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break
      p++
    }
    this.pos = p
  }

  expect(c: number): void {
    this.ws()
    if (this.b[this.pos] !== c) throw UNREADABLE
    this.pos++
  }

  /** A key or other string without escapes; its text. */
  plainString(): string {
    this.expect(34)
    const b = this.b
    const start = this.pos
    let p = start
    for (;;) {
      if (p >= b.length) throw UNREADABLE
      const c = b[p]
      if (c === 34) break
      if (c === 92 || c < 32 || c >= 128) throw UNREADABLE
      p++
    }
    this.pos = p + 1
    // ASCII only (checked above): char codes are the bytes, and short strings skip the decoder
    return p - start <= 64
      ? String.fromCharCode.apply(null, b.subarray(start, p) as unknown as number[])
      : decoder.decode(b.subarray(start, p))
  }

  topLevel(): ReadInput {
    this.ws()
    if (this.b[this.pos] !== 123) throw UNREADABLE
    const save = this.pos
    this.pos++
    this.ws()
    if (this.b[this.pos] === 34) {
      const key = this.plainString()
      this.expect(58)
      if (key === 'batch') {
        const batch: ReadRequest[] = []
        this.expect(91)
        this.ws()
        if (this.b[this.pos] === 93) this.pos++
        else {
          for (;;) {
            batch.push(this.request())
            this.ws()
            const c = this.b[this.pos++]
            if (c === 93) break
            if (c !== 44) throw UNREADABLE
          }
        }
        this.expect(125) // a batch has no other field
        return { batch }
      }
    }
    this.pos = save
    return this.request()
  }

  /** One request object: `points` into columns, every other field kept as text. */
  request(): ReadRequest {
    this.expect(123)
    const fields: string[] = []
    let columns: PointColumns | null = null
    this.ws()
    if (this.b[this.pos] === 125) throw UNREADABLE
    for (;;) {
      const key = this.plainString()
      this.expect(58)
      this.ws()
      if (key === 'points') {
        if (columns !== null) throw UNREADABLE
        columns = this.points()
      } else {
        const start = this.pos
        this.skipValue()
        fields.push(`${JSON.stringify(key)}:${decoder.decode(this.b.subarray(start, this.pos))}`)
      }
      this.ws()
      const c = this.b[this.pos++]
      if (c === 125) break
      if (c !== 44) throw UNREADABLE
    }
    if (columns === null) throw UNREADABLE
    return { fieldsText: `{${fields.join(',')}}`, columns }
  }

  /** Skips any JSON value (checked later by JSON.parse of the fields' text). */
  skipValue(): void {
    const b = this.b
    let p = this.pos
    const c = b[p]
    if (c === 34) p = skipString(b, p)
    else if (c === 123 || c === 91) {
      let depth = 0
      for (;;) {
        if (p >= b.length) throw UNREADABLE
        const d = b[p]
        if (d === 34) {
          p = skipString(b, p)
          continue
        }
        if (d === 123 || d === 91) depth++
        else if (d === 125 || d === 93) {
          depth--
          if (depth === 0) {
            p++
            break
          }
        }
        p++
      }
    } else {
      while (p < b.length) {
        const d = b[p]
        if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break
        p++
      }
    }
    this.pos = p
  }

  points(): PointColumns {
    this.expect(91)
    const xs: XValue[] = []
    let y = new Float64Array(1024)
    let n: Float64Array | null = null
    let size = 0
    this.ws()
    if (this.b[this.pos] === 93) throw UNREADABLE // empty: the ordinary path says why
    for (;;) {
      if (size === y.length) {
        const grown = new Float64Array(size * 2)
        grown.set(y)
        y = grown
        if (n !== null) {
          const g = new Float64Array(size * 2).fill(NaN)
          g.set(n)
          n = g
        }
      }
      this.expect(123)
      let seen = 0 // 1 x, 2 y, 4 n
      let yv = NaN
      let nv = NaN
      let hasN = false
      for (;;) {
        this.ws()
        const b = this.b
        // the three keys, matched byte by byte: "x", "y", "n"
        if (b[this.pos] !== 34 || b[this.pos + 2] !== 34) throw UNREADABLE
        const k = b[this.pos + 1]
        this.pos += 3
        this.expect(58)
        this.ws()
        if (k === 120 && !(seen & 1)) {
          seen |= 1
          xs.push(this.x())
        } else if (k === 121 && !(seen & 2)) {
          seen |= 2
          yv = this.numberOrNull()
        } else if (k === 110 && !(seen & 4)) {
          seen |= 4
          nv = this.numberOrNull()
          hasN = true
        } else throw UNREADABLE
        this.ws()
        const c = b[this.pos++]
        if (c === 125) break
        if (c !== 44) throw UNREADABLE
      }
      if (!(seen & 1)) throw UNREADABLE
      y[size] = yv
      if (hasN) {
        if (n === null) n = new Float64Array(y.length).fill(NaN)
        n[size] = nv
      }
      size++
      this.ws()
      const c = this.b[this.pos++]
      if (c === 93) break
      if (c !== 44) throw UNREADABLE
    }
    return { xs, y: y.slice(0, size), n: n === null ? null : n.slice(0, size) }
  }

  /** An x: a plain decimal integer, or a short string without escapes. */
  x(): XValue {
    if (this.b[this.pos] === 34) return this.plainString()
    const v = this.number()
    if (!Number.isSafeInteger(v)) throw UNREADABLE // other numbers: the ordinary path
    return v
  }

  numberOrNull(): number {
    const b = this.b
    if (b[this.pos] === 110) {
      if (b[this.pos + 1] !== 117 || b[this.pos + 2] !== 108 || b[this.pos + 3] !== 108) throw UNREADABLE
      this.pos += 4
      return NaN
    }
    return this.number()
  }

  /** A JSON number (strict grammar); finite, or unreadable. */
  number(): number {
    const b = this.b
    const start = this.pos
    let p = start
    let negative = false
    if (b[p] === 45) {
      negative = true
      p++
    }
    const digitsStart = p
    let value = 0
    while (p < b.length && b[p] >= 48 && b[p] <= 57) value = value * 10 + (b[p++] - 48)
    const digits = p - digitsStart
    if (digits === 0 || (digits > 1 && b[digitsStart] === 48)) throw UNREADABLE
    const c = b[p]
    if (c !== 46 && c !== 101 && c !== 69 && digits <= 15) {
      this.pos = p
      return negative ? -value : value
    }
    // a fraction or exponent (or many digits): checked here, converted by Number as JSON.parse does
    if (c === 46) {
      p++
      const f = p
      while (p < b.length && b[p] >= 48 && b[p] <= 57) p++
      if (p === f) throw UNREADABLE
    }
    if (b[p] === 101 || b[p] === 69) {
      p++
      if (b[p] === 43 || b[p] === 45) p++
      const e = p
      while (p < b.length && b[p] >= 48 && b[p] <= 57) p++
      if (p === e) throw UNREADABLE
    }
    const v = Number(decoder.decode(b.subarray(start, p)))
    if (!Number.isFinite(v)) throw UNREADABLE
    this.pos = p
    return v
  }
}
