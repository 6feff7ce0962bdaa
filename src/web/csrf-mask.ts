import { randomBytes } from 'node:crypto'
import { safeEqual } from '../core/ids.js'

/**
 * The CSRF token as pages carry it: XOR-masked with fresh random bytes on every page, so the
 * secret never repeats byte for byte across compressed responses (the BREACH attack guesses a
 * secret that repeats in compressed pages by watching their sizes). The form sends back
 * `mask.masked`; `matchesToken` undoes the mask and compares in constant time.
 */
export function maskToken(token: string): string {
  const secret = Buffer.from(token, 'base64url')
  const mask = randomBytes(secret.length)
  const masked = Buffer.alloc(secret.length)
  for (let i = 0; i < secret.length; i++) masked[i] = secret[i] ^ mask[i]
  return `${mask.toString('base64url')}.${masked.toString('base64url')}`
}

/** True when `sent` is the token, masked (as pages carry it) or not (as scripts may send it). */
export function matchesToken(sent: string, token: string): boolean {
  const dot = sent.indexOf('.')
  if (dot < 0) return safeEqual(sent, token)
  const mask = Buffer.from(sent.slice(0, dot), 'base64url')
  const masked = Buffer.from(sent.slice(dot + 1), 'base64url')
  if (mask.length === 0 || mask.length !== masked.length) return false
  const secret = Buffer.alloc(mask.length)
  for (let i = 0; i < mask.length; i++) secret[i] = mask[i] ^ masked[i]
  return safeEqual(secret.toString('base64url'), token)
}
