import { randomBytes } from 'node:crypto'

/** Crockford's base32: no I, L, O or U, so codes read aloud and typed back survive. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const LENGTH = 16

/** 16 characters of base32 from 80 random bits: unguessable, and short enough to type. */
export function newCertificateCode(): string {
  const bytes = randomBytes(10)
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  return out
}

/** ABCD-EFGH-JKMN-PQRS, as printed on the certificate. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code
}

/** What a person typed, as stored: upper case, no spaces or hyphens, O→0 and I/L→1. Null when it cannot be a code. */
export function normaliseCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  if (code.length !== LENGTH) return null
  for (const ch of code) if (!ALPHABET.includes(ch)) return null
  return code
}
