import type { FastifyInstance } from 'fastify'
import { compressAnswer } from './compression.js'

/**
 * Powerful features the app never uses, denied to every page and anything it might embed.
 * (`interest-cohort` is left out: Chromium no longer knows it and logs an error for it.)
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'ambient-light-sensor=()',
  'autoplay=()',
  'battery=()',
  'bluetooth=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ')

/**
 * Headers every answer needs, and compression last:
 * - `Permissions-Policy` on everything;
 * - `Cache-Control: no-store` on every answer to a signed-in person (pages, downloads,
 *   API answers for a token), so a shared ward computer's browser or a proxy keeps nothing
 *   personal; static files (route config `static`) keep their own caching;
 * - HTML, CSS, JS, JSON, CSV and SVG compressed when the browser accepts it.
 */
export function registerDelivery(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY)
    if (request.user && !request.routeOptions.config.static) reply.header('cache-control', 'no-store')
    return payload
  })
  app.addHook('onSend', compressAnswer)
}
