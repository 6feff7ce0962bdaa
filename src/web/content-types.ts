import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../core/errors.js'

/** What a browser sends from our pages: a form, or a form with a file where one is asked for. */
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data']

/** An answer about a file or data (CSV, PNG, SVG, PDF, calendar, JSON) rather than a page. */
const DOWNLOAD_PATH = /\.(csv|png|svg|pdf|ics|json|xlsx|txt)$/i

/**
 * True when the route answers with a file or data: its config says `download: true`, its path
 * ends in a file extension, or it is the JSON API. Refusals there are status codes with a
 * short problem, never a sign-in page or a redirect.
 */
export function isDownload(request: FastifyRequest): boolean {
  if (request.routeOptions.config?.download) return true
  const path = request.routeOptions.url ?? request.url.split('?')[0]
  return path.startsWith('/api/v') || DOWNLOAD_PATH.test(path)
}

/** Routes that take a bearer token and JSON (the API) rather than a browser's form. */
function takesJson(request: FastifyRequest): boolean {
  return request.routeOptions.config?.csrf === false || (request.routeOptions.url ?? '').startsWith('/api/')
}

export class UnsupportedContentError extends AppError {
  constructor() {
    super(
      'This address takes a form sent from its page, not other content. Go back to the page and send the form from there.',
      'unsupported_media_type',
      415,
    )
  }
}

/**
 * HTML form routes take form content only (415 otherwise), checked before the body is read,
 * so JSON or text never reaches a form's handler and a form's validation only ever sees
 * fields as a browser sends them.
 */
export function registerFormContentTypes(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method) || takesJson(request)) return
    if (request.routeOptions.url === undefined) return // no such route: a 404, whatever was sent
    const type = request.headers['content-type']
    if (type === undefined) {
      const length = Number(request.headers['content-length'] ?? 0)
      if (length === 0 && request.headers['transfer-encoding'] === undefined) return
      throw new UnsupportedContentError()
    }
    const media = type.split(';')[0].trim().toLowerCase()
    if (!FORM_TYPES.includes(media)) throw new UnsupportedContentError()
  })
}
