import type { FastifyInstance } from 'fastify'

/**
 * For a scope of routes a mail client may POST to without a form (RFC 8058 one-click
 * unsubscribe): the body may come as a form, multipart or nothing at all, and is drained and
 * never read (the token in the address is the proof; no sign-in, no CSRF), so no content type
 * is refused. Call it inside `app.register(async (open) => …)`.
 */
export function acceptAnyBody(
  open: Pick<FastifyInstance, 'removeAllContentTypeParsers' | 'addContentTypeParser'>,
): void {
  open.removeAllContentTypeParsers()
  open.addContentTypeParser('*', (_request, payload, done) => {
    payload.resume()
    payload.on('end', () => done(null, {}))
    payload.on('error', (error) => done(error, undefined))
  })
}
