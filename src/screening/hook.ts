import type { FastifyInstance, RouteHandlerMethod } from 'fastify'
import { withScreeningPatterns } from '../core/screening-context.js'
import type { HospitalPattern } from '../core/hospital-patterns.js'

const READS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Every write route's handler runs with the configured hospital-number patterns loaded for it
 * (one small query; writes are rare), so the shared form helpers screen with them. Wrapping the
 * handler, rather than setting the store in a hook, keeps the patterns in the handler's async
 * context for certain. Add before any route is registered: onRoute sees the routes added after.
 */
export function screenWrites(app: FastifyInstance, load: () => Promise<HospitalPattern[]>): void {
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method)
    if (methods.every((m) => READS.has(m))) return
    const handler = route.handler
    const wrapped: RouteHandlerMethod = async function (this: FastifyInstance, request, reply) {
      const patterns = READS.has(request.method) ? [] : await load()
      return withScreeningPatterns(patterns, () => handler.call(this, request, reply))
    }
    route.handler = wrapped
  })
}
