import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { MailService } from '../mail/service.js'
import { TooManyRequestsError } from '../core/errors.js'
import type { RateLimiter } from './rate-limit.js'
import type { SessionStore } from './sessions.js'

/** What auth's use cases share (service.ts, password-service.ts): their dependencies and limits. */

export interface RequestMeta {
  ip?: string
  userAgent?: string
}

export interface AuthDeps {
  db: Kysely<DB>
  clock: () => Date
  mail: MailService
  sessions: SessionStore
  limiter: RateLimiter
  baseUrl: string
  communityName: string
}

const WINDOW = 15 * 60_000
/**
 * A hospital or GP network often reaches us from one address: a training room of 60 people
 * signs in, joins or resets passwords at once. So the per-address limits are generous and,
 * for sign-in, count failures only; the per-account limits stay strict.
 */
export const LIMITS = {
  /** Failed sign-ins from one address: a few typos each from a full room, not a password spray. */
  signInFailuresPerIp: { max: 200, windowMs: WINDOW },
  signInPerAccount: { max: 8, windowMs: WINDOW },
  joinPerIp: { max: 120, windowMs: 60 * 60_000 },
  resetPerIp: { max: 60, windowMs: WINDOW },
  resetPerAccount: { max: 3, windowMs: WINDOW },
}

/** Counts one attempt against `limit`, refusing with `message` once it is used up. */
export async function hitLimit(
  deps: AuthDeps,
  key: string,
  limit: { max: number; windowMs: number },
  message: string,
) {
  const result = await deps.limiter.hit(key, limit)
  if (!result.allowed) throw new TooManyRequestsError(message, result.retryAfterSeconds)
}
