import type { ZodApp } from './route-schemas.js'

/**
 * For a scope of routes a mail client may POST to without a form (RFC 8058 one-click
 * unsubscribe): the body may come as a form, multipart or nothing at all, and is never read,
 * so no content type is refused. Call it inside `app.register(async (open) => …)`.
 */
export function acceptAnyBody(open: ZodApp): void {
  open.removeAllContentTypeParsers()
  open.addContentTypeParser('*', (_request, payload, done) => {
    payload.resume()
    payload.on('end', () => done(null, {}))
    payload.on('error', (error) => done(error, undefined))
  })
}
