import type { FastifyInstance } from 'fastify'

/**
 * For the routes of one-click unsubscribe (RFC 8058) inside their own plugin: a mail client's
 * POST may come as a form, multipart or nothing at all, so the body is drained and never read
 * (the token in the address is the proof; no sign-in, no CSRF).
 */
export function ignoreBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (_request, payload, done) => {
    payload.resume()
    payload.on('end', () => done(null, {}))
    payload.on('error', (error) => done(error, undefined))
  })
}
