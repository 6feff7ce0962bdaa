/** Random ids and tokens, and the hashes and HMACs that let us store and compare them safely. */

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** A random token for a cookie or a link; only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

export function hmac(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url')
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a)
  const bb = Buffer.from(b)
  return ab.length === bb.length && timingSafeEqual(ab, bb)
}

export function newId(): string {
  return crypto.randomUUID()
}
