import type { FastifyInstance, FastifyRequest } from 'fastify'
import { hmac, safeEqual } from '../core/ids.js'

/** How long after a write a browser's lists read from the primary: well past a replica's usual lag. */
export const READ_YOUR_WRITES_MS = 10_000

const WROTE_COOKIE = 'qi_wrote'
const READS = ['GET', 'HEAD', 'OPTIONS']

export interface ReadYourWritesOptions {
  /** Without a replica every read is on the primary: no window, no cookie, no work per request. */
  replica: boolean
  secret: string
  secure: boolean
  clock: () => Date
  /** This browser's own random cookie (the CSRF cookie); '' when it has none yet. */
  browserOf: (request: FastifyRequest) => string
}

/**
 * Chooses, per request, where the read-heavy lists read (`request.readFrom`). A replica lags the
 * primary, so a browser that has just written (any form or other non-GET request that succeeded)
 * reads from the primary for READ_YOUR_WRITES_MS and sees what it wrote; everyone else reads from
 * the replica. Processes are stateless, so the window travels with the browser: a cookie holding
 * its end, signed with SESSION_SECRET for this browser, which every instance can check.
 */
export function registerReadYourWrites(app: FastifyInstance, options: ReadYourWritesOptions): void {
  if (!options.replica) {
    app.decorateRequest('readFrom', 'primary' as const)
    return
  }
  const { secret, secure, clock, browserOf } = options
  const signature = (browser: string, until: string) => hmac(secret, `wrote:${browser}:${until}`)

  app.decorateRequest('readFrom', 'replica' as const)

  app.addHook('onRequest', async (request) => {
    request.readFrom = 'replica'
    const [until, sent] = (request.cookies[WROTE_COOKIE] ?? '').split('.')
    const browser = browserOf(request)
    if (!browser || !until || !sent || !/^\d{1,15}$/.test(until)) return
    if (Number(until) > clock().getTime() && safeEqual(sent, signature(browser, until)))
      request.readFrom = 'primary'
  })

  app.addHook('onSend', async (request, reply, payload) => {
    if (READS.includes(request.method) || reply.statusCode >= 400) return payload
    const browser = browserOf(request)
    if (!browser) return payload
    const until = String(clock().getTime() + READ_YOUR_WRITES_MS)
    reply.setCookie(WROTE_COOKIE, `${until}.${signature(browser, until)}`, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: READ_YOUR_WRITES_MS / 1000,
    })
    return payload
  })
}
